#pragma once
// What every extern "C" body shares: the exception firewall (fmt's fmt-c.cc style: no
// exception ever crosses the C ABI), argument checks that fail with a message (libsecret's
// g_return_val_if_fail habit, but recorded in aadcred_error_last()), and malloc'd strings
// for the caller.

#include <aadcred/aadcred.h>

#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/adal_error.hpp"

namespace aadcred::capi {

/// Records `e` as this thread's last error; returns the aadcred_error_code it maps to.
int record_error(const AdalError &e) noexcept;
/// Records an internal failure (out of memory, a bug); returns AADCRED_ERROR.
int record_internal(const char *message) noexcept;
/// Forgets the last error: aadcred_error_last() returns NULL afterwards.
void clear_error() noexcept;
/// The OAuth error_codes of the recorded error when `error` is this thread's record,
/// else nullptr (the caller then reads them from error_response).
const std::vector<long long> *recorded_error_codes(const aadcred_error *error) noexcept;

/// Throws AdalError(invalid) "<function>: <what>".
[[noreturn]] void fail_invalid(const char *function, const char *what);

/// Throws AdalError(invalid) "<function>: <what>" unless `condition` holds. Inline, so
/// readers and analysers see that nothing after a failed check runs.
inline void require(bool condition, const char *function, const char *what) {
    if (!condition) fail_invalid(function, what);
}

/// Checks the version field of an options struct: 1..`current` are known, 0 means the
/// caller forgot the _INIT macro, anything larger comes from a newer header.
void require_version(unsigned int version, unsigned int current, const char *function,
                     const char *what);

/// The integer a C caller stored in an enum field. Read through its bytes: a C program may
/// store any int there, and loading an out-of-range value as the C++ enum is undefined.
template <typename Enum>
long long enum_value(const Enum &field) noexcept {
    std::underlying_type_t<Enum> raw;
    std::memcpy(&raw, &field, sizeof raw);
    return static_cast<long long>(raw);
}

/// A malloc'd, NUL-terminated copy of `text` for aadcred_string_free. Throws bad_alloc.
char *dup_string(std::string_view text);

/// Runs `body` (returning an int >= 0 on success) behind the exception firewall. Success
/// clears the last error (`keep_error` leaves it alone, for functions such as
/// aadcred_error_to_json that read it); any exception becomes a recorded error and its code.
template <typename Body>
int firewall(Body &&body, bool keep_error = false) noexcept {
    try {
        int rc = body();
        if (rc >= 0 && !keep_error) clear_error();
        return rc;
    } catch (const AdalError &e) {
        return record_error(e);
    } catch (const std::bad_alloc &) {
        return record_internal("out of memory");
    } catch (const std::exception &e) {
        return record_internal(e.what());
    } catch (...) {
        return record_internal("unknown exception");
    }
}

}  // namespace aadcred::capi
