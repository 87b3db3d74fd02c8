// The thread-local last error behind aadcred_error_last(): owned copies of every string,
// so the pointers handed out stay valid until the next aadcred call on this thread
// (libgit2's git_error_last contract), and the mapping from the engine's ErrorClass to the
// public return codes and classes.

#include <cstdlib>
#include <cstring>

#include "lib/capi_common.hpp"

namespace aadcred::capi {
namespace {

struct ErrorRecord {
    bool set = false;
    aadcred_error view{};
    std::string message;
    std::string error;
    std::string error_description;
    std::string correlation_id;
    std::string error_response;
    std::vector<long long> error_codes;
};

thread_local ErrorRecord t_record;

struct Mapping {
    int code;
    aadcred_error_class klass;
};

// not_found and interaction_required are told apart by their return codes; the class
// enum has no entry for them, so they report AADCRED_ERROR_CLASS_NONE.
Mapping map_class(ErrorClass klass) noexcept {
    switch (klass) {
        case ErrorClass::server:
            return {AADCRED_ERROR, AADCRED_ERROR_CLASS_SERVER};
        case ErrorClass::protocol:
            return {AADCRED_ERROR, AADCRED_ERROR_CLASS_PROTOCOL};
        case ErrorClass::network:
            return {AADCRED_EUNREACHABLE, AADCRED_ERROR_CLASS_NETWORK};
        case ErrorClass::store:
            return {AADCRED_ESTORE, AADCRED_ERROR_CLASS_STORE};
        case ErrorClass::invalid:
            return {AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID};
        case ErrorClass::cancelled:
            return {AADCRED_ECANCELLED, AADCRED_ERROR_CLASS_CANCELLED};
        case ErrorClass::timeout:
            return {AADCRED_ERROR, AADCRED_ERROR_CLASS_TIMEOUT};
        case ErrorClass::not_found:
            return {AADCRED_ENOTFOUND, AADCRED_ERROR_CLASS_NONE};
        case ErrorClass::interaction_required:
            return {AADCRED_EINTERACTION_REQUIRED, AADCRED_ERROR_CLASS_NONE};
        case ErrorClass::internal:
            return {AADCRED_ERROR, AADCRED_ERROR_CLASS_INTERNAL};
    }
    return {AADCRED_ERROR, AADCRED_ERROR_CLASS_INTERNAL};
}

const char *or_null(const std::string &s) noexcept {
    return s.empty() ? nullptr : s.c_str();
}

void publish(ErrorRecord &r, aadcred_error_class klass) noexcept {
    r.view.klass = klass;
    r.view.message = r.message.c_str();
    r.view.error = or_null(r.error);
    r.view.error_description = or_null(r.error_description);
    r.view.correlation_id = or_null(r.correlation_id);
    r.view.error_response = or_null(r.error_response);
    r.set = true;
}

// When even copying the message fails, report a fixed text rather than nothing.
int record_out_of_memory() noexcept {
    ErrorRecord &r = t_record;
    r.message.clear();
    r.error.clear();
    r.error_description.clear();
    r.correlation_id.clear();
    r.error_response.clear();
    r.error_codes.clear();
    r.view = aadcred_error{};
    r.view.klass = AADCRED_ERROR_CLASS_INTERNAL;
    r.view.message = "out of memory";
    r.set = true;
    return AADCRED_ERROR;
}

}  // namespace

int record_error(const AdalError &e) noexcept {
    Mapping m = map_class(e.klass());
    try {
        ErrorRecord &r = t_record;
        r.message = e.message().empty() ? std::string("unknown error") : e.message();
        r.error = e.error();
        r.error_description = e.error_description();
        r.correlation_id = e.correlation_id();
        // Already without secrets (AdalError keeps none); checked again because this is
        // what aadcred_error_last() hands to every caller.
        r.error_response = error_body_without_secrets(e.error_response());
        r.error_codes = e.error_codes();
        publish(r, m.klass);
    } catch (...) {
        return record_out_of_memory();
    }
    return m.code;
}

int record_internal(const char *message) noexcept {
    try {
        ErrorRecord &r = t_record;
        r.message = message != nullptr && *message != '\0' ? message : "internal error";
        r.error.clear();
        r.error_description.clear();
        r.correlation_id.clear();
        r.error_response.clear();
        r.error_codes.clear();
        publish(r, AADCRED_ERROR_CLASS_INTERNAL);
    } catch (...) {
        return record_out_of_memory();
    }
    return AADCRED_ERROR;
}

void clear_error() noexcept {
    t_record.set = false;
}

const std::vector<long long> *recorded_error_codes(const aadcred_error *error) noexcept {
    const ErrorRecord &r = t_record;
    return r.set && error == &r.view ? &r.error_codes : nullptr;
}

void fail_invalid(const char *function, const char *what) {
    std::string message(function);
    message += ": ";
    message += what;
    throw AdalError(ErrorClass::invalid, std::move(message));
}

void require_version(unsigned int version, unsigned int current, const char *function,
                     const char *what) {
    if (version >= 1 && version <= current) return;
    std::string message(function);
    message += ": ";
    message += what;
    if (version == 0) {
        message += " version is 0 (initialise it with its _INIT macro)";
    } else {
        message += " version " + std::to_string(version) +
                   " is newer than this library supports (" + std::to_string(current) + ")";
    }
    throw AdalError(ErrorClass::invalid, std::move(message));
}

char *dup_string(std::string_view text) {
    auto *copy = static_cast<char *>(std::malloc(text.size() + 1));
    if (copy == nullptr) throw std::bad_alloc();
    if (!text.empty()) std::memcpy(copy, text.data(), text.size());
    copy[text.size()] = '\0';
    return copy;
}

}  // namespace aadcred::capi

extern "C" const aadcred_error *aadcred_error_last(void) {
    const auto &r = aadcred::capi::t_record;
    return r.set ? &r.view : nullptr;
}
