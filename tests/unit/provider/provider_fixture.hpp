#pragma once
// What the provider's unit tests share: a canned authority, a request against it, and
// cache entries as ADAL writes them.

#include <chrono>
#include <memory>
#include <string>

#include "core/oauth2/token_response.hpp"
#include "fake_authority.hpp"
#include "provider/credential_provider.hpp"

#include "../cache/cache_test.hpp"

namespace provider_test {

using aadcred::CredentialRequest;
using aadcred::TokenEntry;
namespace key = aadcred::key;

inline constexpr char kAuthority[] = "https://login.microsoftonline.com/contoso.onmicrosoft.com";
inline constexpr char kClient[] = "client-1";
inline constexpr char kResource[] = "https://graph.windows.net/";

struct Fixture {
    cache_test::TempDir dir;
    std::shared_ptr<FakeAuthority> authority = std::make_shared<FakeAuthority>();
    std::string cache_path() const { return dir / "cache.json"; }
};

inline CredentialRequest request(Fixture &f, const std::string &store = "memory") {
    CredentialRequest r;
    r.authority = kAuthority;
    r.client_id = kClient;
    r.resource = kResource;
    r.validate_authority = false;
    r.store.spec = store;
    r.transport_factory = f.authority->factory();
    return r;
}

// An entry as ADAL caches it, valid for `valid_for` more seconds (negative: expired).
inline TokenEntry cached(const std::string &user, const std::string &at, long valid_for,
                         const std::string &resource = kResource) {
    TokenEntry e;
    e.set_string(key::token_type, "Bearer");
    e.set(key::expires_in, std::int64_t{3600});
    e.set_string(key::expires_on, aadcred::format_adal_time(std::chrono::system_clock::now() +
                                                            std::chrono::seconds(valid_for)));
    e.set_string(key::resource, resource);
    e.set_string(key::access_token, at);
    e.set_string(key::refresh_token, "RT-" + at);
    e.set_string(key::user_id, user);
    e.set(key::is_user_id_displayable, true);
    e.set(key::is_mrrt, true);
    e.set_string(key::client_id, kClient);
    e.set_string(key::authority, kAuthority);
    return e;
}

}  // namespace provider_test
