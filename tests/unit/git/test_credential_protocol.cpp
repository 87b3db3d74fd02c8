// git's credential protocol as the helper reads and answers it (gitcredentials(7)): what
// git really sends is understood, anything git never sends refuses the whole input, and
// a reply that would inject an attribute is never written.

#include <unistd.h>

#include <cstring>
#include <string>
#include <string_view>

#include "credential_protocol.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

using gitcred::parse_credential;
using namespace std::string_view_literals;

void reads_what_git_sends(void **) {
    const auto result = parse_credential(
        "capability[]=authtype\n"
        "protocol=https\n"
        "host=dev.azure.com\n"
        "path=contoso/repo.git\n"
        "wwwauth[]=Basic realm=\"x\"\n"
        "wwwauth[]=Bearer authorization_uri=https://login.microsoftonline.com/t\n"
        "\n"
        "host=ignored.example\n");
    assert_true(result.error.empty());
    assert_true(result.credential.has_value());
    const auto &c = *result.credential;
    assert_sv_equal(*c.get("protocol"), "https");
    assert_sv_equal(*c.get("host"), "dev.azure.com");  // the line after the blank one is not read
    assert_sv_equal(*c.get("path"), "contoso/repo.git");
    const auto wwwauth = c.get_all("wwwauth");
    assert_int_equal(wwwauth.size(), 2);
    assert_sv_equal(wwwauth[1], "Bearer authorization_uri=https://login.microsoftonline.com/t");
    assert_true(c.has_capability("authtype"));
    assert_false(c.has_capability("state"));
    assert_false(c.get("username").has_value());
}

void accepts_crlf_line_endings_and_no_final_blank_line(void **) {
    const auto result = parse_credential("protocol=https\r\nhost=example.test\r\n");
    assert_true(result.credential.has_value());
    assert_sv_equal(*result.credential->get("host"), "example.test");  // no CR left behind
}

void refuses_what_git_never_sends(void **) {
    struct Case {
        std::string_view input;
        const char *error;
    };
    const Case cases[] = {
        {"protocol=https\nhost=a.test\rhost=b.test\n"sv, "a line contains a carriage return"},
        {"protocol=https\nhost=a.test\0b\n"sv, "the input contains a NUL byte"},
        {"protocol=https\nhost=a.test\nhost=evil.test\n"sv, "the key 'host' appears twice"},
        {"protocol=https\nhost\n"sv, "a line has no '='"},
        {"=https\n"sv, "a line has an empty key"},
    };
    for (const auto &c : cases) {
        const auto result = parse_credential(c.input);
        assert_false(result.credential.has_value());
        assert_string_equal(result.error.c_str(), c.error);
    }
    const std::string long_line = "path=" + std::string(gitcred::kMaxLineBytes, 'a') + "\n";
    assert_string_equal(parse_credential(long_line).error.c_str(),
                        "a line is longer than 65535 bytes");
}

void a_reply_is_key_value_lines(void **) {
    gitcred::ReplyWriter reply;
    assert_true(reply.add("username", "alice@contoso.test"));
    assert_true(reply.add("password", "eyJ0eXAi.token"));
    assert_true(reply.ok());
    assert_sv_equal(reply.text(), "username=alice@contoso.test\npassword=eyJ0eXAi.token\n");
}

void a_value_that_would_inject_an_attribute_poisons_the_reply(void **) {
    gitcred::ReplyWriter reply;
    assert_true(reply.add("username", "alice"));
    assert_false(reply.add("password", "secret\nhost=evil.test"));
    assert_false(reply.ok());
    assert_true(reply.text().empty());  // nothing of the reply is sent
    assert_string_equal(reply.error().c_str(), "the value of 'password' contains CR, LF or NUL");
    assert_null(std::strstr(reply.error().c_str(), "secret"));  // the value is never echoed
    assert_false(reply.add("quit", "1"));                       // and it stays refused
    gitcred::ReplyWriter bad_key;
    assert_false(bad_key.add("pass=word", "x"));
}

void reads_the_description_from_a_pipe_up_to_the_blank_line(void **) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    const std::string_view sent = "protocol=https\nhost=example.test\n\n";
    assert_true(gitcred::write_all(fds[1], sent));
    close(fds[1]);
    std::string text;
    std::string error;
    assert_true(gitcred::read_description(fds[0], text, error));
    close(fds[0]);
    assert_true(error.empty());
    const auto result = parse_credential(text);
    assert_true(result.credential.has_value());
    assert_sv_equal(*result.credential->get("host"), "example.test");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_what_git_sends),
        cmocka_unit_test(accepts_crlf_line_endings_and_no_final_blank_line),
        cmocka_unit_test(refuses_what_git_never_sends),
        cmocka_unit_test(a_reply_is_key_value_lines),
        cmocka_unit_test(a_value_that_would_inject_an_attribute_poisons_the_reply),
        cmocka_unit_test(reads_the_description_from_a_pipe_up_to_the_blank_line),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
