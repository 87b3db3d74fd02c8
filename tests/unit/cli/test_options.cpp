// The aadcred command line (src/cli/options.cpp): options before or after the command,
// --name value and --name=value, and the usage errors (exit 2) a person sees for a typo.

#include <string>
#include <vector>

#include "options.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

using aadcred::cli::Command;
using aadcred::cli::CommandLine;
using aadcred::cli::parse_command_line;
using aadcred::cli::UsageError;

// The message parse_command_line throws for `args`, or "" when it parses.
std::string usage_error(const std::vector<std::string> &args) {
    try {
        parse_command_line(args);
    } catch (const UsageError &e) {
        return e.what();
    }
    return "";
}

void profile_options_stand_before_or_after_the_command(void **) {
    const CommandLine c = parse_command_line({"--authority", "https://login.example.test/contoso",
                                              "token", "--client-id=cid-1", "--scope", "openid",
                                              "--scope=profile", "--json", "--qr"});
    assert_true(c.command == Command::token);
    assert_sv_equal(c.command_name, "token");
    assert_sv_equal(c.profile.at("authority").value, "https://login.example.test/contoso");
    assert_sv_equal(c.profile.at("authority").origin, "--authority");  // named in errors
    assert_sv_equal(c.profile.at("client-id").value, "cid-1");
    assert_sv_equal(c.profile.at("scope").value, "openid profile");  // repeated, joined
    assert_sv_equal(c.profile.at("qr").value, "true");
    assert_true(c.json);
}

void flags_and_operands(void **) {
    const CommandLine c = parse_command_line(
        {"--no-validate-authority", "--profile", "work", "cache", "export", "out.json"});
    assert_true(c.command == Command::cache);
    assert_sv_equal(c.profile.at("validate-authority").value, "false");
    assert_sv_equal(*c.profile_name, "work");
    assert_int_equal(c.operands.size(), 2);
    assert_sv_equal(c.operands[1], "out.json");
    assert_true(parse_command_line({"--version"}).version);
    assert_true(parse_command_line({"user-code", "--help"}).help);
}

void usage_errors_name_the_mistake(void **) {
    assert_string_equal(usage_error({"tokn"}).c_str(), "unknown command 'tokn'");
    assert_string_equal(usage_error({"token", "--authorty", "x"}).c_str(),
                        "unknown option '--authorty'");
    assert_string_equal(usage_error({"token", "--authority"}).c_str(),
                        "option --authority needs a value");
    assert_string_equal(usage_error({"token", "--authority="}).c_str(),
                        "option --authority needs a non-empty value");
    assert_string_equal(usage_error({"token", "--json=yes"}).c_str(),
                        "option --json takes no value");
    // A command's own option on another command, even when given before it.
    assert_string_equal(usage_error({"--all", "token"}).c_str(),
                        "option --all does not apply to 'token'");
    assert_string_equal(usage_error({"list", "--no-prompt"}).c_str(),
                        "option --no-prompt does not apply to 'list'");
    assert_string_equal(usage_error({"logout", "--all"}).c_str(), "");
}

void command_names(void **) {
    assert_true(aadcred::cli::find_command("device-token") == Command::device_token);
    assert_true(aadcred::cli::find_command("device_token") == Command::none);
    assert_string_equal(aadcred::cli::command_name(Command::user_code), "user-code");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(profile_options_stand_before_or_after_the_command),
        cmocka_unit_test(flags_and_operands),
        cmocka_unit_test(usage_errors_name_the_mistake),
        cmocka_unit_test(command_names),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
