#pragma once
// Authority URL parsing and validation with ADAL's rules and messages
// (reference/adal-1.2.7-behaviour.md §2.1), plus the endpoints of each protocol.

#include <string>
#include <string_view>

namespace aadcred {

class HttpTransport;
class Logger;

enum class ApiKind { v1, v2, oidc };

struct Endpoints {
    std::string token;
    std::string device_code;
    std::string jwks;       ///< may be empty until discovered
    std::string issuer;     ///< expected id_token iss, may be empty
    std::string authorize;  ///< the authorization endpoint (browser sign-in); may be empty
};

class Authority {
  public:
    /// Parses with ADAL's rules; throws AdalError(invalid) with ADAL's ValueError texts:
    /// "The authority url must be an https endpoint.", "... must not have a query string.",
    /// "The path of authority_url (also known as tenant) is invalid, ...",
    /// "Could not determine tenant."
    Authority(std::string_view url, bool validate, ApiKind api = ApiKind::v1);

    const std::string &url() const noexcept { return url_; }  ///< trailing '/' stripped
    const std::string &host() const noexcept { return host_; }
    const std::string &tenant() const noexcept { return tenant_; }
    bool is_adfs() const noexcept { return is_adfs_; }
    ApiKind api() const noexcept { return api_; }

    /// Validates once (static list, else instance discovery; for oidc fetches the
    /// OpenID configuration) and fills the endpoints. Throws AdalError.
    void validate(HttpTransport &transport, const Logger &log);
    bool validated() const noexcept { return validated_; }

    /// Endpoints; before validate() these are the conventional ones (v1/v2 paths).
    const Endpoints &endpoints() const noexcept { return endpoints_; }

    /// The host that answers instance discovery: login.microsoftonline.com, or the
    /// AADCRED_INSTANCE_DISCOVERY_URL environment override (tests, private clouds).
    static std::string instance_discovery_base();

    /// The host that answers instance discovery for this authority: the one set here (a
    /// caller's setting, e.g. a PAM line, where no environment reaches), else
    /// instance_discovery_base().
    void set_instance_discovery(std::string base);
    std::string instance_discovery() const;

  private:
    std::string url_;
    std::string host_;
    std::string tenant_;
    bool is_adfs_ = false;
    bool validate_ = true;
    bool validated_ = false;
    ApiKind api_;
    Endpoints endpoints_;
    std::string instance_discovery_;
};

}  // namespace aadcred
