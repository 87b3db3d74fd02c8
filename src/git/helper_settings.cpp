#include "helper_settings.hpp"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <memory>
#include <vector>

#include "ascii_case.hpp"
#include "unique_fd.hpp"

extern char **environ;

namespace gitcred {

namespace {

// `git config` prints one record per matching key; a megabyte is far beyond any config.
constexpr std::size_t kMaxConfigOutput = std::size_t{1024} * 1024;

struct SpawnActions {
    posix_spawn_file_actions_t actions{};
    bool ready = false;
    SpawnActions() { ready = posix_spawn_file_actions_init(&actions) == 0; }
    ~SpawnActions() {
        if (ready) posix_spawn_file_actions_destroy(&actions);
    }
    SpawnActions(const SpawnActions &) = delete;
    SpawnActions &operator=(const SpawnActions &) = delete;
};

/// Runs argv (PATH lookup, no shell), stdin from /dev/null, stderr shared with ours so
/// git's own complaints ("bad config line") reach the person. Returns the exit status or
/// -1 with `error` set.
int run_capture(const std::vector<std::string> &args, std::string &out, std::string &error) {
    std::array<int, 2> fds{-1, -1};
    if (pipe2(fds.data(), O_CLOEXEC) != 0) {
        error = std::string("pipe: ") + strerror(errno);
        return -1;
    }
    const aadcred::frontend::UniqueFd read_end(fds[0]);
    aadcred::frontend::UniqueFd write_end(fds[1]);
    SpawnActions fa;
    if (!fa.ready ||
        posix_spawn_file_actions_addopen(&fa.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0) !=
            0 ||
        posix_spawn_file_actions_adddup2(&fa.actions, write_end.get(), STDOUT_FILENO) != 0) {
        error = "cannot prepare to run git";
        return -1;
    }
    std::vector<char *> argv;
    argv.reserve(args.size() + 1);
    for (const auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], &fa.actions, nullptr, argv.data(), environ);
    write_end.reset();
    if (rc != 0) {
        error = std::string("cannot run git: ") + strerror(rc);
        return -1;
    }
    std::array<char, 4096> buf{};
    bool too_big = false;
    for (;;) {
        const ssize_t n = read(read_end.get(), buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (out.size() + static_cast<std::size_t>(n) > kMaxConfigOutput) {
            too_big = true;  // keep draining so git does not block on a full pipe
            continue;
        }
        out.append(buf.data(), static_cast<std::size_t>(n));
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            error = std::string("waitpid: ") + strerror(errno);
            return -1;
        }
    }
    if (too_big) {
        error = "git config printed more than 1 MiB";
        return -1;
    }
    if (!WIFEXITED(status)) {
        error = "git config was killed by a signal";
        return -1;
    }
    return WEXITSTATUS(status);
}

std::optional<std::string> *field_for(HelperSettings &s, std::string_view key) {
    // git prints section and key lower-cased: credential.aadcredclientid.
    if (key == "credential.aadcredauthority") return &s.authority;
    if (key == "credential.aadcredclientid") return &s.client_id;
    if (key == "credential.aadcredresource") return &s.resource;
    if (key == "credential.aadcredscopes") return &s.scopes;
    if (key == "credential.aadcredapi") return &s.api;
    if (key == "credential.aadcredflow") return &s.flow;
    if (key == "credential.aadcredcafile") return &s.ca_file;
    if (key == "credential.aadcredstore") return &s.store;
    if (key == "credential.aadcredallowhttp") return &s.allow_http;
    if (key == "credential.aadcredvalidateauthority") return &s.validate_authority;
    if (key == "credential.aadcredqr") return &s.qr;
    if (key == "credential.username") return &s.username;
    return nullptr;
}

// `git config -z` records: "key\nvalue\0", or "key\0" for a valueless key (boolean true).
HelperSettings parse_records(std::string_view text) {
    HelperSettings settings;
    while (!text.empty()) {
        const auto end = text.find('\0');
        const std::string_view record = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        const auto nl = record.find('\n');
        const std::string_view key = record.substr(0, nl);
        auto *field = field_for(settings, key);
        if (field == nullptr) continue;
        *field =
            nl == std::string_view::npos ? std::string("true") : std::string(record.substr(nl + 1));
    }
    return settings;
}

}  // namespace

bool HelperSettings::configured() const {
    return authority || client_id || resource || scopes || api || flow || ca_file || store ||
           allow_http || validate_authority;
}

SettingsResult load_settings(const std::string &url) {
    SettingsResult result;
    std::string out;
    const int status = run_capture({"git", "config", "-z", "--get-urlmatch", "credential", url},
                                   out, result.error);
    if (status < 0) return result;
    // Exit 1: no key matched. Anything else non-zero: git already said why on stderr.
    if (status == 1) {
        result.settings.emplace();
        return result;
    }
    if (status != 0) {
        result.error = "git config --get-urlmatch failed (exit " + std::to_string(status) + ")";
        return result;
    }
    result.settings = parse_records(out);
    return result;
}

std::optional<bool> parse_git_bool(std::string_view value) {
    const std::string v = aadcred::frontend::ascii_lower(value);
    if (v == "true" || v == "yes" || v == "on") return true;
    if (v.empty() || v == "false" || v == "no" || v == "off") return false;
    long long n = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec == std::errc() && ptr == v.data() + v.size()) return n != 0;
    return std::nullopt;
}

}  // namespace gitcred
