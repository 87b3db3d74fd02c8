// config=FILE: the settings file an admin writes, and the checks that keep anyone but
// root from steering the module through it.

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <variant>
#include <vector>

#include "../common/cmocka_cpp.hpp"
#include "pam_config_file.hpp"

namespace {

using aadcred_pam::ConfigError;
using aadcred_pam::FileSetting;
using aadcred_pam::ModuleConfig;

std::string g_dir;

int make_dir(void **) {
    char tmpl[] = "/tmp/aadcred-pamconf-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return -1;
    g_dir = tmpl;
    return chmod(tmpl, 0755);
}

int remove_dir(void **) {
    const std::string command = "rm -rf '" + g_dir + "'";
    return system(command.c_str()) == 0 ? 0 : -1;
}

std::string write(const std::string &name, const std::string &text, mode_t mode = 0644) {
    const std::string path = g_dir + "/" + name;
    unlink(path.c_str());
    std::ofstream(path) << text;
    chmod(path.c_str(), mode);
    return path;
}

std::vector<FileSetting> settings(std::string_view text) {
    auto r = aadcred_pam::parse_config_text(text, "/x");
    if (auto *e = std::get_if<ConfigError>(&r)) fail_msg("refused: %s", e->message.c_str());
    return std::get<std::vector<FileSetting>>(r);
}

std::string refused(const std::string &path) {
    auto r = aadcred_pam::read_config_file(path, getuid());
    auto *e = std::get_if<ConfigError>(&r);
    if (e == nullptr) fail_msg("accepted %s", path.c_str());
    return e->message;
}

void splits_key_value_lines(void **) {
    const auto s = settings(
        "# Entra ID for sshd\n"
        "\n"
        "authority = https://login.microsoftonline.com/contoso\n"
        "  client_id=abc  \r\n"
        "scope = openid profile\n"
        "qr\n"
        "timeout =\n");
    assert_int_equal(s.size(), 5);
    assert_string_equal(s[0].text.c_str(), "authority=https://login.microsoftonline.com/contoso");
    assert_int_equal(s[0].line, 3);
    assert_string_equal(s[1].text.c_str(), "client_id=abc");
    assert_string_equal(s[2].text.c_str(), "scope=openid profile");
    assert_string_equal(s[3].text.c_str(), "qr");
    assert_int_equal(s[3].line, 6);
    assert_string_equal(s[4].text.c_str(), "timeout=");  // the parser names the empty value
}

void refuses_lines_that_are_not_settings(void **) {
    auto r = aadcred_pam::parse_config_text("qr\nclient id = x\n", "/etc/aadcred/pam.conf");
    assert_string_equal(std::get<ConfigError>(r).message.c_str(),
                        "config file /etc/aadcred/pam.conf line 2: expected key = value");
    r = aadcred_pam::parse_config_text("debug qr\n", "/p");
    assert_string_equal(std::get<ConfigError>(r).message.c_str(),
                        "config file /p line 1: expected key = value");
    r = aadcred_pam::parse_config_text(std::string("qr\0x\n", 5), "/p");
    assert_string_equal(std::get<ConfigError>(r).message.c_str(),
                        "config file /p line 1 has a NUL byte");
}

void reads_a_trusted_file(void **) {
    const std::string path = write("pam.conf", "authority = https://a/t\ntimeout = 7\n", 0600);
    auto r = aadcred_pam::read_config_file(path, getuid());
    if (auto *e = std::get_if<ConfigError>(&r)) fail_msg("refused: %s", e->message.c_str());
    assert_int_equal(std::get<std::vector<FileSetting>>(r).size(), 2);
}

void refuses_an_untrusted_file(void **) {
    const std::string writable = write("writable.conf", "qr\n", 0666);
    assert_string_equal(
        refused(writable).c_str(),
        ("config file " + writable + " is refused: it is writable by group or others").c_str());
    const std::string target = write("target.conf", "qr\n", 0600);
    const std::string link = g_dir + "/link.conf";
    assert_int_equal(symlink(target.c_str(), link.c_str()), 0);
    assert_string_equal(refused(link).c_str(),
                        ("config file " + link + " is refused: it is a symbolic link").c_str());
    assert_true(refused(g_dir + "/missing.conf").find("cannot be opened") != std::string::npos);
    if (getuid() == 0) {  // only root can give a file away
        const std::string foreign = write("foreign.conf", "qr\n", 0600);
        assert_int_equal(chown(foreign.c_str(), 65534, 65534), 0);
        assert_string_equal(
            refused(foreign).c_str(),
            ("config file " + foreign + " is refused: it is not owned by root").c_str());
    }
}

void refuses_a_file_in_an_open_directory(void **) {
    const std::string sub = g_dir + "/open";
    assert_int_equal(mkdir(sub.c_str(), 0777), 0);
    assert_int_equal(chmod(sub.c_str(), 0777), 0);
    const std::string path = sub + "/pam.conf";
    std::ofstream(path) << "qr\n";
    chmod(path.c_str(), 0600);
    assert_string_equal(
        refused(path).c_str(),
        ("config file " + path + " is refused: its directory is writable by group or others")
            .c_str());
}

void the_line_names_the_file_and_wins(void **) {
    const std::string path = write(
        "stanza.conf", "authority = https://a/t\ntimeout = 60\nvalidate_authority = false\n", 0600);
    const std::string config = "config=" + path;
    std::vector<const char *> args{config.c_str(), "timeout=5"};
    auto r = aadcred_pam::load_configuration(static_cast<int>(args.size()), args.data(), getuid());
    if (auto *e = std::get_if<ConfigError>(&r)) fail_msg("refused: %s", e->message.c_str());
    const auto &c = std::get<ModuleConfig>(r);
    assert_string_equal(c.authority.c_str(), "https://a/t");
    assert_int_equal(c.timeout, 5);
    assert_false(c.validate_authority);
    // The module itself insists on root.
    if (getuid() != 0) {
        auto root = aadcred_pam::load_configuration(static_cast<int>(args.size()), args.data());
        assert_true(std::holds_alternative<ConfigError>(root));
    }
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits_key_value_lines),
        cmocka_unit_test(refuses_lines_that_are_not_settings),
        cmocka_unit_test(reads_a_trusted_file),
        cmocka_unit_test(refuses_an_untrusted_file),
        cmocka_unit_test(refuses_a_file_in_an_open_directory),
        cmocka_unit_test(the_line_names_the_file_and_wins),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
