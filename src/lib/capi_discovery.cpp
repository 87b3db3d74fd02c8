// aadcred_discover_tenant (include/aadcred/discovery.h): the resource's own word on its
// tenant, for front ends that serve a resource with no configured authority (Azure DevOps).

#include <chrono>

#include "core/adal_error.hpp"
#include "core/oauth2/resource_tenant.hpp"
#include "lib/capi_common.hpp"
#include "util/log.hpp"
#include "util/text.hpp"
#include "util/uuid.hpp"

namespace {

using aadcred::capi::firewall;
using aadcred::capi::require;

constexpr int kDefaultTimeoutSeconds = 10;
constexpr int kMaxTimeoutSeconds = 300;

}  // namespace

extern "C" {

int aadcred_discover_tenant(char **out, const char *url, const char *ca_file, const char *proxy,
                            int timeout) {
    return firewall([&] {
        const char *fn = "aadcred_discover_tenant";
        require(out != nullptr, fn, "out is NULL");
        *out = nullptr;
        require(url != nullptr &&
                    aadcred::iequals_ascii(std::string_view(url).substr(0, 8), "https://"),
                fn, "url must be an https URL");
        require(timeout >= 0 && timeout <= kMaxTimeoutSeconds, fn,
                "timeout must be between 0 (default) and 300 seconds");
        aadcred::TransportOptions t;
        t.ca_file = ca_file != nullptr ? ca_file : "";
        t.proxy = proxy != nullptr ? proxy : "";
        const std::chrono::seconds total{timeout > 0 ? timeout : kDefaultTimeoutSeconds};
        t.total_timeout = total;
        t.connect_timeout = std::min<std::chrono::milliseconds>(std::chrono::seconds{10}, total);
        const auto transport = aadcred::make_curl_transport(t);
        const aadcred::Logger log("TenantDiscovery", aadcred::uuid4());
        const auto authority = aadcred::discover_resource_authority(*transport, log, url);
        if (!authority)
            throw aadcred::AdalError(aadcred::ErrorClass::not_found,
                                     std::string("The server names no tenant: ") + url);
        *out = aadcred::capi::dup_string(*authority);
        return 0;
    });
}

}  // extern "C"
