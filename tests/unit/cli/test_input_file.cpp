// Secrets the CLI reads from FILE or stdin (src/cli/input_file.cpp): the size cap, the
// line break `echo s3cr3t > F` adds, and the messages naming the option at fault.

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "../common/temp_dir.hpp"
#include "config.hpp"
#include "input_file.hpp"

#include "../common/cmocka_cpp.hpp"  // last: cmocka.h defines fail()

namespace {

namespace fs = std::filesystem;
using aadcred::cli::ConfigError;
using aadcred::cli::read_secret;
using aadcred::cli::WipedString;

struct Dir {
    unit_test::TempDir dir;
    fs::path path{dir.path()};
    std::string write(const char *name, const std::string &text) const {
        std::ofstream(path / name, std::ios::binary) << text;
        return (path / name).string();
    }
};

std::string secret_error(const std::string &file, std::size_t cap, bool strip = true) {
    WipedString out;
    try {
        read_secret("client-secret-file", file, cap, strip, out);
    } catch (const ConfigError &e) {
        return e.what();
    }
    return "";
}

void a_secret_file_loses_its_line_break(void **) {
    Dir d;
    WipedString out;
    read_secret("client-secret-file", d.write("s", "s3cr3t\r\n"), 64, true, out);
    assert_string_equal(out.c_str(), "s3cr3t");
    WipedString pem;
    read_secret("certificate", d.write("k", "-----KEY-----\n"), 64, false, pem);
    assert_string_equal(pem.c_str(), "-----KEY-----\n");  // PEM keeps its own
}

void the_messages_name_the_option_and_file(void **) {
    Dir d;
    const std::string empty = d.write("empty", "\n");
    assert_string_equal(secret_error(empty, 64).c_str(),
                        ("--client-secret-file " + empty + ": empty").c_str());
    const std::string missing = (d.path / "missing").string();
    assert_string_equal(
        secret_error(missing, 64).c_str(),
        ("--client-secret-file " + missing + ": No such file or directory").c_str());
    const std::string big = d.write("big", std::string(65, 'x'));
    assert_string_equal(secret_error(big, 64).c_str(),
                        ("--client-secret-file " + big + ": larger than the limit").c_str());
    assert_string_equal(secret_error(d.write("fits", std::string(64, 'x')), 64).c_str(), "");
}

void a_dash_reads_stdin(void **) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], "from-stdin\n", 11), 11);
    close(fds[1]);
    const int saved = dup(0);
    assert_int_equal(dup2(fds[0], 0), 0);
    close(fds[0]);
    WipedString out;
    read_secret("password-file", "-", 64, true, out);
    dup2(saved, 0);
    close(saved);
    assert_string_equal(out.c_str(), "from-stdin");
    assert_sv_equal(aadcred::cli::input_name("-"), "stdin");
    assert_sv_equal(aadcred::cli::input_name("/tmp/f"), "/tmp/f");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_secret_file_loses_its_line_break),
        cmocka_unit_test(the_messages_name_the_option_and_file),
        cmocka_unit_test(a_dash_reads_stdin),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
