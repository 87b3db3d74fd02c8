#include "cache/store.hpp"

#include "cache/file_store.hpp"
#include "cache/memory_store.hpp"
#include "core/adal_error.hpp"

#ifdef AADCRED_HAVE_SECRET_SERVICE
#include "cache/secret_service_store.hpp"
#endif

namespace aadcred {

namespace {

std::unique_ptr<Store> open_secret_service(const StoreOptions &options) {
#ifdef AADCRED_HAVE_SECRET_SERVICE
    return open_secret_service_store(options);
#else
    (void)options;
    throw AdalError(ErrorClass::store, "No Secret Service: aadcred was built without libsecret");
#endif
}

}  // namespace

std::unique_ptr<Store> open_store(const StoreOptions &options) {
    const std::string_view spec = options.spec;
    if (spec == "memory") return std::make_unique<MemoryStore>();
    if (spec.starts_with("file:")) {
        if (spec.size() == 5) {
            throw AdalError(ErrorClass::invalid, "The token store 'file:' needs a path: file:PATH");
        }
        return std::make_unique<FileStore>(std::string(spec.substr(5)));
    }
    if (spec == "secret-service") return open_secret_service(options);
    if (spec == "keyring") {
        throw AdalError(ErrorClass::store,
                        "The kernel keyring store is not built yet; use --store "
                        "secret-service, memory or file:PATH");
    }
    if (spec == "auto" || spec.empty()) {
        // SPEC §7: the Secret Service when reachable, else the kernel keyring (not built
        // yet). Plaintext files are used only when named, so there is no silent fallback.
        try {
            return open_secret_service(options);
        } catch (const AdalError &e) {
            throw AdalError(ErrorClass::store,
                            e.message() +
                                "; no other token store is available for --store auto: choose "
                                "one with --store memory or --store file:PATH");
        }
    }
    throw AdalError(ErrorClass::invalid,
                    "Unknown token store '" + std::string(spec) +
                        "': use auto, secret-service, keyring, memory or file:PATH");
}

}  // namespace aadcred
