#include "profile.hpp"

#include <algorithm>
#include <cctype>

#include "api_kind.hpp"
#include "ascii_case.hpp"
#include "azure_devops.hpp"
#include "helper_settings.hpp"
#include "sign_in_flow.hpp"

namespace gitcred {

namespace {

ResolveResult error(std::string message) {
    ResolveResult r;
    r.kind = Resolution::kError;
    r.message = std::move(message);
    return r;
}

ResolveResult no_match(std::string message = {}) {
    ResolveResult r;
    r.message = std::move(message);
    return r;
}

// Every setting that must be a boolean, checked up front so a typo is reported instead of
// silently meaning "false".
bool read_bool(const std::optional<std::string> &value, std::string_view key, bool fallback,
               bool &out, std::string &message) {
    if (!value) {
        out = fallback;
        return true;
    }
    const auto parsed = parse_git_bool(*value);
    if (!parsed) {
        message = "credential." + std::string(key) + " is not a boolean: '" + *value + "'";
        return false;
    }
    out = *parsed;
    return true;
}

bool read_api(const HelperSettings &s, aadcred_api &api, std::string &message) {
    if (!s.api) {
        // Scopes alone only make sense for v2; otherwise ADAL's v1 (SPEC §3).
        api = s.scopes && !s.resource ? AADCRED_API_V2 : AADCRED_API_V1;
        return true;
    }
    const auto parsed = aadcred::frontend::parse_api_kind(aadcred::frontend::ascii_lower(*s.api));
    if (!parsed) {
        message = "credential.aadcredApi must be v1, v2 or oidc, not '" + *s.api + "'";
        return false;
    }
    api = *parsed;
    return true;
}

bool read_flow(const HelperSettings &s, aadcred_sign_in_flow &flow, std::string &message) {
    if (!s.flow) return true;
    const auto parsed =
        aadcred::frontend::parse_sign_in_flow(aadcred::frontend::ascii_lower(*s.flow));
    if (!parsed) {
        message = "credential.aadcredFlow must be auto, device or browser, not '" + *s.flow + "'";
        return false;
    }
    flow = *parsed;
    return true;
}

}  // namespace

aadcred::CredentialProvider::Request Profile::request() const {
    aadcred::CredentialProvider::Request r;
    r.authority = authority;
    r.client_id = client_id;
    r.resource = resource;
    r.scopes = scopes;
    r.user_id = user_id;
    r.api = static_cast<aadcred::Api>(api);
    r.flow = static_cast<aadcred::SignInFlow>(flow);
    r.ca_file = ca_file;
    r.validate_authority = validate_authority;
    r.store = store;
    return r;
}

ResolveResult resolve_profile(const Credential &credential) {
    auto target = target_from(credential);
    if (!target) return no_match();
    const bool https = target->protocol == "https";
    if (!https && target->protocol != "http") return no_match();

    auto loaded = load_settings(target->url());
    if (!loaded.settings) return error(loaded.error);
    HelperSettings &settings = *loaded.settings;
    const bool azure_devops = is_azure_devops_host(target->hostname);
    if (!settings.configured() && !azure_devops) return no_match();

    std::string message;
    bool allow_http = false;
    if (!read_bool(settings.allow_http, "aadcredAllowHttp", false, allow_http, message)) {
        return error(message);
    }
    if (!https) {
        // A bearer token over plain http can be read by anyone on the path; only a
        // loopback server (a local proxy or test server) may get one, and only on request.
        if (!target->is_loopback() || !allow_http) {
            return no_match("refusing to send a token over plain http to " + target->host +
                            " (https only; loopback hosts need credential.aadcredAllowHttp)");
        }
    }
    if (azure_devops) apply_azure_devops_defaults(settings, *target, credential.get_all("wwwauth"));

    Profile p;
    if (!read_api(settings, p.api, message)) return error(message);
    if (!read_flow(settings, p.flow, message)) return error(message);
    if (!read_bool(settings.validate_authority, "aadcredValidateAuthority", true,
                   p.validate_authority, message)) {
        return error(message);
    }
    if (!read_bool(settings.qr, "aadcredQr", false, p.qr, message)) return error(message);
    const std::string where = "credential." + target->url() + ".";
    if (!settings.authority || settings.authority->empty()) {
        return error(where + "aadcredAuthority is not set");
    }
    if (!settings.client_id || settings.client_id->empty()) {
        return error(where + "aadcredClientId is not set");
    }
    if (p.api == AADCRED_API_V1 && (!settings.resource || settings.resource->empty())) {
        return error(where + "aadcredResource is not set (needed by aadcredApi v1)");
    }
    if (p.api != AADCRED_API_V1 && (!settings.scopes || settings.scopes->empty())) {
        return error(where + "aadcredScopes is not set (needed by aadcredApi v2 and oidc)");
    }
    p.authority = *settings.authority;
    p.client_id = *settings.client_id;
    p.resource = settings.resource.value_or("");
    p.scopes = settings.scopes.value_or("");
    p.ca_file = settings.ca_file.value_or("");
    p.store = settings.store.value_or("");
    // git already applies credential.<url>.username before it calls helpers; config is
    // read here too so the helper behaves the same when run by hand.
    p.username = !target->username.empty() ? target->username : settings.username.value_or("");
    if (!azure_devops || names_an_account(p.username)) p.user_id = p.username;
    p.target = std::move(*target);
    ResolveResult r;
    r.kind = Resolution::kOk;
    r.profile = std::move(p);
    return r;
}

}  // namespace gitcred
