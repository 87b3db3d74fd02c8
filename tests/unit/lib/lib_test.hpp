#pragma once
// Shared by the libaadcred API tests: fixtures (ADAL's literal cache JSON, a user code) and
// small helpers. Include it last: it brings in <cmocka.h>.

#include <aadcred/aadcred.h>
#include <rapidjson/document.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "../common/cmocka_cpp.hpp"

namespace lib_test {

inline constexpr const char *kAuthority =
    "https://login.microsoftonline.com/contoso.onmicrosoft.com";
inline constexpr const char *kResource = "https://graph.windows.net/";

// ADAL for Python's TokenCache.serialize() output, byte for byte (reference §5.1).
inline constexpr const char *kAdalCache =
    "[{\"tokenType\": \"Bearer\", \"expiresIn\": 3600, \"expiresOn\": \"2019-01-01 "
    "10:00:00.000000\", \"resource\": \"https://graph.windows.net/\", \"accessToken\": \"AT\", "
    "\"refreshToken\": \"RT\", \"userId\": \"alice@contoso.com\", \"isUserIdDisplayable\": "
    "true, \"isMRRT\": true, \"_clientId\": \"client-1\", \"_authority\": "
    "\"https://login.microsoftonline.com/contoso.onmicrosoft.com\"}]";

// The same entry, valid until 2099: acquire_token answers it without any request.
inline constexpr const char *kFreshCache =
    "[{\"tokenType\": \"Bearer\", \"expiresIn\": 3600, \"expiresOn\": \"2099-01-01 "
    "10:00:00.000000\", \"resource\": \"https://graph.windows.net/\", \"accessToken\": \"AT\", "
    "\"refreshToken\": \"RT\", \"userId\": \"alice@contoso.com\", \"isUserIdDisplayable\": "
    "true, \"isMRRT\": true, \"_clientId\": \"client-1\", \"_authority\": "
    "\"https://login.microsoftonline.com/contoso.onmicrosoft.com\"}]";

inline constexpr const char *kUserCode =
    "{\"userCode\": \"ABCD-EFGH\", \"deviceCode\": \"DC123\", \"verificationUrl\": "
    "\"https://microsoft.com/devicelogin\", \"expiresIn\": 900, \"interval\": 5, "
    "\"message\": \"Enter ABCD-EFGH\"}";

/// Asserts a failed call: its code, the class and (a part of) the message it recorded.
inline void expect_error(int rc, int code, aadcred_error_class klass, const char *fragment) {
    assert_int_equal(rc, code);
    const aadcred_error *error = aadcred_error_last();
    assert_non_null(error);
    assert_int_equal(error->klass, klass);
    assert_non_null(error->message);
    if (fragment != nullptr && std::strstr(error->message, fragment) == nullptr) {
        fail_msg("message \"%s\" lacks \"%s\"", error->message, fragment);
    }
}

/// Calls a `char **out` function, asserts success and returns the string (freed).
template <typename Fn, typename Arg>
inline std::string take(Fn fn, Arg arg) {
    char *out = nullptr;
    int rc = fn(&out, arg);
    if (rc != 0) fail_msg("call failed: %d %s", rc, aadcred_error_last()->message);
    std::string copy(out);
    aadcred_string_free(out);
    return copy;
}

// A view, so that the C++ API's SecretString parses without an unwiped copy.
inline rapidjson::Document parse(std::string_view json) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError()) fail_msg("not JSON: %.*s", static_cast<int>(json.size()), json.data());
    return doc;
}

/// Account locks go to a private XDG_RUNTIME_DIR, removed when the test ends.
class PrivateRuntimeDir {
  public:
    PrivateRuntimeDir() {
        if (mkdtemp(dir_) == nullptr) fail_msg("mkdtemp failed");
        setenv("XDG_RUNTIME_DIR", dir_, 1);
    }
    ~PrivateRuntimeDir() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    PrivateRuntimeDir(const PrivateRuntimeDir &) = delete;
    PrivateRuntimeDir &operator=(const PrivateRuntimeDir &) = delete;

  private:
    char dir_[32] = "/tmp/aadcred-lib-test-XXXXXX";
};

}  // namespace lib_test

using namespace lib_test;  // NOLINT: tests read better with the bare names
