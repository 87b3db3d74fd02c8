#include "input_file.hpp"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "config.hpp"
#include "unique_fd.hpp"

namespace aadcred::cli {

WipedString::~WipedString() {
    // Over the whole capacity: stripped line breaks and shorter earlier contents included.
    // resize() within the capacity neither allocates nor throws.
    text_.resize(text_.capacity());
    explicit_bzero(text_.data(), text_.size());
}

std::string input_name(const std::string &path) {
    return path == "-" ? std::string("stdin") : path;
}

void read_input(const std::string &path, std::size_t cap, const std::string &label,
                std::string_view too_big, std::string &out) {
    const bool is_stdin = path == "-";
    const frontend::UniqueFd opened(is_stdin ? -1 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    const int fd = is_stdin ? STDIN_FILENO : opened.get();
    if (fd < 0) throw ConfigError(label + ": " + std::strerror(errno));
    out.reserve(out.size() + cap);
    const std::size_t start = out.size();
    std::array<char, 4096> buf{};
    int error = 0;
    for (;;) {
        const ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) error = errno;
        if (n <= 0) break;
        if (out.size() - start + static_cast<std::size_t>(n) > cap) {
            error = EFBIG;
            break;
        }
        out.append(buf.data(), static_cast<std::size_t>(n));
    }
    explicit_bzero(buf.data(), buf.size());
    if (error == EFBIG) throw ConfigError(label + ": " + std::string(too_big));
    if (error != 0) throw ConfigError(label + ": " + std::strerror(error));
}

void read_secret(std::string_view option, const std::string &path, std::size_t cap,
                 bool strip_line_breaks, WipedString &out) {
    const std::string label = "--" + std::string(option) + " " + input_name(path);
    std::string &text = out.text();
    read_input(path, cap, label, "larger than the limit", text);
    if (strip_line_breaks) {
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    }
    if (text.empty()) throw ConfigError(label + ": empty");
}

}  // namespace aadcred::cli
