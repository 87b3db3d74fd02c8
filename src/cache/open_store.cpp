#include "cache/store.hpp"

#include <atomic>
#include <cstdio>

#include "cache/file_store.hpp"
#include "cache/hot_cache.hpp"
#include "cache/memory_store.hpp"
#include "core/adal_error.hpp"
#include "util/log.hpp"

#ifdef AADCRED_HAVE_KEYUTILS
#include "cache/kernel_keyring_store.hpp"
#endif

#ifdef AADCRED_HAVE_SECRET_SERVICE
#include "cache/secret_service_store.hpp"
#endif

namespace aadcred {

namespace {

std::unique_ptr<Store> open_secret_service(const StoreOptions &options) {
#ifdef AADCRED_HAVE_SECRET_SERVICE
    // Every write to it empties the hot cache of access tokens it answered for.
    return clearing_hot_cache_on_write(open_secret_service_store(options));
#else
    (void)options;
    throw AdalError(ErrorClass::store, "No Secret Service: aadcred was built without libsecret");
#endif
}

std::unique_ptr<Store> open_kernel_keyring(const StoreOptions &options) {
#ifdef AADCRED_HAVE_KEYUTILS
    return open_kernel_keyring_store(options);
#else
    (void)options;
    throw AdalError(ErrorClass::store, "No kernel keyring: aadcred was built without libkeyutils");
#endif
}

// Issue 5: headless `--store auto` says once that tokens went to the kernel keyring. Once
// per keyring (a marker key, so git's helper does not repeat it on every fetch) and once
// per process (a program opening many stores). Programs that installed a log sink get it
// as a warning there; the CLI and git, which log to stderr, always show it.
void tell_keyring_fallback(Store &store, const std::string &why) {
    static std::atomic<bool> told{false};
    if (told.exchange(true)) return;
#ifdef AADCRED_HAVE_KEYUTILS
    if (!claim_keyring_fallback_notice(store)) return;
#else
    (void)store;
#endif
    const std::string line = "no Secret Service (" + why + "); using the kernel keyring";
    if (get_log_options().sink) {
        Logger("Store", "").warning(line);
    } else {
        std::fprintf(stderr, "aadcred: %s\n", line.c_str());
    }
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
    if (spec == "keyring") return open_kernel_keyring(options);
    if (spec == "auto" || spec.empty()) {
        // SPEC §7: the Secret Service when reachable, else the kernel keyring. Plaintext
        // files are used only when named, so there is no silent fallback to one.
        std::string why;
        try {
            return open_secret_service(options);
        } catch (const AdalError &e) {
            why = e.message();
        }
        std::unique_ptr<Store> keyring;
        try {
            keyring = open_kernel_keyring(options);
        } catch (const AdalError &e) {
            throw AdalError(ErrorClass::store,
                            why + "; " + e.message() +
                                "; no other token store is available for --store auto: choose "
                                "one with --store memory or --store file:PATH");
        }
        constexpr std::string_view kPrefix = "No Secret Service: ";
        if (std::string_view(why).starts_with(kPrefix)) why.erase(0, kPrefix.size());
        tell_keyring_fallback(*keyring, why);
        return keyring;
    }
    throw AdalError(ErrorClass::invalid,
                    "Unknown token store '" + std::string(spec) +
                        "': use auto, secret-service, keyring, memory or file:PATH");
}

}  // namespace aadcred
