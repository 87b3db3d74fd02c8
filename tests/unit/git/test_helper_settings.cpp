// The helper's per-URL settings, read through the real `git config --get-urlmatch`
// (src/git/helper_settings.cpp): git's matching rules decide which credential.<url>
// section applies, and git's boolean syntax is understood.

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../common/temp_dir.hpp"
#include "helper_settings.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

namespace fs = std::filesystem;
using gitcred::load_settings;

// A private global config, no system config and a working directory outside any
// repository, so only what the test writes applies.
int setup(void **state) {
    auto *dir = new unit_test::TempDir;
    const fs::path path(dir->path());
    std::ofstream(path / "gitconfig") << "[credential]\n"
                                         "\taadcredClientId = everywhere\n"
                                         "[credential \"https://git.example.test\"]\n"
                                         "\taadcredAuthority = https://login.example.test/host\n"
                                         "\taadcredAllowHttp\n"
                                         "[credential \"https://git.example.test/team\"]\n"
                                         "\taadcredAuthority = https://login.example.test/team\n"
                                         "[credential \"https://bob@git.example.test\"]\n"
                                         "\taadcredApi = v2\n";
    setenv("GIT_CONFIG_GLOBAL", (path / "gitconfig").c_str(), 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    setenv("GIT_CEILING_DIRECTORIES", path.c_str(), 1);
    unsetenv("GIT_CONFIG_PARAMETERS");
    unsetenv("GIT_CONFIG_COUNT");
    if (chdir(path.c_str()) != 0) return -1;
    *state = dir;
    return 0;
}

int teardown(void **state) {
    if (chdir("/") != 0) return -1;  // out of the directory before it goes
    delete static_cast<unit_test::TempDir *>(*state);
    return 0;
}

void the_most_specific_url_wins(void **) {
    const auto team = load_settings("https://git.example.test/team/repo.git");
    assert_true(team.error.empty());
    assert_sv_equal(*team.settings->authority, "https://login.example.test/team");
    assert_sv_equal(*team.settings->client_id, "everywhere");  // from [credential]

    const auto other = load_settings("https://git.example.test/other.git");
    assert_sv_equal(*other.settings->authority, "https://login.example.test/host");
    assert_sv_equal(*other.settings->allow_http, "true");  // a valueless key is true
    assert_true(other.settings->configured());
}

void a_user_in_the_section_must_match(void **) {
    const auto bob = load_settings("https://bob@git.example.test/x.git");
    assert_sv_equal(*bob.settings->api, "v2");
    const auto alice = load_settings("https://alice@git.example.test/x.git");
    assert_false(alice.settings->api.has_value());
    assert_false(load_settings("https://git.example.test/x.git").settings->api.has_value());
}

void another_host_is_not_ours(void **) {
    const auto result = load_settings("https://elsewhere.test/x.git");
    assert_true(result.error.empty());
    assert_false(result.settings->authority.has_value());
    // [credential] aadcredClientId applies everywhere, so the host counts as configured.
    assert_sv_equal(*result.settings->client_id, "everywhere");
}

void git_booleans(void **) {
    for (const char *yes : {"true", "Yes", "ON", "1", "42", "-1"})
        assert_true(gitcred::parse_git_bool(yes) == std::optional<bool>(true));
    for (const char *no : {"false", "No", "off", "0", ""})
        assert_true(gitcred::parse_git_bool(no) == std::optional<bool>(false));
    for (const char *neither : {"maybe", "1x", "tru", " true"})
        assert_false(gitcred::parse_git_bool(neither).has_value());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_most_specific_url_wins),
        cmocka_unit_test(a_user_in_the_section_must_match),
        cmocka_unit_test(another_host_is_not_ours),
        cmocka_unit_test(git_booleans),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
