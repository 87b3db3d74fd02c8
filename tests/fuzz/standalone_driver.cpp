// Replays corpus files through a fuzz target without libFuzzer, so every normal build
// (gcc, ASan+UBSan, valgrind) runs the seed corpora as ordinary tests: the idea of
// libgit2's fuzzers/standalone_driver.c, written for us. Arguments are files or
// directories (read one level deep, in name order so failures are reproducible).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

// libFuzzer's default -max_len is 4096 for new inputs; corpus files stay far below
// this cap, which only guards against a stray large file being slurped.
constexpr std::uintmax_t kMaxInputBytes = std::uintmax_t{4} << 20;

bool replay(const std::filesystem::path &file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec || size > kMaxInputBytes) {
        std::fprintf(stderr, "cannot use %s (unreadable or over %ju bytes)\n", file.c_str(),
                     kMaxInputBytes);
        return false;
    }
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
        std::fprintf(stderr, "cannot read %s\n", file.c_str());
        return false;
    }
    // Copied into an exactly sized heap buffer so ASan flags any read past the input,
    // as libFuzzer does.
    const std::vector<std::uint8_t> exact(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    std::vector<std::filesystem::path> files;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg(argv[i]);
        std::error_code ec;
        if (std::filesystem::is_directory(arg, ec)) {
            for (const auto &entry : std::filesystem::directory_iterator(arg, ec)) {
                if (entry.is_regular_file()) files.push_back(entry.path());
            }
        } else {
            files.push_back(arg);
        }
        if (ec) {
            std::fprintf(stderr, "cannot list %s: %s\n", argv[i], ec.message().c_str());
            return 1;
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        // An empty corpus would make the test pass without testing anything.
        std::fprintf(stderr, "no corpus files found\n");
        return 1;
    }
    std::size_t failed = 0;
    for (const auto &file : files) {
        if (!replay(file)) ++failed;
    }
    std::printf("replayed %zu of %zu inputs\n", files.size() - failed, files.size());
    return failed == 0 ? 0 : 1;
}
