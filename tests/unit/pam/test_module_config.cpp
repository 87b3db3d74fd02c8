// The module's argument parser: what an admin writes on the PAM line.

#include <string>
#include <variant>
#include <vector>

#include "../common/cmocka_cpp.hpp"
#include "module_config.hpp"

namespace {

using aadcred_pam::ConfigError;
using aadcred_pam::ModuleConfig;

std::variant<ModuleConfig, ConfigError> parse(std::vector<const char *> args) {
    return aadcred_pam::parse_arguments(static_cast<int>(args.size()), args.data());
}

ModuleConfig good(std::vector<const char *> args) {
    auto r = parse(std::move(args));
    if (auto *e = std::get_if<ConfigError>(&r)) fail_msg("refused: %s", e->message.c_str());
    return std::get<ModuleConfig>(r);
}

void bad(std::vector<const char *> args, const char *message) {
    auto r = parse(std::move(args));
    auto *e = std::get_if<ConfigError>(&r);
    if (e == nullptr) fail_msg("accepted, expected: %s", message);
    assert_string_equal(e->message.c_str(), message);
}

void reads_the_spec_line(void **) {
    const ModuleConfig c = good({"authority=https://login.microsoftonline.com/contoso",
                                 "client_id=abc", "resource=https://management.core.windows.net/",
                                 "ca_file=/etc/ssl/ca.pem", "timeout=60", "user_claim=email",
                                 "domain=contoso.com", "allowed_tenants=t1,t2", "qr", "debug"});
    assert_string_equal(c.authority.c_str(), "https://login.microsoftonline.com/contoso");
    assert_string_equal(c.client_id.c_str(), "abc");
    assert_int_equal(c.api, AADCRED_API_V1);
    assert_int_equal(c.timeout, 60);
    assert_string_equal(c.user_claim.c_str(), "email");
    assert_string_equal(c.domain.c_str(), "contoso.com");
    assert_string_equal(c.allowed_tenants.c_str(), "t1,t2");
    assert_true(c.qr);
    assert_true(c.debug);
    assert_true(c.sso);
    assert_false(aadcred_pam::check_for_authentication(c).has_value());
}

void has_defaults(void **) {
    const ModuleConfig c = good({});
    assert_int_equal(c.timeout, 120);
    assert_string_equal(c.user_claim.c_str(), "upn");
    assert_false(c.qr);
    assert_string_equal(c.runtime_dir.c_str(), "/run");
    // An empty line is fine for session/account, not for authenticate.
    assert_string_equal(aadcred_pam::check_for_authentication(c)->message.c_str(),
                        "argument 'authority' is required");
}

void joins_scopes(void **) {
    const ModuleConfig c = good({"api=v2", "scope=openid profile", "scope=offline_access"});
    assert_int_equal(c.api, AADCRED_API_V2);
    assert_string_equal(c.scopes.c_str(), "openid profile offline_access");
}

void refuses_unknown_and_malformed(void **) {
    bad({"bogus=1"}, "unknown argument 'bogus'");
    bad({"nullok"}, "unknown argument 'nullok'");
    bad({"timeout=0"}, "argument 'timeout' must be a number of seconds from 1 to 3600");
    bad({"timeout=3601"}, "argument 'timeout' must be a number of seconds from 1 to 3600");
    bad({"timeout=12s"}, "argument 'timeout' must be a number of seconds from 1 to 3600");
    bad({"timeout="}, "argument 'timeout' has an empty value");
    bad({"api=v3"}, "argument 'api' must be v1, v2 or oidc");
    bad({"user_claim=sub"},
        "argument 'user_claim' must be upn, preferred_username, email or unique_name");
    bad({"domain=evil.com/x"}, "argument 'domain' is not a domain name");
    bad({"ca_file=relative.pem"}, "argument 'ca_file' must be an absolute path");
    bad({"allowed_tenants=a;b"},
        "argument 'allowed_tenants' must be tenant ids separated by commas");
    bad({"client_id=a", "client_id=b"}, "argument 'client_id' is given twice");
    bad({"qr", "qr"}, "argument 'qr' is given twice");
    bad({"qr=yes"}, "unknown argument 'qr'");
    bad({""}, "an argument is empty");
    bad({"authority=https://x/\x1b[2J"}, "argument 'authority' has spaces or control characters");
}

void refuses_incomplete_authentication_lines(void **) {
    auto missing = [](std::vector<const char *> args) {
        return aadcred_pam::check_for_authentication(good(std::move(args)))->message;
    };
    assert_string_equal(missing({"authority=https://a/t"}).c_str(),
                        "argument 'client_id' is required");
    assert_string_equal(missing({"authority=https://a/t", "client_id=c"}).c_str(),
                        "api=v1 needs argument 'resource'");
    assert_string_equal(
        missing({"authority=https://a/t", "client_id=c", "resource=r", "scope=s"}).c_str(),
        "api=v1 takes 'resource', not 'scope'");
    assert_string_equal(missing({"authority=https://a/t", "client_id=c", "api=oidc"}).c_str(),
                        "api=v2 and api=oidc need argument 'scope'");
}

// sshd gives PAM no environment: authority validation must be settable on the line.
void reads_authority_validation_and_config(void **) {
    const ModuleConfig d = good({});
    assert_true(d.validate_authority);
    assert_true(d.instance_discovery.empty());
    assert_true(d.config_file.empty());
    assert_false(d.quiet);
    const ModuleConfig c =
        good({"validate_authority=false", "instance_discovery=https://login.example.us/",
              "config=/etc/aadcred/pam.conf", "quiet"});
    assert_false(c.validate_authority);
    assert_string_equal(c.instance_discovery.c_str(), "https://login.example.us/");
    assert_string_equal(c.config_file.c_str(), "/etc/aadcred/pam.conf");
    assert_true(c.quiet);
    assert_true(good({"validate_authority=yes"}).validate_authority);
    assert_false(good({"validate_authority=no"}).validate_authority);
    bad({"validate_authority=0"}, "argument 'validate_authority' must be true or false");
    bad({"instance_discovery=http://login.example.us"},
        "argument 'instance_discovery' must be an https:// URL");
    bad({"instance_discovery=https://"}, "argument 'instance_discovery' must be an https:// URL");
    bad({"config=pam.conf"}, "argument 'config' must be an absolute path");
    bad({"quiet", "quiet"}, "argument 'quiet' is given twice");
}

std::variant<ModuleConfig, ConfigError> merged(std::vector<aadcred_pam::FileSetting> file,
                                               std::vector<const char *> args) {
    return aadcred_pam::merge_arguments("/etc/aadcred/pam.conf", file,
                                        static_cast<int>(args.size()), args.data());
}

void the_line_wins_over_the_file(void **) {
    auto r = merged({{"authority=https://file/t", 1},
                     {"timeout=60", 2},
                     {"scope=a", 3},
                     {"scope=b", 4},
                     {"qr", 5}},
                    {"timeout=5", "scope=c", "config=/etc/aadcred/pam.conf"});
    const auto *c = std::get_if<ModuleConfig>(&r);
    assert_non_null(c);
    assert_string_equal(c->authority.c_str(), "https://file/t");
    assert_int_equal(c->timeout, 5);
    assert_string_equal(c->scopes.c_str(), "c");  // the line's scopes replace the file's
    assert_true(c->qr);
}

void file_errors_name_the_line(void **) {
    const auto message = [](std::vector<aadcred_pam::FileSetting> file) {
        auto r = merged(std::move(file), {});
        auto *e = std::get_if<ConfigError>(&r);
        if (e == nullptr) fail_msg("accepted");
        return e->message;
    };
    assert_string_equal(message({{"qr", 1}, {"timeout=never", 3}}).c_str(),
                        "config file /etc/aadcred/pam.conf line 3: argument 'timeout' must be a "
                        "number of seconds from 1 to 3600");
    assert_string_equal(message({{"timeout=5", 1}, {"timeout=6", 2}}).c_str(),
                        "config file /etc/aadcred/pam.conf line 2: argument 'timeout' is given "
                        "twice");
    assert_string_equal(message({{"config=/tmp/other", 7}}).c_str(),
                        "config file /etc/aadcred/pam.conf line 7: 'config' cannot name another "
                        "file");
}

void caps_the_line(void **) {
    std::vector<const char *> many(65, "qr");
    bad(many, "more than 64 arguments");
    const std::string huge = "client_id=" + std::string(3000, 'a');
    bad({huge.c_str()}, "argument 'client_id' is longer than 2048 bytes");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_the_spec_line),
        cmocka_unit_test(has_defaults),
        cmocka_unit_test(joins_scopes),
        cmocka_unit_test(refuses_unknown_and_malformed),
        cmocka_unit_test(refuses_incomplete_authentication_lines),
        cmocka_unit_test(caps_the_line),
        cmocka_unit_test(reads_authority_validation_and_config),
        cmocka_unit_test(the_line_wins_over_the_file),
        cmocka_unit_test(file_errors_name_the_line),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
