// Which server a credential description names (src/git/target.cpp) and which of the
// helper's Azure DevOps defaults apply to it (src/git/azure_devops.cpp): the URL the
// helper looks its settings up with, and the hosts it refuses to serve.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "azure_devops.hpp"
#include "credential_protocol.hpp"
#include "helper_settings.hpp"
#include "target.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

std::optional<gitcred::Target> target_of(std::string_view description) {
    auto parsed = gitcred::parse_credential(description);
    assert_true(parsed.credential.has_value());
    return gitcred::target_from(*parsed.credential);
}

void the_settings_url_is_what_the_remote_said(void **) {
    const auto t = target_of("protocol=HTTPS\nhost=Git.Example.Test:8443\n");
    assert_true(t.has_value());
    assert_sv_equal(t->protocol, "https");
    assert_sv_equal(t->hostname, "git.example.test");
    assert_sv_equal(t->url(), "https://Git.Example.Test:8443");

    // A user name and a path (credential.useHttpPath) are percent-encoded again.
    const auto u = target_of(
        "protocol=https\nhost=dev.azure.com\nusername=alice@contoso.test\npath=org/my repo\n");
    assert_true(u.has_value());
    assert_sv_equal(u->url(), "https://alice%40contoso.test@dev.azure.com/org/my%20repo");
}

void no_protocol_or_host_is_no_match(void **) {
    assert_false(target_of("host=example.test\n").has_value());
    assert_false(target_of("protocol=https\n").has_value());
    assert_false(target_of("protocol=\nhost=example.test\n").has_value());
}

void a_host_no_server_has_is_refused(void **) {
    // Each would let another URL into `git config --get-urlmatch`.
    for (const char *host : {"evil.test/x", "a@evil.test", "a b", "example.test:", "x:99999a",
                             "[::1", "[not-an-address]"})
        assert_false(target_of("protocol=https\nhost=" + std::string(host) + "\n").has_value());
    const auto v6 = target_of("protocol=https\nhost=[::1]:8443\n");
    assert_true(v6.has_value());
    assert_sv_equal(v6->hostname, "::1");
}

void plain_http_only_for_loopback(void **) {
    for (const char *host : {"localhost", "127.0.0.1:8080", "127.1.2.3", "[::1]"})
        assert_true(target_of("protocol=http\nhost=" + std::string(host) + "\n")->is_loopback());
    for (const char *host : {"128.0.0.1", "example.test", "localhost.example.test", "[::2]"})
        assert_false(target_of("protocol=http\nhost=" + std::string(host) + "\n")->is_loopback());
}

void azure_devops_hosts(void **) {
    assert_true(gitcred::is_azure_devops_host("dev.azure.com"));
    assert_true(gitcred::is_azure_devops_host("contoso.visualstudio.com"));
    assert_false(gitcred::is_azure_devops_host("visualstudio.com"));
    assert_false(gitcred::is_azure_devops_host("dev.azure.com.evil.test"));
    assert_false(gitcred::is_azure_devops_host("evilvisualstudio.com"));
    assert_true(gitcred::names_an_account("alice@contoso.test"));
    assert_false(gitcred::names_an_account("contoso"));  // https://contoso@dev.azure.com/...
}

void the_tenant_comes_from_a_microsoft_challenge_only(void **) {
    const std::vector<std::string_view> challenges = {
        "Basic realm=\"https://dev.azure.com/\"",
        "Bearer authorization_uri=https://login.evil.test/phish",
        "Bearer authorization_uri=https://login.microsoftonline.com/"
        "cceba14c-6a00-49ac-b806-84de52bf1d42",
    };
    const auto authority = gitcred::authority_from_challenges(challenges);
    assert_true(authority.has_value());
    assert_sv_equal(*authority,
                    "https://login.microsoftonline.com/cceba14c-6a00-49ac-b806-84de52bf1d42");
    assert_false(gitcred::authority_from_challenges(
                     {"Bearer authorization_uri=https://login.evil.test/phish"})
                     .has_value());
}

void the_organisation_comes_from_host_user_or_path(void **) {
    assert_sv_equal(gitcred::azure_devops_organisation(
                        *target_of("protocol=https\nhost=Fabrikam.visualstudio.com\n")),
                    "fabrikam");
    assert_sv_equal(gitcred::azure_devops_organisation(
                        *target_of("protocol=https\nhost=dev.azure.com\nusername=MyOrg\n")),
                    "myorg");
    assert_sv_equal(
        gitcred::azure_devops_organisation(*target_of(
            "protocol=https\nhost=dev.azure.com\nusername=a@b.test\npath=org2/p/_git/r\n")),
        "org2");
    // Nothing to go on, or a name no organisation has: no probe.
    assert_sv_equal(
        gitcred::azure_devops_organisation(*target_of("protocol=https\nhost=dev.azure.com\n")), "");
    assert_sv_equal(gitcred::azure_devops_organisation(
                        *target_of("protocol=https\nhost=dev.azure.com\npath=../x/y\n")),
                    "");
}

void azure_devops_defaults_fill_only_what_is_not_configured(void **) {
    gitcred::HelperSettings none;
    // No organisation known: no probe, `organizations`.
    gitcred::apply_azure_devops_defaults(none, gitcred::Target{}, {});
    assert_sv_equal(*none.authority, "https://login.microsoftonline.com/organizations");
    assert_sv_equal(*none.client_id, gitcred::kAzureDevOpsClientId);
    assert_sv_equal(*none.resource, gitcred::kAzureDevOpsResource);

    gitcred::HelperSettings mine;
    mine.authority = "https://login.microsoftonline.com/contoso.test";
    mine.client_id = "my-client";
    mine.scopes = "499b84ac-1321-427f-aa17-267ca6975798/.default";
    gitcred::apply_azure_devops_defaults(
        mine, gitcred::Target{},
        {"Bearer authorization_uri=https://login.microsoftonline.com/other"});
    assert_sv_equal(*mine.authority, "https://login.microsoftonline.com/contoso.test");
    assert_sv_equal(*mine.client_id, "my-client");
    assert_false(mine.resource.has_value());  // v2 scopes given: no v1 resource added
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_settings_url_is_what_the_remote_said),
        cmocka_unit_test(no_protocol_or_host_is_no_match),
        cmocka_unit_test(a_host_no_server_has_is_refused),
        cmocka_unit_test(plain_http_only_for_loopback),
        cmocka_unit_test(azure_devops_hosts),
        cmocka_unit_test(the_tenant_comes_from_a_microsoft_challenge_only),
        cmocka_unit_test(the_organisation_comes_from_host_user_or_path),
        cmocka_unit_test(azure_devops_defaults_fill_only_what_is_not_configured),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
