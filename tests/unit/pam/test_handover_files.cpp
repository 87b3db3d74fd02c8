// The hand-over's files (docs/pam-sso.md): modes and owners, the root-only staging for
// sshd's forked authentication, and refusal to follow anything a user could swap in.

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../common/cmocka_cpp.hpp"
#include "handover_files.hpp"
#include "secure_files.hpp"

namespace {

namespace fs = std::filesystem;
using aadcred_pam::LocalUser;

constexpr const char *kJson = "[{\"accessToken\":\"at\",\"refreshToken\":\"rt\"}]";
constexpr uid_t kNobody = 65534;

struct Tmp {
    fs::path root;
    Tmp() {
        char pattern[] = "/tmp/aadcred-pam-test-XXXXXX";
        root = mkdtemp(pattern);
    }
    ~Tmp() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
};

LocalUser me() {
    return {geteuid(), getegid()};
}

std::string read(const fs::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

mode_t mode_of(const fs::path &p) {
    struct stat st {};
    assert_int_equal(lstat(p.c_str(), &st), 0);
    return st.st_mode & 07777;
}

uid_t owner_of(const fs::path &p) {
    struct stat st {};
    assert_int_equal(lstat(p.c_str(), &st), 0);
    return st.st_uid;
}

void make_user_runtime(const fs::path &root, uid_t uid) {
    fs::create_directories(root / "user" / std::to_string(uid));
    chmod((root / "user").c_str(), 0755);
    chmod((root / "user" / std::to_string(uid)).c_str(), 0700);
    if (uid != geteuid())
        assert_int_equal(chown((root / "user" / std::to_string(uid)).c_str(), uid, uid), 0);
}

void goes_into_the_logind_runtime_dir(void **) {
    Tmp t;
    make_user_runtime(t.root, geteuid());
    std::string where, error;
    aadcred_pam::FileId written;
    assert_true(aadcred_pam::write_handover(t.root, me(), kJson, where, error, written));
    const fs::path path = t.root / "user" / std::to_string(geteuid()) / "aadcred" / "handover.json";
    assert_string_equal(read(path).c_str(), kJson);
    assert_int_equal(mode_of(path), 0600);
    assert_int_equal(mode_of(path.parent_path()), 0700);
    assert_string_equal(where.c_str(), path.parent_path().c_str());
    // Written again (a second session of the user): replaced, no temporary files left.
    const aadcred_pam::FileId first = written;
    assert_true(aadcred_pam::write_handover(t.root, me(), "[]", where, error, written));
    assert_string_equal(read(path).c_str(), "[]");
    assert_int_equal(std::distance(fs::directory_iterator(path.parent_path()), {}), 1);
    // The first session ends: the second one's hand-over stays for it.
    assert_false(aadcred_pam::remove_handover(t.root, me(), first));
    assert_string_equal(read(path).c_str(), "[]");
    assert_true(aadcred_pam::remove_handover(t.root, me(), written));
    assert_false(fs::exists(path));
    assert_false(aadcred_pam::remove_handover(t.root, me(), written));
}

void falls_back_to_a_private_dir_of_ours(void **) {
    Tmp t;
    std::string where, error;
    aadcred_pam::FileId written;
    assert_true(aadcred_pam::write_handover(t.root, me(), kJson, where, error, written));
    const fs::path dir = t.root / "aadcred" / std::to_string(geteuid());
    assert_string_equal(read(dir / "handover.json").c_str(), kJson);
    assert_int_equal(mode_of(t.root / "aadcred"), 0711);
    assert_int_equal(mode_of(dir), 0700);
    assert_int_equal(mode_of(dir / "handover.json"), 0600);
}

void a_shared_runtime_dir_is_not_used(void **) {
    Tmp t;
    make_user_runtime(t.root, geteuid());
    chmod((t.root / "user" / std::to_string(geteuid())).c_str(), 0777);
    std::string where, error;
    aadcred_pam::FileId written;
    assert_true(aadcred_pam::write_handover(t.root, me(), kJson, where, error, written));
    assert_false(fs::exists(t.root / "user" / std::to_string(geteuid()) / "aadcred"));
    assert_true(fs::exists(t.root / "aadcred" / std::to_string(geteuid()) / "handover.json"));
}

void never_follows_a_symlinked_dir(void **) {
    Tmp t;
    make_user_runtime(t.root, geteuid());
    fs::create_directory(t.root / "elsewhere");
    fs::create_directory_symlink(t.root / "elsewhere",
                                 t.root / "user" / std::to_string(geteuid()) / "aadcred");
    std::string where, error;
    aadcred_pam::FileId written;
    assert_false(aadcred_pam::write_handover(t.root, me(), kJson, where, error, written));
    assert_true(fs::is_empty(t.root / "elsewhere"));
    assert_false(error.empty());
}

void replaces_a_symlinked_file_instead_of_writing_through_it(void **) {
    Tmp t;
    make_user_runtime(t.root, geteuid());
    const fs::path dir = t.root / "user" / std::to_string(geteuid()) / "aadcred";
    fs::create_directory(dir);
    chmod(dir.c_str(), 0700);
    std::ofstream(t.root / "victim") << "precious";
    fs::create_symlink(t.root / "victim", dir / "handover.json");
    std::string where, error;
    aadcred_pam::FileId written;
    assert_true(aadcred_pam::write_handover(t.root, me(), kJson, where, error, written));
    assert_string_equal(read(t.root / "victim").c_str(), "precious");
    assert_false(fs::is_symlink(dir / "handover.json"));
}

void a_module_dir_owned_by_someone_else_is_refused(void **) {
    Tmp t;
    if (geteuid() != 0) skip();
    fs::create_directory(t.root / "aadcred");
    assert_int_equal(chown((t.root / "aadcred").c_str(), kNobody, kNobody), 0);
    std::string error;
    assert_false(aadcred_pam::stage_sign_in(t.root, {"root", 0, getpid(), 1}, kJson, error));
    assert_non_null(strstr(error.c_str(), "wrong owner"));
}

// A record bound to this test process as it runs now, for uid 1234 "alice".
aadcred_pam::StagedSignIn for_me() {
    const auto start = aadcred_pam::process_start_time(getpid());
    assert_true(start.has_value());
    return {"alice", 1234, getpid(), *start};
}

const char *staged_name() {
    static std::string name;
    name = std::to_string(getpid()) + ".json";
    return name.c_str();
}

void staging_round_trip(void **) {
    Tmp t;
    std::string error;
    assert_true(aadcred_pam::stage_sign_in(t.root, for_me(), kJson, error));
    const fs::path staged = t.root / "aadcred" / "staging" / staged_name();
    assert_int_equal(mode_of(staged.parent_path()), 0700);
    assert_int_equal(mode_of(staged), 0600);
    aadcred_pam::StagedSignIn who;
    std::string out;
    assert_true(aadcred_pam::take_staged_sign_in(t.root, getpid(), who, out, error));
    assert_string_equal(out.c_str(), kJson);
    assert_string_equal(who.user.c_str(), "alice");
    assert_int_equal(who.uid, 1234);
    assert_false(fs::exists(staged));  // taken once
    out.clear();
    assert_false(aadcred_pam::take_staged_sign_in(t.root, getpid(), who, out, error));
    assert_true(error.empty());
    assert_false(aadcred_pam::take_staged_sign_in(t.root, 99, who, out, error));
}

void staging_is_bound_to_its_process(void **) {
    Tmp t;
    std::string error, out;
    aadcred_pam::StagedSignIn who;
    // Staged for this pid but another start time: a process that reused the pid.
    auto reused = for_me();
    reused.consumer_start += 1;
    assert_true(aadcred_pam::stage_sign_in(t.root, reused, kJson, error));
    assert_false(aadcred_pam::take_staged_sign_in(t.root, getpid(), who, out, error));
    assert_non_null(strstr(error.c_str(), "another process"));
    assert_true(out.empty() || out.find("accessToken") == std::string::npos);
    assert_false(fs::exists(t.root / "aadcred" / "staging" / staged_name()));
    // Dropped: gone before anyone takes it.
    assert_true(aadcred_pam::stage_sign_in(t.root, for_me(), kJson, error));
    aadcred_pam::drop_staged_sign_in(t.root, getpid());
    error.clear();
    assert_false(aadcred_pam::take_staged_sign_in(t.root, getpid(), who, out, error));
    assert_true(error.empty());
    // Nothing to bind to: refused.
    assert_false(aadcred_pam::stage_sign_in(t.root, {"", 1, getpid(), 1}, kJson, error));
    assert_false(aadcred_pam::stage_sign_in(t.root, {"a\nb", 1, getpid(), 1}, kJson, error));
    assert_false(aadcred_pam::stage_sign_in(t.root, {"a", 1, 0, 1}, kJson, error));
}

void stale_or_loose_staging_is_refused(void **) {
    Tmp t;
    std::string error, out;
    aadcred_pam::StagedSignIn who;
    assert_true(aadcred_pam::stage_sign_in(t.root, for_me(), kJson, error));
    const fs::path staged = t.root / "aadcred" / "staging" / staged_name();
    const struct timespec old[2] = {{time(nullptr) - 600, 0}, {time(nullptr) - 600, 0}};
    assert_int_equal(utimensat(AT_FDCWD, staged.c_str(), old, 0), 0);
    assert_false(aadcred_pam::take_staged_sign_in(t.root, getpid(), who, out, error));
    assert_non_null(strstr(error.c_str(), "stale"));
    assert_false(fs::exists(staged));  // a stale token does not linger either

    assert_true(aadcred_pam::stage_sign_in(t.root, for_me(), kJson, error));
    chmod(staged.c_str(), 0644);
    assert_false(aadcred_pam::take_staged_sign_in(t.root, getpid(), who, out, error));
    assert_non_null(strstr(error.c_str(), "not a private regular file"));
}

void stale_records_of_others_are_swept(void **) {
    Tmp t;
    std::string error;
    assert_true(aadcred_pam::stage_sign_in(t.root, {"bob", 1, 4242, 7}, kJson, error));
    const fs::path other = t.root / "aadcred" / "staging" / "4242.json";
    const struct timespec old[2] = {{time(nullptr) - 600, 0}, {time(nullptr) - 600, 0}};
    assert_int_equal(utimensat(AT_FDCWD, other.c_str(), old, 0), 0);
    assert_true(aadcred_pam::stage_sign_in(t.root, {"carol", 2, 4343, 7}, kJson, error));
    assert_false(fs::exists(other));  // its consumer never came: gone
    assert_true(fs::exists(t.root / "aadcred" / "staging" / "4343.json"));  // fresh: stays
}

void root_writes_as_the_user(void **) {
    if (geteuid() != 0) skip();
    Tmp t;
    chmod(t.root.c_str(), 0755);
    make_user_runtime(t.root, kNobody);
    std::string where, error;
    aadcred_pam::FileId written;
    assert_true(aadcred_pam::write_handover(t.root, {kNobody, kNobody}, kJson, where, error, written));
    const fs::path file = t.root / "user" / std::to_string(kNobody) / "aadcred" / "handover.json";
    assert_int_equal(owner_of(file), kNobody);
    assert_int_equal(owner_of(file.parent_path()), kNobody);
    // Fallback dir: made by root, given to the user.
    Tmp t2;
    chmod(t2.root.c_str(), 0755);
    assert_true(
        aadcred_pam::write_handover(t2.root, {kNobody, kNobody}, kJson, where, error, written));
    const fs::path dir = t2.root / "aadcred" / std::to_string(kNobody);
    assert_int_equal(owner_of(dir), kNobody);
    assert_int_equal(owner_of(dir / "handover.json"), kNobody);
    assert_int_equal(owner_of(t2.root / "aadcred"), 0);
}

void the_user_identity_cannot_write_roots_files(void **) {
    if (geteuid() != 0) skip();
    Tmp t;  // 0700, root's
    {
        auto as_nobody = aadcred_pam::FsIdentity::become(kNobody, kNobody);
        assert_true(as_nobody.has_value());
        const int fd = open((t.root / "x").c_str(), O_CREAT | O_WRONLY, 0600);
        assert_int_equal(fd, -1);
    }
    // Given back: root writes again.
    const int fd = open((t.root / "x").c_str(), O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
}

void finds_local_users(void **) {
    const auto root = aadcred_pam::find_local_user("root");
    assert_true(root.has_value());
    assert_int_equal(root->uid, 0);
    assert_false(aadcred_pam::find_local_user("no-such-user-aadcred").has_value());
    assert_false(aadcred_pam::find_local_user("").has_value());
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(goes_into_the_logind_runtime_dir),
        cmocka_unit_test(falls_back_to_a_private_dir_of_ours),
        cmocka_unit_test(a_shared_runtime_dir_is_not_used),
        cmocka_unit_test(never_follows_a_symlinked_dir),
        cmocka_unit_test(replaces_a_symlinked_file_instead_of_writing_through_it),
        cmocka_unit_test(a_module_dir_owned_by_someone_else_is_refused),
        cmocka_unit_test(staging_round_trip),
        cmocka_unit_test(staging_is_bound_to_its_process),
        cmocka_unit_test(stale_or_loose_staging_is_refused),
        cmocka_unit_test(stale_records_of_others_are_swept),
        cmocka_unit_test(root_writes_as_the_user),
        cmocka_unit_test(the_user_identity_cannot_write_roots_files),
        cmocka_unit_test(finds_local_users),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
