#pragma once
// Logging with ADAL's levels and line shape: "<correlation-id> - <Component>:<message>".
// Process-wide options (ADAL's set_logging_options is global too). Personal data goes
// through Logger::pii(), which hides it unless PII logging is on; tokens never reach a
// log line at all, only their ADAL-style ids (base64 of their SHA-256).

#include <functional>
#include <string>
#include <string_view>

namespace aadcred {

class SecretString;

enum class LogLevel { error = 0, warning = 1, info = 2, verbose = 3 };

/// "ERROR", "WARNING", "INFO", "VERBOSE".
const char *log_level_name(LogLevel level) noexcept;
/// Accepts the names above in any case, and ADAL's "DEBUG" as verbose. False if unknown.
bool parse_log_level(std::string_view text, LogLevel &out) noexcept;

using LogSink = std::function<void(LogLevel level, const std::string &line)>;

struct LogOptions {
    LogLevel level = LogLevel::error;
    LogSink sink;  ///< empty: stderr
    bool enable_pii = false;
};

void set_log_options(LogOptions options);
LogOptions get_log_options();

class Logger {
  public:
    /// @param correlation_id empty prints ADAL's "<no correlation id>"
    /// @param enable_pii the context's enable_pii; PII shows if this or the global is on
    Logger(std::string component, std::string correlation_id, bool enable_pii = false);

    void error(std::string_view message) const { write(LogLevel::error, message); }
    void warning(std::string_view message) const { write(LogLevel::warning, message); }
    void info(std::string_view message) const { write(LogLevel::info, message); }
    void verbose(std::string_view message) const { write(LogLevel::verbose, message); }
    /// A line whose level the caller decides (e.g. lower where the flow recovers).
    void log(LogLevel level, std::string_view message) const { write(level, message); }

    /// The value itself when PII logging is on, else "..." (ADAL's scrub_pii marker).
    std::string pii(std::string_view value) const;
    /// ADAL's token id: base64(sha256(token)); safe to log, identifies a token.
    static std::string token_id(const SecretString &token);

    bool enabled(LogLevel level) const noexcept;
    const std::string &correlation_id() const noexcept { return correlation_id_; }

  private:
    void write(LogLevel level, std::string_view message) const;

    std::string component_;
    std::string correlation_id_;
    bool enable_pii_;
};

}  // namespace aadcred
