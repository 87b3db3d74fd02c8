// ADAL's AuthenticationContext (reference §1.1, §3) for the device code flow, the silent
// cache flow and explicit refresh, on top of the authority, OAuth2 client, poller and
// cache driver. Differences from ADAL are SPEC §3's and are noted where they happen.

#include "core/adal/authentication_context.hpp"

#include <algorithm>

#include "core/adal/cache_driver.hpp"
#include "core/adal/flow_call.hpp"
#include "core/adal/token_cache.hpp"
#include "core/adal_error.hpp"
#include "core/oauth2/device_code_poller.hpp"
#include "core/oauth2/oauth2_client.hpp"
#include "core/oauth2/username_password_flow.hpp"
#include "util/form_encode.hpp"
#include "util/log.hpp"
#include "util/uuid.hpp"

namespace aadcred {

namespace {

// RFC 8628 §3.4; AAD v1 (and so ADAL) uses the bare "device_code" with the code in `code`.
constexpr std::string_view kDeviceGrantUrn = "urn:ietf:params:oauth:grant-type:device_code";

std::string with_query(std::string url, std::string_view query) {
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += query;
    return url;
}

}  // namespace

struct AuthenticationContext::PollRegistration {
    PollCancellation cancellation;
};

AuthenticationContext::AuthenticationContext(std::string_view authority, ContextOptions options)
    : authority_(authority, options.validate_authority, options.api), options_(std::move(options)) {
    if (!options_.cache) options_.cache = std::make_shared<TokenCache>();
    if (!options_.instance_discovery.empty())
        authority_.set_instance_discovery(options_.instance_discovery);
}

AuthenticationContext::~AuthenticationContext() = default;

std::unique_ptr<HttpTransport> AuthenticationContext::new_transport() const {
    TransportOptions transport;
    transport.ca_file = options_.ca_file;
    transport.proxy = options_.proxy;
    const std::chrono::milliseconds total =
        options_.timeout > std::chrono::seconds{0} ? options_.timeout : std::chrono::seconds{30};
    transport.total_timeout = total;
    transport.connect_timeout =
        std::min<std::chrono::milliseconds>(std::chrono::seconds{10}, total);
    if (options_.transport_factory) return options_.transport_factory(transport);
    return make_curl_transport(transport);
}

std::string AuthenticationContext::call_correlation_id(std::string_view preferred) const {
    if (!preferred.empty()) return std::string(preferred);
    if (!correlation_id_.empty()) return correlation_id_;
    return uuid4();
}

Endpoints AuthenticationContext::validated_endpoints(HttpTransport &transport,
                                                     const std::string &correlation_id) {
    std::lock_guard lock(validate_mutex_);
    authority_.validate(transport, Logger("Authority", correlation_id, options_.enable_pii));
    return authority_.endpoints();
}

std::string AuthenticationContext::token_url(const Endpoints &endpoints) const {
    // ADAL's api_version goes on the token endpoint only (reference §1.1).
    if (options_.api_version.empty()) return endpoints.token;
    return with_query(endpoints.token, "api-version=" + percent_quote(options_.api_version, ""));
}

CacheDriver AuthenticationContext::cache_driver(std::string_view resource,
                                                std::string_view client_id,
                                                const std::string &correlation_id,
                                                CacheDriver::Refresh refresh) {
    return CacheDriver(cache(), authority_.url(), std::string(resource), std::string(client_id),
                       Logger("CacheDriver", correlation_id, options_.enable_pii),
                       std::move(refresh), [this] { return poll_clock().now(); });
}

AuthenticationContext::Call AuthenticationContext::open_call(std::string_view component,
                                                             std::string_view preferred) {
    std::string correlation_id = call_correlation_id(preferred);
    auto transport = new_transport();
    Endpoints endpoints = validated_endpoints(*transport, correlation_id);
    std::string url = token_url(endpoints);
    OAuth2Client client(*transport, Logger("OAuth2Client", correlation_id, options_.enable_pii));
    Logger log(std::string(component), correlation_id, options_.enable_pii);
    return Call{std::move(correlation_id), std::move(log), std::move(transport),
                std::move(endpoints),      std::move(url), std::move(client)};
}

CacheDriver::Refresh AuthenticationContext::refresh_within(Call &call, std::string_view client_id,
                                                           std::string_view resource,
                                                           LogLevel refusal_level) const {
    return [this, &call, client_id, resource, refusal_level](const SecretString &refresh_token) {
        return call.client.get_token(
            call.token_url, refresh_body(refresh_token, client_id, resource, {}), refusal_level);
    };
}

PollClock &AuthenticationContext::poll_clock() const {
    return options_.poll_clock ? *options_.poll_clock : system_poll_clock();
}

SecretString AuthenticationContext::refresh_body(const SecretString &refresh_token,
                                                 std::string_view client_id,
                                                 std::string_view resource,
                                                 const SecretString &client_secret) const {
    // ADAL's order: grant_type, client_id, resource (each only if given), client_secret,
    // refresh_token. v2 and OpenID Connect name scopes instead of a resource.
    FormEncoder form;
    form.add("grant_type", "refresh_token");
    if (!client_id.empty()) form.add("client_id", client_id);
    if (options_.api == ApiKind::v1) {
        if (!resource.empty()) form.add("resource", resource);
    } else {
        form.add("scope", with_sign_in_scopes(resource));
    }
    if (!client_secret.empty()) form.add("client_secret", client_secret);
    form.add("refresh_token", refresh_token);
    if (!options_.claims.empty()) form.add("claims", options_.claims);
    return form.body();
}

UserCodeInfo AuthenticationContext::acquire_user_code(std::string_view resource,
                                                      std::string_view client_id,
                                                      std::string_view language) {
    Call call = open_call("CodeRequest");
    call.log.info("Getting user code info.");

    FormEncoder form;
    form.add("client_id", client_id);
    std::string url = call.endpoints.device_code;
    if (options_.api == ApiKind::v1) {
        // ADAL always asks the v1 endpoint for api-version=1.0 here.
        url = with_query(url, "api-version=1.0");
        form.add("resource", resource);
    } else {
        form.add("scope", with_sign_in_scopes(resource));
    }
    if (!language.empty()) form.add("mkt", language);
    if (!options_.claims.empty()) form.add("claims", options_.claims);
    return call.client.get_user_code_info(url, form.body(), poll_clock().now());
}

TokenEntry AuthenticationContext::acquire_token_with_device_code(std::string_view resource,
                                                                 const UserCodeInfo &user_code_info,
                                                                 std::string_view client_id,
                                                                 std::int64_t deadline) {
    if (user_code_info.device_code.empty())
        throw AdalError(ErrorClass::invalid, "the user_code_info is missing device_code");
    // The poll sends the client-request-id the device code reply echoed (ADAL does).
    Call call = open_call("TokenRequest", user_code_info.correlation_id);
    call.log.info("Getting a token via device code");

    // Registered under a hash of the device code, so the map holds no secret. ADAL
    // removes the registration only on success; every exit path removes it here.
    const std::string poll_key = Logger::token_id(user_code_info.device_code);
    const auto registration = std::make_shared<PollRegistration>();
    {
        std::lock_guard lock(polls_mutex_);
        if (polls_.count(poll_key) != 0)
            throw AdalError(ErrorClass::invalid,
                            "acquire_token_with_device_code is already polling for this code");
        polls_.emplace(poll_key, registration);
    }
    struct Unregister {
        AuthenticationContext &context;
        const std::string &key;
        const std::shared_ptr<PollRegistration> &mine;
        ~Unregister() {
            std::lock_guard lock(context.polls_mutex_);
            auto it = context.polls_.find(key);
            if (it != context.polls_.end() && it->second == mine) context.polls_.erase(it);
        }
    } unregister{*this, poll_key, registration};

    FormEncoder form;
    if (options_.api == ApiKind::v1) {
        form.add("grant_type", "device_code").add("client_id", client_id);
        form.add("resource", resource).add("code", user_code_info.device_code);
    } else {
        form.add("grant_type", kDeviceGrantUrn).add("client_id", client_id);
        form.add("device_code", user_code_info.device_code);
    }
    if (!options_.claims.empty()) form.add("claims", options_.claims);
    const SecretString body = form.body();

    PollClock &clock = poll_clock();
    PollPlan plan;
    plan.interval =
        std::chrono::seconds(std::min(user_code_info.interval, kMaxPollIntervalSeconds));
    // Seconds left, from the deadline fixed when the code was issued if known; bounded
    // before it becomes a time_point (user_code_info.hpp).
    const auto now = clock.now();
    const std::int64_t now_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    std::int64_t left = user_code_info.expires_at > 0 ? user_code_info.expires_at - now_seconds
                                                      : user_code_info.expires_in;
    if (deadline > 0) left = std::min(left, deadline - now_seconds);  // the caller's limit
    plan.deadline =
        now + std::chrono::seconds(std::clamp<std::int64_t>(left, 0, kMaxCodeLifetimeSeconds));
    const HttpResponse reply = poll_for_token(
        clock, registration->cancellation, call.client.log(), plan,
        [&] { return call.client.post(call.token_url, body, "Get token with device code"); });
    TokenEntry entry = call.client.parse_token(reply);

    CacheDriver driver = cache_driver(resource, client_id, call.correlation_id, {});
    call.log.verbose("Storing retrieved token into cache");
    driver.add(entry);
    return entry;
}

void AuthenticationContext::cancel_request_to_get_token_with_device_code(
    const UserCodeInfo &user_code_info) {
    // ADAL's argument.validate_user_code_info, texts and order included ("internal" sic).
    if (user_code_info.device_code.empty())
        throw AdalError(ErrorClass::invalid, "the user_code_info is missing device_code");
    if (user_code_info.interval == 0)
        throw AdalError(ErrorClass::invalid, "the user_code_info is missing internal");
    if (user_code_info.expires_in == 0)
        throw AdalError(ErrorClass::invalid, "the user_code_info is missing expires_in");

    std::lock_guard lock(polls_mutex_);
    auto it = polls_.find(Logger::token_id(user_code_info.device_code));
    if (it == polls_.end())
        throw AdalError(ErrorClass::invalid,
                        "No acquire_token_with_device_code existed to be cancelled");
    it->second->cancellation.cancel();  // wakes the poller now, not after its sleep
    polls_.erase(it);
}

std::optional<TokenEntry> AuthenticationContext::acquire_token(std::string_view resource,
                                                               std::string_view user_id,
                                                               std::string_view client_id,
                                                               std::chrono::seconds expiry_buffer) {
    const std::string correlation_id = call_correlation_id();
    Logger log("TokenRequest", correlation_id, options_.enable_pii);
    log.verbose("Getting token from cache with refresh if necessary.");
    // ADAL validates the authority before looking in the cache; here it happens only
    // when a refresh must go on the wire, so a cache hit needs no network.
    std::optional<Call> call;
    auto refresh = [&](const SecretString &refresh_token) {
        log.info("Getting a new token from a refresh token");
        if (!call) call.emplace(open_call("TokenRequest", correlation_id));
        // A refused silent refresh is what acquire_token's callers expect now and then
        // (expired, revoked refresh token): they sign in anew (CredentialProvider) or
        // report the failure themselves, so the refusal is a warning, not an error line
        // before a sign-in that then succeeds.
        return refresh_within(*call, client_id, resource, LogLevel::warning)(refresh_token);
    };
    CacheDriver driver = cache_driver(resource, client_id, correlation_id, refresh);
    // Claims asked for: a cached access token cannot carry them, a refreshed one can.
    return driver.find(user_id, expiry_buffer, !options_.claims.empty());
}

TokenEntry AuthenticationContext::acquire_token_with_refresh_token(
    const SecretString &refresh_token, std::string_view client_id, std::string_view resource,
    const SecretString &client_secret) {
    Call call = open_call("TokenRequest");
    call.log.info("Getting a new token from a refresh token");
    return call.client.get_token(call.token_url,
                                 refresh_body(refresh_token, client_id, resource, client_secret));
}

// --- Username/password flow (issue 3) ---------------------------------------------------

TokenEntry AuthenticationContext::acquire_token_with_username_password(std::string_view resource,
                                                                       std::string_view username,
                                                                       const SecretString &password,
                                                                       std::string_view client_id) {
    // User realm, WS-Trust and the password grant are Azure AD v1 / ADFS protocols.
    if (options_.api != ApiKind::v1)
        throw AdalError(
            ErrorClass::invalid,
            "acquire_token_with_username_password needs an Azure AD v1 or ADFS authority");
    // ADAL validates the authority before anything else in every acquire_token_* call.
    Call call = open_call("TokenRequest");
    call.log.verbose("Acquiring token with username password.");

    CacheDriver driver = cache_driver(resource, client_id, call.correlation_id,
                                      refresh_within(call, client_id, resource));
    try {
        if (auto cached = driver.find(username, kExpiryBuffer)) return std::move(*cached);
    } catch (const AdalError &e) {
        // ADAL logs and goes to the network (reference §5.2 step 6).
        call.log.warning(std::string("Attempt to look for token in cache resulted in Error: ") +
                         e.what());
    }

    UsernamePasswordRequest request{authority_, call.token_url, resource,           client_id,
                                    username,   password,       options_.enable_pii};
    TokenEntry entry = username_password_token(*call.transport, call.log, request);
    call.log.verbose("Storing retrieved token into cache");
    driver.add(entry);
    return entry;
}

// --- end of username/password flow -------------------------------------------------------

}  // namespace aadcred
