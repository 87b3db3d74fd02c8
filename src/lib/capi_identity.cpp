// aadcred_context_verify_id_token and the identity it returns: the C face of
// core/id_token_verifier.hpp. The keys come through a transport made with the
// context's own settings, so a CA file or proxy given to the context applies here too.

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/identity/issuer_keys.hpp"
#include "core/identity/key_cache.hpp"
#include "core/jose/id_token_verifier.hpp"
#include "lib/capi_common.hpp"
#include "lib/capi_handles.hpp"
#include "util/log.hpp"

struct aadcred_key_cache {
    aadcred::JwksCache cache;
};

struct aadcred_identity {
    aadcred::VerifiedIdToken verified;
};

namespace {

using aadcred::capi::firewall;
using aadcred::capi::require;

constexpr int kDefaultSkewSeconds = 300;  // SPEC §6: 5 minutes
constexpr int kMaxSkewSeconds = 3600;
constexpr std::size_t kMaxAllowedTenants = 256;

// The same transport settings AuthenticationContext gives its own requests.
std::unique_ptr<aadcred::HttpTransport> transport_for(const aadcred::ContextOptions &o) {
    aadcred::TransportOptions t;
    t.ca_file = o.ca_file;
    t.proxy = o.proxy;
    const std::chrono::milliseconds total =
        o.timeout > std::chrono::seconds{0} ? o.timeout : std::chrono::seconds{30};
    t.total_timeout = total;
    t.connect_timeout = std::min<std::chrono::milliseconds>(std::chrono::seconds{10}, total);
    if (o.transport_factory) return o.transport_factory(t);
    return aadcred::make_curl_transport(t);
}

// "tid1, tid2" -> {"tid1", "tid2"}; empty items are skipped.
std::vector<std::string> split_tenants(const char *list, const char *fn) {
    std::vector<std::string> out;
    if (list == nullptr) return out;
    std::string_view rest(list);
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.emplace_back(item);
        require(out.size() <= kMaxAllowedTenants, fn, "allowed_tenants has more than 256 ids");
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return out;
}

// The host-wide cache in `path`, or nullopt (with a warning) when the directory cannot be
// trusted or opened: the keys are then fetched as without one, never read from there.
std::optional<aadcred::HostKeyCache> open_host_cache(const char *path, const aadcred::Logger &log) {
    auto opened = aadcred::KeyCacheDir::open(path);
    if (auto *refused = std::get_if<aadcred::KeyCacheDir::Refused>(&opened)) {
        log.warning("The key cache " + std::string(path) + " is not used: " + refused->why);
        return std::nullopt;
    }
    return aadcred::HostKeyCache(std::get<aadcred::KeyCacheDir>(std::move(opened)));
}

// The caller's claim name for a message: printable ASCII, at most 64 bytes.
std::string claim_label(std::string_view name) {
    std::string out;
    for (const char c : name.substr(0, 64)) out += c >= 0x20 && c < 0x7f ? c : '?';
    return out;
}

}  // namespace

extern "C" {

int aadcred_key_cache_new(aadcred_key_cache **out) {
    return firewall([&] {
        require(out != nullptr, "aadcred_key_cache_new", "out is NULL");
        *out = std::make_unique<aadcred_key_cache>().release();
        return 0;
    });
}

void aadcred_key_cache_free(aadcred_key_cache *cache) {
    aadcred::capi::free_handle(cache);
}

int aadcred_context_verify_id_token(aadcred_identity **out, aadcred_context *context,
                                    const aadcred_token *token,
                                    const aadcred_identity_options *options) {
    return firewall([&] {
        const char *fn = "aadcred_context_verify_id_token";
        require(out != nullptr, fn, "out is NULL");
        require(context != nullptr, fn, "context is NULL");
        require(token != nullptr, fn, "token is NULL");
        require(options != nullptr, fn, "options is NULL (client_id is required)");
        aadcred::capi::require_version(options->version, AADCRED_IDENTITY_OPTIONS_VERSION, fn,
                                       "aadcred_identity_options");
        require(options->client_id != nullptr && *options->client_id != '\0', fn,
                "client_id is required");
        require(options->clock_skew >= 0 && options->clock_skew <= kMaxSkewSeconds, fn,
                "clock_skew must be between 0 (default) and 3600 seconds");
        // Version 1 callers' structs end before key_cache_dir: never read past them.
        const char *key_cache_dir = options->version >= 2 ? options->key_cache_dir : nullptr;
        require(key_cache_dir == nullptr || key_cache_dir[0] == '/', fn,
                "key_cache_dir must be an absolute path");
        if (token->entry.id_token().empty())
            throw aadcred::AdalError(aadcred::ErrorClass::protocol,
                                     "The token came without an id_token (ask for the openid "
                                     "scope); the identity cannot be verified");

        aadcred::AuthenticationContext &ctx = *context->context;
        const aadcred::ContextOptions &copts = ctx.options();
        const aadcred::Logger log("IdTokenVerifier", ctx.correlation_id(), copts.enable_pii);
        const auto transport = transport_for(copts);
        aadcred::JwksCache call_cache;
        aadcred::JwksCache &memory =
            options->key_cache != nullptr ? options->key_cache->cache : call_cache;
        std::optional<aadcred::HostKeyCache> host;
        if (key_cache_dir != nullptr) host = open_host_cache(key_cache_dir, log);
        aadcred::IssuerKeySource &keys =
            host ? static_cast<aadcred::IssuerKeySource &>(*host) : memory;
        const aadcred::Authority &authority = ctx.authority();
        const auto find_key = [&](std::string_view kid, std::string_view x5t) {
            return keys.find_key(*transport, authority, log, kid, x5t);
        };

        aadcred::IdentityPolicy policy;
        policy.client_id = options->client_id;
        policy.issuer = keys.metadata(*transport, authority, log).issuer;
        policy.allowed_tenants = split_tenants(options->allowed_tenants, fn);
        policy.authority_tenant = authority.tenant();
        // Azure AD names its tenant in every token; ADFS and other OIDC providers do not.
        policy.require_tid = authority.api() != aadcred::ApiKind::oidc && !authority.is_adfs();
        policy.clock_skew = std::chrono::seconds(options->clock_skew > 0 ? options->clock_skew
                                                                         : kDefaultSkewSeconds);

        const aadcred::IdTokenVerifier verifier(std::move(policy));
        aadcred::VerifiedIdToken verified =
            verifier.verify(token->entry.id_token().reveal(), find_key);
        log.info("The id_token was verified");
        *out = std::make_unique<aadcred_identity>(aadcred_identity{std::move(verified)}).release();
        return 0;
    });
}

// A C string ends at the first NUL: a claim "alice\u0000@evil.example" returned as is
// would read as "alice". Such a claim (the verifier refuses any holding a control
// character) is refused here with an error, never handed out cut short.
const char *aadcred_identity_claim(const aadcred_identity *identity, const char *name) {
    if (identity == nullptr || name == nullptr) return nullptr;
    const std::string *value = identity->verified.claim(name);
    const bool cut = value != nullptr && std::strlen(value->c_str()) != value->size();
    if (cut || identity->verified.refused(name)) {
        aadcred::capi::record_error(aadcred::AdalError(
            aadcred::ErrorClass::protocol, "The id_token's claim \"" + claim_label(name) +
                                               "\" holds control characters; it is refused"));
        return nullptr;
    }
    aadcred::capi::clear_error();
    return value != nullptr ? value->c_str() : nullptr;
}

int aadcred_identity_to_json(char **out, const aadcred_identity *identity) {
    return firewall([&] {
        require(out != nullptr, "aadcred_identity_to_json", "out is NULL");
        require(identity != nullptr, "aadcred_identity_to_json", "identity is NULL");
        *out = aadcred::capi::dup_string(identity->verified.payload);
        return 0;
    });
}

void aadcred_identity_free(aadcred_identity *identity) {
    aadcred::capi::free_handle(identity);
}

}  // extern "C"
