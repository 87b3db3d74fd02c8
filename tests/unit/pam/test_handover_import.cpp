// The receiving end of the hand-over (src/provider/handover.cpp): what the user's first
// aadcred use imports, and what it refuses to read.

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../common/cmocka_cpp.hpp"
#include "cache/store.hpp"
#include "core/adal_error.hpp"
#include "provider/handover.hpp"

namespace {

namespace fs = std::filesystem;
using aadcred::TokenEntry;

constexpr const char *kEntry =
    "{\"tokenType\":\"Bearer\",\"expiresIn\":3599,\"expiresOn\":\"2030-01-01 00:00:00.000000\","
    "\"resource\":\"https://management.core.windows.net/\",\"accessToken\":\"at-1\","
    "\"refreshToken\":\"rt-1\",\"userId\":\"alice@contoso.com\",\"isMRRT\":true,"
    "\"_clientId\":\"04b07795-8ddb-461a-bbee-02f9e1bf7b46\","
    "\"_authority\":\"https://login.microsoftonline.com/contoso\"}";

class RecordingStore final : public aadcred::Store {
  public:
    std::string kind = "recording";
    bool broken = false;
    std::vector<TokenEntry> saved;

    std::string name() const override { return kind; }
    std::vector<TokenEntry> load(std::string_view, std::string_view) override { return saved; }
    std::vector<TokenEntry> load_all() override { return saved; }
    void save(const TokenEntry &entry) override {
        if (broken) throw aadcred::AdalError(aadcred::ErrorClass::store, "collection is locked");
        saved.push_back(entry);
    }
    void remove(const TokenEntry &) override {}
};

struct Tmp {
    fs::path root;
    Tmp() {
        char pattern[] = "/tmp/aadcred-import-test-XXXXXX";
        root = mkdtemp(pattern);
    }
    ~Tmp() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
    fs::path write(const std::string &content, mode_t mode = 0600) {
        const fs::path p = root / "handover.json";
        std::ofstream(p) << content;
        chmod(p.c_str(), mode);
        return p;
    }
};

void imports_and_deletes(void **) {
    Tmp t;
    const fs::path file = t.write(std::string("[") + kEntry + "]");
    RecordingStore store;
    assert_int_equal(aadcred::import_handover(store, {file.string()}), 1);
    assert_int_equal(store.saved.size(), 1);
    assert_string_equal(store.saved[0].secret(aadcred::key::refresh_token).c_str(), "rt-1");
    assert_false(fs::exists(file));
    // Nothing left: a second use imports nothing.
    assert_int_equal(aadcred::import_handover(store, {file.string()}), 0);
}

void refuses_files_others_could_read_or_swap(void **) {
    Tmp t;
    RecordingStore store;
    const fs::path loose = t.write(std::string("[") + kEntry + "]", 0644);
    assert_int_equal(aadcred::import_handover(store, {loose.string()}), 0);
    assert_true(fs::exists(loose));  // not ours to judge: left alone
    fs::remove(loose);
    std::ofstream(t.root / "real") << "[" << kEntry << "]";
    chmod((t.root / "real").c_str(), 0600);
    fs::create_symlink(t.root / "real", t.root / "handover.json");
    assert_int_equal(aadcred::import_handover(store, {(t.root / "handover.json").string()}), 0);
    assert_true(fs::exists(t.root / "real"));
    assert_true(store.saved.empty());
}

void keeps_the_file_when_the_store_fails(void **) {
    Tmp t;
    const fs::path file = t.write(std::string("[") + kEntry + "]");
    RecordingStore store;
    store.broken = true;
    assert_int_equal(aadcred::import_handover(store, {file.string()}), 0);
    assert_true(fs::exists(file));
    store.broken = false;
    assert_int_equal(aadcred::import_handover(store, {file.string()}), 1);
}

void drops_garbage_and_skips_incomplete_entries(void **) {
    Tmp t;
    RecordingStore store;
    const fs::path garbage = t.write("not json");
    assert_int_equal(aadcred::import_handover(store, {garbage.string()}), 0);
    assert_false(fs::exists(garbage));
    const fs::path partial = t.write("[{\"accessToken\":\"at\"}]");
    assert_int_equal(aadcred::import_handover(store, {partial.string()}), 0);
    assert_true(store.saved.empty());
}

void a_memory_store_imports_nothing(void **) {
    Tmp t;
    const fs::path file = t.write(std::string("[") + kEntry + "]");
    RecordingStore store;
    store.kind = "memory";
    assert_int_equal(aadcred::import_handover(store, {file.string()}), 0);
    assert_true(fs::exists(file));
}

void looks_in_the_runtime_dirs(void **) {
    setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
    setenv("AADCRED_RUNTIME_ROOT", "/tmp/rt", 1);
    const auto paths = aadcred::handover_paths();
    assert_int_equal(paths.size(), 2);
    assert_string_equal(paths[0].c_str(), "/run/user/1000/aadcred/handover.json");
    assert_string_equal(paths[1].c_str(),
                        ("/tmp/rt/aadcred/" + std::to_string(getuid()) + "/handover.json").c_str());
    unsetenv("XDG_RUNTIME_DIR");
    unsetenv("AADCRED_RUNTIME_ROOT");
    const auto defaults = aadcred::handover_paths();
    assert_int_equal(defaults.size(), 1);
    assert_string_equal(defaults[0].c_str(),
                        ("/run/aadcred/" + std::to_string(getuid()) + "/handover.json").c_str());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(imports_and_deletes),
        cmocka_unit_test(refuses_files_others_could_read_or_swap),
        cmocka_unit_test(keeps_the_file_when_the_store_fails),
        cmocka_unit_test(drops_garbage_and_skips_incomplete_entries),
        cmocka_unit_test(a_memory_store_imports_nothing),
        cmocka_unit_test(looks_in_the_runtime_dirs),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
