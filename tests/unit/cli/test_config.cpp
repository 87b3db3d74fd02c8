// Where each setting of a run comes from (src/cli/config.cpp, SPEC §4): command line >
// AADCRED_* environment > the user's config file ([profile NAME] over [default]) > the
// system config file > built-in defaults; a bad value names the place to fix.

#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "../common/temp_dir.hpp"
#include "config.hpp"
#include "options.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

namespace fs = std::filesystem;
using aadcred::cli::ConfigError;
using aadcred::cli::parse_command_line;
using aadcred::cli::resolve_settings;
using aadcred::cli::Settings;

// A HOME with the user's config, a system config, and a getenv answering from a map.
struct World {
    unit_test::TempDir temp;
    fs::path dir{temp.path()};
    std::map<std::string, std::string> env;

    World() {
        fs::create_directories(dir / "home/.config/aadcred");
        std::ofstream(dir / "system") << "[default]\n"
                                         "authority = https://login.example.test/system\n"
                                         "client-id = system-client\n"
                                         "timeout = 30\n";
        std::ofstream(dir / "home/.config/aadcred/config")
            << "# the user's\n"
               "[default]\n"
               "client-id = user-client\n"
               "resource = https://graph.example.test/\n"
               "[profile work]\n"
               "resource = \"https://work.example.test/\"\n"
               "api = oidc\n"
               "[profile broken]\n"
               "timeout = soon\n";
        env["HOME"] = (dir / "home").string();
        env["AADCRED_SYSTEM_CONFIG"] = (dir / "system").string();
    }

    Settings resolve(const std::vector<std::string> &args) const {
        return resolve_settings(parse_command_line(args), [this](const char *name) -> const char * {
            const auto it = env.find(name);
            return it == env.end() ? nullptr : it->second.c_str();
        });
    }
    std::string error(const std::vector<std::string> &args) const {
        try {
            resolve(args);
        } catch (const ConfigError &e) {
            return e.what();
        }
        return "";
    }
};

void each_layer_over_the_one_below(void **) {
    World w;
    Settings s = w.resolve({"list"});
    assert_sv_equal(s.authority, "https://login.example.test/system");  // system file only
    assert_sv_equal(s.client_id, "user-client");                        // user over system
    assert_sv_equal(s.resource, "https://graph.example.test/");
    assert_int_equal(s.timeout, 30);
    assert_sv_equal(s.store, "auto");  // built-in default
    assert_sv_equal(s.config_path, (w.dir / "home/.config/aadcred/config").string());

    w.env["AADCRED_CLIENT_ID"] = "env-client";
    w.env["AADCRED_TIMEOUT"] = "";  // empty counts as unset
    s = w.resolve({"list"});
    assert_sv_equal(s.client_id, "env-client");
    assert_int_equal(s.timeout, 30);

    s = w.resolve({"list", "--client-id", "cli-client"});
    assert_sv_equal(s.client_id, "cli-client");
}

void a_profile_over_default(void **) {
    World w;
    Settings s = w.resolve({"--profile", "work", "list"});
    assert_sv_equal(s.resource, "https://work.example.test/");  // quotes taken off
    assert_true(s.api == AADCRED_API_OIDC);
    assert_sv_equal(s.client_id, "user-client");  // [default] still applies

    w.env["AADCRED_PROFILE"] = "work";
    assert_true(w.resolve({"list"}).api == AADCRED_API_OIDC);
    assert_true(w.resolve({"--profile", "default", "list"}).api == AADCRED_API_V1);
}

void bad_values_name_the_place_to_fix(void **) {
    World w;
    const std::string user_file = (w.dir / "home/.config/aadcred/config").string();
    assert_string_equal(w.error({"--profile", "broken", "list"}).c_str(),
                        (user_file + ":9: invalid timeout 'soon' (expected whole seconds, 1 to "
                                     "3600)")
                            .c_str());
    w.env["AADCRED_API"] = "v3";
    assert_string_equal(w.error({"list"}).c_str(),
                        "AADCRED_API: invalid api 'v3' (expected v1, v2 or oidc)");
    assert_string_equal(w.error({"list", "--api", "v3"}).c_str(),
                        "--api: invalid api 'v3' (expected v1, v2 or oidc)");
    w.env.erase("AADCRED_API");
    assert_string_equal(w.error({"list", "--store", "file:"}).c_str(),
                        "--store: invalid store 'file:' (expected auto, secret-service, keyring, "
                        "memory or file:PATH)");
    const std::string missing = w.error({"--profile", "nope", "list"});
    assert_non_null(
        std::strstr(missing.c_str(), "profile 'nope' asked for, but no [profile nope]"));
}

void the_user_config_file_path(void **) {
    const auto getenv_of = [](std::map<std::string, std::string> env) {
        return [env](const char *name) -> const char * {
            const auto it = env.find(name);
            return it == env.end() ? nullptr : it->second.c_str();
        };
    };
    using aadcred::cli::config_file_path;
    assert_sv_equal(config_file_path(getenv_of({{"HOME", "/home/a"}})),
                    "/home/a/.config/aadcred/config");
    assert_sv_equal(config_file_path(getenv_of({{"HOME", "/home/a"}, {"XDG_CONFIG_HOME", "/x"}})),
                    "/x/aadcred/config");
    // A relative XDG_CONFIG_HOME is invalid (XDG Base Directory) and ignored.
    assert_sv_equal(config_file_path(getenv_of({{"HOME", "/home/a"}, {"XDG_CONFIG_HOME", "x"}})),
                    "/home/a/.config/aadcred/config");
    assert_sv_equal(config_file_path(getenv_of({})), "");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_layer_over_the_one_below),
        cmocka_unit_test(a_profile_over_default),
        cmocka_unit_test(bad_values_name_the_place_to_fix),
        cmocka_unit_test(the_user_config_file_path),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
