// aadcred token --username U --password-file F: ADAL's acquire_token_with_username_password
// (user realm; managed, ADFS or federated through WS-Trust). The password comes from a
// file or "-" (stdin), never from argv, which other users can read in /proc. Like the
// other secret-based flows it runs on a context with its own in-memory cache.
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "commands.hpp"
#include "output.hpp"

namespace aadcred::cli {
namespace {

// A password is far below 4 KiB; the cap only stops a wrong file from being slurped.
constexpr size_t k_max_password = size_t{4} * 1024;

struct WipedPassword {
    std::string text;
    WipedPassword() { text.reserve(k_max_password); }  // growth never leaves a copy behind
    WipedPassword(const WipedPassword &) = delete;
    WipedPassword &operator=(const WipedPassword &) = delete;
    ~WipedPassword() { explicit_bzero(text.data(), text.capacity()); }
};

/// The password file's content without its final line break (`echo pw > F`).
void read_password(const std::string &path, WipedPassword &out) {
    const bool is_stdin = path == "-";
    const std::string label = "--password-file " + (is_stdin ? std::string("stdin") : path);
    const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw ConfigError(label + ": " + std::strerror(errno));
    std::array<char, 512> buf{};
    int error = 0;
    for (;;) {
        const ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) error = errno;
        if (n <= 0) break;
        if (out.text.size() + static_cast<size_t>(n) > k_max_password) {
            error = EFBIG;
            break;
        }
        out.text.append(buf.data(), static_cast<size_t>(n));
    }
    explicit_bzero(buf.data(), buf.size());
    if (!is_stdin) ::close(fd);
    if (error == EFBIG) throw ConfigError(label + ": larger than the limit");
    if (error != 0) throw ConfigError(label + ": " + std::strerror(error));
    while (!out.text.empty() && (out.text.back() == '\n' || out.text.back() == '\r'))
        out.text.pop_back();
    if (out.text.empty()) throw ConfigError(label + ": empty");
}

}  // namespace

bool wants_username_password(const CommandLine &cl) {
    return cl.flow_options.contains("username") || cl.flow_options.contains("password-file");
}

int cmd_token_username_password(const Invocation &inv) {
    const CommandLine &cl = inv.command_line;
    const auto username = cl.flow_options.find("username");
    const auto password_file = cl.flow_options.find("password-file");
    if (username == cl.flow_options.end())
        throw UsageError("--password-file needs --username", Command::token);
    if (password_file == cl.flow_options.end())
        throw UsageError("--username needs --password-file", Command::token);
    if (cl.flow_options.size() > 2)
        throw UsageError("--username excludes the other secret-based options", Command::token);
    require_account(inv.settings);

    ContextPtr context = make_context(inv.settings);
    if (!context) return report_library_error(AADCRED_EINVALID, cl.json);
    WipedPassword password;
    read_password(password_file->second, password);
    TokenPtr token;
    const int rc = aadcred_context_acquire_token_with_username_password(
        out(token), context.get(), target(inv.settings).c_str(), username->second.c_str(),
        password.text.c_str(), inv.settings.client_id.c_str());
    if (rc != AADCRED_OK) return report_library_error(rc, cl.json);
    return print_token(token.get(), cl.json);
}

}  // namespace aadcred::cli
