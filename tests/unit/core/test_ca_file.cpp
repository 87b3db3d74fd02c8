// The CA directory check (core/http/ca_file.cpp): without a CA file the transport verifies
// with the system's hashed CA directory rather than its bundle only when OpenSSL can look
// certificates up there, i.e. when the directory holds c_rehash names.

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "../common/temp_dir.hpp"
#include "core/http/ca_file.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

using aadcred::is_hashed_ca_directory;
using unit_test::TempDir;

void touch(const std::string &path) {
    std::ofstream(path) << "-----BEGIN CERTIFICATE-----\n";
}

void a_directory_with_hashed_names_is_used(void **) {
    TempDir dir;
    touch(dir / "ISRG_Root_X1.pem");
    assert_false(is_hashed_ca_directory(dir.path()));
    assert_int_equal(::symlink("ISRG_Root_X1.pem", (dir / "4042bcee.0").c_str()), 0);
    assert_true(is_hashed_ca_directory(dir.path()));
}

void names_that_are_not_hashes_are_not_enough(void **) {
    TempDir dir;
    assert_false(is_hashed_ca_directory(dir.path()));  // empty
    for (const char *name : {"ca-certificates.crt", "4042BCEE.0", "4042bce.0", "4042bceg.0",
                             "4042bcee.", "4042bcee.r0", "4042bcee0"})
        touch(dir / name);
    assert_false(is_hashed_ca_directory(dir.path()));
    touch(dir / "4042bcee.12");
    assert_true(is_hashed_ca_directory(dir.path()));
}

void what_is_not_a_directory_is_refused(void **) {
    TempDir dir;
    assert_false(is_hashed_ca_directory(dir / "missing"));
    touch(dir / "4042bcee.0");
    assert_false(is_hashed_ca_directory(dir / "4042bcee.0"));  // a file
    assert_int_equal(::mkfifo((dir / "fifo").c_str(), 0600), 0);
    assert_false(is_hashed_ca_directory(dir / "fifo"));  // refused, not waited on
    assert_false(is_hashed_ca_directory(""));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_directory_with_hashed_names_is_used),
        cmocka_unit_test(names_that_are_not_hashes_are_not_enough),
        cmocka_unit_test(what_is_not_a_directory_is_refused),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
