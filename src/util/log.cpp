#include "util/log.hpp"

#include <strings.h>
#include <cstdio>
#include <mutex>

#include "util/base64.hpp"
#include "util/digest.hpp"
#include "util/secret_string.hpp"

namespace aadcred {
namespace {

std::mutex g_options_mutex;
LogOptions g_options;

}  // namespace

const char *log_level_name(LogLevel level) noexcept {
    switch (level) {
        case LogLevel::error:
            return "ERROR";
        case LogLevel::warning:
            return "WARNING";
        case LogLevel::info:
            return "INFO";
        case LogLevel::verbose:
            return "VERBOSE";
    }
    return "ERROR";
}

bool parse_log_level(std::string_view text, LogLevel &out) noexcept {
    struct Name {
        const char *name;
        LogLevel level;
    };
    static constexpr Name names[] = {
        {"error", LogLevel::error}, {"warning", LogLevel::warning}, {"warn", LogLevel::warning},
        {"info", LogLevel::info},   {"verbose", LogLevel::verbose}, {"debug", LogLevel::verbose},
    };
    for (const auto &n : names) {
        if (text.size() == std::char_traits<char>::length(n.name) &&
            strncasecmp(text.data(), n.name, text.size()) == 0) {
            out = n.level;
            return true;
        }
    }
    return false;
}

void set_log_options(LogOptions options) {
    std::lock_guard lock(g_options_mutex);
    g_options = std::move(options);
}

LogOptions get_log_options() {
    std::lock_guard lock(g_options_mutex);
    return g_options;
}

Logger::Logger(std::string component, std::string correlation_id, bool enable_pii)
    : component_(std::move(component)),
      correlation_id_(std::move(correlation_id)),
      enable_pii_(enable_pii) {}

bool Logger::enabled(LogLevel level) const noexcept {
    std::lock_guard lock(g_options_mutex);
    return static_cast<int>(level) <= static_cast<int>(g_options.level);
}

std::string Logger::pii(std::string_view value) const {
    bool show = enable_pii_;
    if (!show) {
        std::lock_guard lock(g_options_mutex);
        show = g_options.enable_pii;
    }
    return show ? std::string(value) : std::string("...");
}

std::string Logger::token_id(const SecretString &token) {
    const Sha256Digest digest = sha256(token.reveal());
    return base64_encode({reinterpret_cast<const char *>(digest.data()), digest.size()});
}

void Logger::write(LogLevel level, std::string_view message) const {
    LogSink sink;
    {
        std::lock_guard lock(g_options_mutex);
        if (static_cast<int>(level) > static_cast<int>(g_options.level)) return;
        sink = g_options.sink;
    }
    std::string line;
    line.reserve(correlation_id_.size() + component_.size() + message.size() + 8);
    line += correlation_id_.empty() ? "<no correlation id>" : correlation_id_;
    line += " - ";
    line += component_;
    line += ':';
    line += message;
    if (sink) {
        sink(level, line);
    } else {
        std::fprintf(stderr, "aadcred %s %s\n", log_level_name(level), line.c_str());
    }
}

}  // namespace aadcred
