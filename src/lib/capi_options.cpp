// The *_init functions of the options structs: what the _INIT macros give, for callers
// that cannot expand a C macro (language bindings, dlopen users), as libgit2's
// git_*_options_init do. A caller built against an older header passes its older version
// and a smaller struct: only the fields that version has are written, never past them.

#include <cstddef>
#include <cstring>
#include <initializer_list>

#include "lib/capi_common.hpp"

namespace {

using aadcred::capi::firewall;
using aadcred::capi::require;

/// Fills `out` with `defaults` as a struct of `version` has them. `sizes` holds the size
/// of the struct at versions 1, 2, ...: its last entry is sizeof(T).
template <typename T>
int init_struct(T *out, unsigned int version, const T &defaults,
                std::initializer_list<std::size_t> sizes, const char *fn, const char *what) {
    return firewall([&] {
        require(out != nullptr, fn, "out is NULL");
        aadcred::capi::require_version(version, static_cast<unsigned int>(sizes.size()), fn, what);
        std::memcpy(out, &defaults, sizes.begin()[version - 1]);
        out->version = version;
        return 0;
    });
}

}  // namespace

extern "C" {

int aadcred_logging_options_init(aadcred_logging_options *out, unsigned int version) {
    static_assert(AADCRED_LOGGING_OPTIONS_VERSION == 1, "list the size of every version");
    const aadcred_logging_options defaults = AADCRED_LOGGING_OPTIONS_INIT;
    return init_struct(out, version, defaults, {sizeof defaults}, "aadcred_logging_options_init",
                       "aadcred_logging_options");
}

int aadcred_context_options_init(aadcred_context_options *out, unsigned int version) {
    static_assert(AADCRED_CONTEXT_OPTIONS_VERSION == 2, "list the size of every version");
    const aadcred_context_options defaults = AADCRED_CONTEXT_OPTIONS_INIT;
    return init_struct(out, version, defaults,
                       {offsetof(aadcred_context_options, instance_discovery), sizeof defaults},
                       "aadcred_context_options_init", "aadcred_context_options");
}

int aadcred_request_init(aadcred_request *out, unsigned int version) {
    static_assert(AADCRED_REQUEST_VERSION == 4, "list the size of every version");
    const aadcred_request defaults = AADCRED_REQUEST_INIT;
    return init_struct(out, version, defaults,
                       {offsetof(aadcred_request, proxy), offsetof(aadcred_request, flow),
                        offsetof(aadcred_request, hot_cache), sizeof defaults},
                       "aadcred_request_init", "aadcred_request");
}

int aadcred_identity_options_init(aadcred_identity_options *out, unsigned int version) {
    static_assert(AADCRED_IDENTITY_OPTIONS_VERSION == 2, "list the size of every version");
    const aadcred_identity_options defaults = AADCRED_IDENTITY_OPTIONS_INIT;
    return init_struct(out, version, defaults,
                       {offsetof(aadcred_identity_options, key_cache_dir), sizeof defaults},
                       "aadcred_identity_options_init", "aadcred_identity_options");
}

int aadcred_device_flow_options_init(aadcred_device_flow_options *out, unsigned int version) {
    static_assert(AADCRED_DEVICE_FLOW_OPTIONS_VERSION == 1, "list the size of every version");
    const aadcred_device_flow_options defaults = AADCRED_DEVICE_FLOW_OPTIONS_INIT;
    return init_struct(out, version, defaults, {sizeof defaults},
                       "aadcred_device_flow_options_init", "aadcred_device_flow_options");
}

int aadcred_browser_options_init(aadcred_browser_options *out, unsigned int version) {
    static_assert(AADCRED_BROWSER_OPTIONS_VERSION == 1, "list the size of every version");
    const aadcred_browser_options defaults = AADCRED_BROWSER_OPTIONS_INIT;
    return init_struct(out, version, defaults, {sizeof defaults}, "aadcred_browser_options_init",
                       "aadcred_browser_options");
}

}  // extern "C"
