// ADAL's set_logging_options / get_logging_options for C callers: the engine's process-wide
// LogOptions, with the C callback wrapped in the engine's sink.

#include <mutex>

#include "lib/capi_common.hpp"
#include "util/log.hpp"

namespace {

using aadcred::capi::firewall;
using aadcred::capi::require;

// The engine's sink is a std::function, so the C callback and payload it wraps are kept
// here for get_logging_options to hand back.
std::mutex g_mutex;
aadcred_log_cb g_callback = nullptr;
void *g_payload = nullptr;

}  // namespace

extern "C" {

int aadcred_set_logging_options(const aadcred_logging_options *options) {
    return firewall([&] {
        const char *fn = "aadcred_set_logging_options";
        // ADAL: set_logging_options() without options means level ERROR, no handler.
        const aadcred_logging_options defaults = AADCRED_LOGGING_OPTIONS_INIT;
        const aadcred_logging_options &in = options != nullptr ? *options : defaults;
        aadcred::capi::require_version(in.version, AADCRED_LOGGING_OPTIONS_VERSION, fn,
                                       "aadcred_logging_options");
        const long long level = aadcred::capi::enum_value(in.level);
        require(level >= AADCRED_LOG_ERROR && level <= AADCRED_LOG_VERBOSE, fn,
                "level must be one of AADCRED_LOG_ERROR .. AADCRED_LOG_VERBOSE");

        aadcred::LogOptions engine;
        engine.level = static_cast<aadcred::LogLevel>(level);
        engine.enable_pii = in.enable_pii != 0;
        if (in.callback != nullptr) {
            aadcred_log_cb callback = in.callback;
            void *payload = in.payload;
            engine.sink = [callback, payload](aadcred::LogLevel level, const std::string &line) {
                callback(static_cast<aadcred_log_level>(level), line.c_str(), payload);
            };
        }
        std::lock_guard lock(g_mutex);
        aadcred::set_log_options(std::move(engine));
        g_callback = in.callback;
        g_payload = in.payload;
        return 0;
    });
}

int aadcred_get_logging_options(aadcred_logging_options *out) {
    return firewall([&] {
        const char *fn = "aadcred_get_logging_options";
        require(out != nullptr, fn, "out is NULL");
        // The caller's version says which fields its struct has (all of them, at version 1).
        aadcred::capi::require_version(out->version, AADCRED_LOGGING_OPTIONS_VERSION, fn,
                                       "aadcred_logging_options");
        aadcred::LogOptions engine = aadcred::get_log_options();
        std::lock_guard lock(g_mutex);
        out->level = static_cast<aadcred_log_level>(engine.level);
        out->callback = g_callback;
        out->payload = g_payload;
        out->enable_pii = engine.enable_pii ? 1 : 0;
        return 0;
    });
}

}  // extern "C"
