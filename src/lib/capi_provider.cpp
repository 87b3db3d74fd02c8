// aadcred_provider: the CredentialProvider the front ends share, with a Prompter that
// forwards SHOW / DONE to the caller's aadcred_prompt_cb.

#include "core/json/json.hpp"
#include "lib/capi_common.hpp"
#include "lib/capi_handles.hpp"
#include "util/secret_string.hpp"

namespace {

using aadcred::capi::firewall;
using aadcred::capi::require;

constexpr int kMaxSeconds = 86400;

// Hands the engine's UserCodeInfo to the C callback. Every code shown stays alive until
// get_token returns, which covers the header's promise "valid until the DONE call" even
// if the engine shows a second code before finishing the first.
class CallbackPrompter final : public aadcred::Prompter {
  public:
    /// @param note where browser() leaves its note (the provider handle's, which
    ///        aadcred_provider_sign_in_note reads)
    CallbackPrompter(aadcred_prompt_cb callback, void *payload, std::string &note)
        : callback_(callback), payload_(payload), note_(note) {}

    bool show(const aadcred::UserCodeInfo &code) override {
        shown_.push_back(std::make_unique<aadcred_user_code>(aadcred_user_code{code}));
        return callback_(AADCRED_PROMPT_SHOW, shown_.back().get(), payload_) == 0;
    }

    bool browser(const std::string &note) override {
        note_ = note;
        return callback_(AADCRED_PROMPT_BROWSER, nullptr, payload_) == 0;
    }

    void done(const aadcred::UserCodeInfo &code) override {
        const aadcred_user_code *handle = nullptr;
        for (const auto &shown : shown_) {
            if (shown->info.device_code == code.device_code) handle = shown.get();
        }
        if (handle == nullptr) {
            shown_.push_back(std::make_unique<aadcred_user_code>(aadcred_user_code{code}));
            handle = shown_.back().get();
        }
        callback_(AADCRED_PROMPT_DONE, handle, payload_);
    }

  private:
    aadcred_prompt_cb callback_;
    void *payload_;
    std::vector<std::unique_ptr<aadcred_user_code>> shown_;
    std::string &note_;
};

std::string copy_or_empty(const char *text) {
    return text != nullptr ? text : "";
}

aadcred::CredentialRequest to_request(const aadcred_request &in) {
    const char *fn = "aadcred_provider_new";
    aadcred::capi::require_version(in.version, AADCRED_REQUEST_VERSION, fn, "aadcred_request");
    // The authority and client id are checked by the calls that act for one account
    // (account_provider_of): list, logout and the cache hand-off work without (issue 11).
    require(in.timeout >= 0 && in.timeout <= kMaxSeconds, fn,
            "timeout must be between 0 (default) and 86400 seconds");
    require(in.min_validity >= 0 && in.min_validity <= kMaxSeconds, fn,
            "min_validity must be between 0 and 86400 seconds");
    require(in.allow_prompt == 0 || in.prompt != nullptr, fn,
            "allow_prompt needs a prompt callback to show the code");

    aadcred::CredentialRequest out;
    out.authority = copy_or_empty(in.authority);
    out.client_id = copy_or_empty(in.client_id);
    switch (aadcred::capi::enum_value(in.api)) {
        // The resource (v1) or scopes (v2, oidc) are checked by get_token, the only call
        // that uses them: list, logout and the store hand-off work without (issue 3).
        case AADCRED_API_V1:
            out.api = aadcred::ApiKind::v1;
            out.resource = copy_or_empty(in.resource);
            break;
        case AADCRED_API_V2:
        case AADCRED_API_OIDC:
            out.api = aadcred::capi::enum_value(in.api) == AADCRED_API_V2 ? aadcred::ApiKind::v2
                                                                          : aadcred::ApiKind::oidc;
            out.resource = copy_or_empty(in.scopes);
            break;
        default:
            aadcred::capi::fail_invalid(fn, "unknown api (expected AADCRED_API_V1, _V2 or _OIDC)");
    }
    out.user_id = copy_or_empty(in.user_id);
    out.ca_file = copy_or_empty(in.ca_file);
    // Version 1 callers' structs end before proxy: never read past them.
    if (in.version >= 2) out.proxy = copy_or_empty(in.proxy);
    if (in.version >= 3) {
        switch (aadcred::capi::enum_value(in.flow)) {
            case AADCRED_FLOW_DEVICE:
                out.flow = aadcred::SignInFlow::device;
                break;
            case AADCRED_FLOW_BROWSER:
                out.flow = aadcred::SignInFlow::browser;
                break;
            case AADCRED_FLOW_AUTO:
                out.flow = aadcred::SignInFlow::automatic;
                break;
            default:
                aadcred::capi::fail_invalid(
                    fn, "unknown flow (expected AADCRED_FLOW_DEVICE, _BROWSER or _AUTO)");
        }
    }
    if (in.version >= 3) out.claims = copy_or_empty(in.claims);
    // Older callers may read the refresh token of what get_token returns: never hot.
    if (in.version >= 4) out.hot_cache = in.hot_cache != 0;
    out.validate_authority = in.validate_authority != 0;
    if (in.timeout > 0) out.timeout = std::chrono::seconds(in.timeout);
    out.store.spec = in.store != nullptr ? in.store : "auto";
    // Unlocking a keyring shows a prompt too: only when the caller allows prompts.
    out.store.allow_prompt = in.allow_prompt != 0;
    out.allow_prompt = in.allow_prompt != 0;
    out.min_validity = std::chrono::seconds(in.min_validity);
    return out;
}

aadcred::CredentialProvider &provider_of(aadcred_provider *provider, const char *function) {
    require(provider != nullptr, function, "provider is NULL");
    return *provider->provider;
}

// For the calls that act for the request's account: its authority and client id name it
// (and its lock). The messages are the ones aadcred_provider_new gave before issue 11.
aadcred::CredentialProvider &account_provider_of(aadcred_provider *provider, const char *function) {
    aadcred::CredentialProvider &engine = provider_of(provider, function);
    require(provider->has_authority, function, "authority is required");
    require(provider->has_client_id, function, "client_id is required");
    return engine;
}

bool given(const char *text) {
    return text != nullptr && *text != '\0';
}

void append_field(std::string &out, const char *name, const aadcred::TokenEntry &entry,
                  std::string_view key) {
    out += '"';
    out += name;
    out += "\":";
    std::optional<std::string_view> value = entry.string(key);
    if (value) {
        aadcred::json::append_quoted(out, *value);
    } else {
        out += "null";
    }
}

// Only what identifies an account, never a token (aadcred.h: "never a secret").
std::string accounts_json(const std::vector<aadcred::TokenEntry> &entries) {
    std::string out = "[";
    for (const auto &entry : entries) {
        if (out.size() > 1) out += ',';
        out += '{';
        append_field(out, "userId", entry, aadcred::key::user_id);
        out += ',';
        append_field(out, "authority", entry, aadcred::key::authority);
        out += ',';
        append_field(out, "clientId", entry, aadcred::key::client_id);
        out += ',';
        append_field(out, "resource", entry, aadcred::key::resource);
        out += ',';
        append_field(out, "expiresOn", entry, aadcred::key::expires_on);
        out += ",\"hasRefreshToken\":";
        out += entry.secret(aadcred::key::refresh_token).empty() ? "false" : "true";
        out += '}';
    }
    out += ']';
    return out;
}

}  // namespace

extern "C" {

int aadcred_provider_new(aadcred_provider **out, const aadcred_request *request) {
    return firewall([&] {
        require(out != nullptr, "aadcred_provider_new", "out is NULL");
        require(request != nullptr, "aadcred_provider_new", "request is NULL");
        auto handle = std::make_unique<aadcred_provider>();
        handle->provider = std::make_unique<aadcred::CredentialProvider>(to_request(*request));
        handle->has_authority = given(request->authority);
        handle->has_client_id = given(request->client_id);
        handle->prompt = request->prompt;
        handle->prompt_payload = request->prompt_payload;
        *out = handle.release();
        return 0;
    });
}

int aadcred_provider_get_token(aadcred_token **out, aadcred_provider *provider) {
    return firewall([&] {
        require(out != nullptr, "aadcred_provider_get_token", "out is NULL");
        auto &engine = account_provider_of(provider, "aadcred_provider_get_token");
        std::optional<CallbackPrompter> prompter;
        provider->sign_in_note.clear();
        if (provider->prompt != nullptr)
            prompter.emplace(provider->prompt, provider->prompt_payload, provider->sign_in_note);
        aadcred::TokenEntry entry = engine.get(prompter ? &*prompter : nullptr);
        *out = aadcred::capi::new_handle<aadcred_token>(std::move(entry));
        return 0;
    });
}

int aadcred_provider_cancel(aadcred_provider *provider) {
    return firewall([&] {
        provider_of(provider, "aadcred_provider_cancel").cancel();
        return 0;
    });
}

const char *aadcred_provider_sign_in_note(const aadcred_provider *provider) {
    if (provider == nullptr || provider->sign_in_note.empty()) return nullptr;
    return provider->sign_in_note.c_str();
}

int aadcred_provider_forget_access_token(aadcred_provider *provider, const char *access_token) {
    return firewall([&] {
        const char *fn = "aadcred_provider_forget_access_token";
        auto &engine = account_provider_of(provider, fn);
        require(access_token != nullptr, fn, "access_token is NULL");
        engine.forget_access_token(aadcred::SecretString{std::string_view(access_token)});
        return 0;
    });
}

int aadcred_provider_logout(aadcred_provider *provider, const char *user_id, int all) {
    return firewall([&] {
        const char *fn = "aadcred_provider_logout";
        // Without all or a user, "every account of the request's authority and client":
        // a request without them must not make that the whole store.
        auto &engine = all != 0 || given(user_id) ? provider_of(provider, fn)
                                                  : account_provider_of(provider, fn);
        int removed = engine.logout(user_id != nullptr ? user_id : std::string_view(), all != 0);
        return removed < 0 ? 0 : removed;
    });
}

int aadcred_provider_list_json(char **out, aadcred_provider *provider) {
    return firewall([&] {
        require(out != nullptr, "aadcred_provider_list_json", "out is NULL");
        auto &engine = provider_of(provider, "aadcred_provider_list_json");
        std::string json = accounts_json(engine.list());
        *out = aadcred::capi::dup_string(json);
        return 0;
    });
}

/* --- Store hand-off (issue 3) --- */

int aadcred_provider_store_token(aadcred_provider *provider, const aadcred_token *token) {
    return firewall([&] {
        auto &engine = account_provider_of(provider, "aadcred_provider_store_token");
        require(token != nullptr, "aadcred_provider_store_token", "token is NULL");
        engine.store_token(token->entry);
        return 0;
    });
}

int aadcred_provider_export_json(char **out, aadcred_provider *provider) {
    return firewall([&] {
        require(out != nullptr, "aadcred_provider_export_json", "out is NULL");
        auto &engine = provider_of(provider, "aadcred_provider_export_json");
        const aadcred::SecretString json = engine.export_json();
        *out = aadcred::capi::dup_string(json.reveal());
        return 0;
    });
}

int aadcred_provider_import_json(aadcred_provider *provider, const char *adal_cache_json) {
    return firewall([&] {
        auto &engine = provider_of(provider, "aadcred_provider_import_json");
        require(adal_cache_json != nullptr, "aadcred_provider_import_json",
                "adal_cache_json is NULL");
        return engine.import_json(adal_cache_json);
    });
}

const char *aadcred_provider_store_name(const aadcred_provider *provider) {
    if (provider == nullptr) return nullptr;
    try {
        // Remembered once "auto" has been resolved: it never changes afterwards, so the
        // pointer stays valid while the provider lives.
        std::lock_guard lock(provider->store_name_mutex);
        if (provider->store_name.empty()) provider->store_name = provider->provider->store_name();
        return provider->store_name.empty() ? nullptr : provider->store_name.c_str();
    } catch (...) {
        return nullptr;
    }
}

void aadcred_provider_free(aadcred_provider *provider) {
    aadcred::capi::free_handle(provider);
}

}  // extern "C"
