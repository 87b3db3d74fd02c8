// Issue 13: the hand-over has one definition, aadcred/handover.h, and both ends use it.
// pam_aadcred's writer (src/pam/handover_files) puts the file where the user's side
// (src/provider/handover) looks with its own defaults, in both layouts, and the size cap
// is the same number for both.

#include <aadcred/handover.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../common/cmocka_cpp.hpp"
#include "cache/store.hpp"
#include "handover_files.hpp"  // src/pam, through pam_parts_dep
#include "provider/handover.hpp"

namespace {

namespace fs = std::filesystem;
using aadcred::TokenEntry;

constexpr const char *kJson =
    "[{\"tokenType\":\"Bearer\",\"expiresIn\":3599,\"expiresOn\":\"2030-01-01 00:00:00.000000\","
    "\"resource\":\"https://management.core.windows.net/\",\"accessToken\":\"at-1\","
    "\"refreshToken\":\"rt-1\",\"userId\":\"alice@contoso.com\",\"isMRRT\":true,"
    "\"_clientId\":\"04b07795-8ddb-461a-bbee-02f9e1bf7b46\","
    "\"_authority\":\"https://login.microsoftonline.com/contoso\"}]";

class SavingStore final : public aadcred::Store {
  public:
    std::vector<TokenEntry> saved;
    std::string name() const override { return "saving"; }
    std::vector<TokenEntry> load(std::string_view, std::string_view) override { return saved; }
    std::vector<TokenEntry> load_all() override { return saved; }
    void save(const TokenEntry &entry) override { saved.push_back(entry); }
    void remove(const TokenEntry &) override {}
};

struct Root {
    fs::path path;
    Root() {
        char pattern[] = "/tmp/aadcred-round-trip-XXXXXX";
        path = mkdtemp(pattern);
        // The user's side reads from here: no logind directory unless a test makes one.
        setenv("AADCRED_RUNTIME_ROOT", path.c_str(), 1);
        unsetenv("XDG_RUNTIME_DIR");
    }
    ~Root() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

aadcred_pam::LocalUser me() {
    return {geteuid(), getegid()};
}

// PAM writes, then the provider's default paths find and import it, and it is gone.
void hand_over(const Root &root) {
    std::string where, error;
    aadcred_pam::FileId written;
    assert_true(aadcred_pam::write_handover(root.path, me(), kJson, where, error, written));
    const fs::path file = fs::path(where) / AADCRED_HANDOVER_FILE;
    assert_true(fs::exists(file));
    SavingStore store;
    assert_int_equal(aadcred::import_handover(store), 1);
    assert_string_equal(store.saved.at(0).secret(aadcred::key::refresh_token).c_str(), "rt-1");
    assert_false(fs::exists(file));
}

void found_where_written_without_logind(void **) {
    const Root root;
    hand_over(root);
}

void found_where_written_in_the_logind_runtime_dir(void **) {
    const Root root;
    const fs::path runtime = root.path / AADCRED_HANDOVER_LOGIND_DIR / std::to_string(geteuid());
    fs::create_directories(runtime);
    chmod((root.path / AADCRED_HANDOVER_LOGIND_DIR).c_str(), 0755);
    chmod(runtime.c_str(), 0700);
    setenv("XDG_RUNTIME_DIR", runtime.c_str(), 1);  // what logind gives the session
    hand_over(root);
}

// One byte over the cap: the writer refuses it; put there anyway, the reader ignores it.
void one_size_cap_for_both_ends(void **) {
    const Root root;
    const std::string big(AADCRED_HANDOVER_MAX_BYTES + 1, ' ');
    std::string where, error;
    aadcred_pam::FileId written;
    assert_false(aadcred_pam::write_handover(root.path, me(), big, where, error, written));
    std::string json = kJson;
    json.resize(AADCRED_HANDOVER_MAX_BYTES, ' ');  // JSON allows the trailing spaces
    assert_true(aadcred_pam::write_handover(root.path, me(), json, where, error, written));
    const fs::path file = fs::path(where) / AADCRED_HANDOVER_FILE;
    SavingStore store;
    assert_int_equal(aadcred::import_handover(store), 1);  // at the cap: taken
    std::ofstream(file) << json << ' ';
    chmod(file.c_str(), AADCRED_HANDOVER_FILE_MODE);
    assert_int_equal(aadcred::import_handover(store), 0);  // over it: left alone
    assert_true(fs::exists(file));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(found_where_written_without_logind),
        cmocka_unit_test(found_where_written_in_the_logind_runtime_dir),
        cmocka_unit_test(one_size_cap_for_both_ends),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
