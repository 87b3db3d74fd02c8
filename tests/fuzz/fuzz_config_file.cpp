// The CLI's config file (git-config-like INI, config_file.hpp), read through the real
// file path code from an in-memory file. The first byte picks the profile asked for.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config.hpp"
#include "config_file.hpp"

namespace {

class MemoryFile {
  public:
    MemoryFile() : fd_(::memfd_create("aadcred-fuzz-config", MFD_CLOEXEC)) {
        if (fd_ < 0) std::abort();
    }
    ~MemoryFile() { ::close(fd_); }
    MemoryFile(const MemoryFile &) = delete;
    MemoryFile &operator=(const MemoryFile &) = delete;

    std::string path_with(const std::uint8_t *data, std::size_t size) const {
        if (::ftruncate(fd_, 0) != 0) std::abort();
        std::size_t done = 0;
        while (done < size) {
            const ssize_t n = ::pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
            if (n <= 0) std::abort();
            done += static_cast<std::size_t>(n);
        }
        return "/proc/self/fd/" + std::to_string(fd_);
    }

  private:
    int fd_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size == 0) return 0;
    static const MemoryFile file;
    static const char *const kProfiles[] = {"", "graph", "work", "default"};
    const std::string path = file.path_with(data + 1, size - 1);
    try {
        const aadcred::cli::Layer layer =
            aadcred::cli::read_config_file(path, kProfiles[data[0] & 3]);
        for (const auto &[key, setting] : layer) {
            // Only settings a config file may hold, each blamed on FILE:LINE.
            if (!aadcred::cli::is_config_key(key) || setting.origin.rfind(path + ':', 0) != 0) {
                std::abort();
            }
        }
    } catch (const aadcred::cli::ConfigError &) {
    }
    return 0;
}
