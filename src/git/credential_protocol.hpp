#pragma once
// git's credential helper protocol (gitcredentials(7), git-credential(1)): a list of
// `key=value` lines ended by a blank line or end of input, `key[]=value` for multi-valued
// attributes (wwwauth[], capability[]). Parsed strictly, because a helper that reads
// "host" wrongly hands a token to the wrong server: git itself never sends a CR inside a
// value, a NUL, a line without '=' or the same single-valued key twice, so any of those
// means someone else is talking to us and the whole input is refused.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gitcred {

/// Longest line accepted, without its line ending.
inline constexpr std::size_t kMaxLineBytes = 65535;
/// Most bytes read from stdin: git sends a few hundred; wwwauth[] adds a few KiB at most.
inline constexpr std::size_t kMaxInputBytes = std::size_t{1024} * 1024;

/// Overwrites the whole capacity of `s` (it may hold a token) and clears it.
void wipe(std::string &s) noexcept;

/// A credential description as git sent it. Values may be secrets (password), so every
/// string is wiped when the object dies.
class Credential {
  public:
    Credential() = default;
    Credential(const Credential &) = delete;
    Credential &operator=(const Credential &) = delete;
    Credential(Credential &&) noexcept = default;
    Credential &operator=(Credential &&) noexcept = default;
    ~Credential();

    /// The value of a single-valued attribute ("protocol", "host"...), if present.
    std::optional<std::string_view> get(std::string_view key) const;
    /// The values of a multi-valued attribute, named without "[]" ("wwwauth").
    std::vector<std::string_view> get_all(std::string_view key) const;
    /// True when git announced `capability[]=<name>`.
    bool has_capability(std::string_view name) const;

  private:
    friend struct CredentialParser;
    // Indexed by key: the duplicate check and the reset of a multi-valued attribute
    // must not scan what came before, or 1 MiB of distinct keys takes quadratic time
    // (tens of seconds) before git gets an answer.
    std::map<std::string, std::string, std::less<>> single_;
    std::map<std::string, std::vector<std::string>, std::less<>> multi_;  // in git's order
};

/// Either a credential or why the input was refused (never both).
struct ParseResult {
    std::optional<Credential> credential;
    std::string error;
};

/// Parses a whole description: split on LF only, one CR allowed right before an LF, any
/// other CR or a NUL anywhere refuses the input; lines of at most kMaxLineBytes; parsing
/// stops at the first blank line.
ParseResult parse_credential(std::string_view input);

/// Reads the description from `fd` until its blank line, end of file or kMaxInputBytes.
/// On failure returns false and sets `error`; `out` then holds nothing.
bool read_description(int fd, std::string &out, std::string &error);

/// Builds a reply. A value containing CR, LF or NUL cannot be said in this protocol (it
/// would inject attributes), so the writer refuses it and the whole reply with it.
class ReplyWriter {
  public:
    ReplyWriter() = default;
    ReplyWriter(const ReplyWriter &) = delete;
    ReplyWriter &operator=(const ReplyWriter &) = delete;
    ~ReplyWriter() { wipe(text_); }

    /// Appends `key=value`; returns false (and poisons the reply) if either cannot be sent.
    bool add(std::string_view key, std::string_view value);
    /// True while every add() succeeded.
    bool ok() const noexcept { return error_.empty(); }
    /// Why the reply was refused, empty when ok().
    const std::string &error() const noexcept { return error_; }
    /// The reply text: only meaningful when ok().
    const std::string &text() const noexcept { return text_; }

  private:
    std::string text_;
    std::string error_;
};

/// Writes all of `data` to `fd`, retrying short writes and EINTR.
bool write_all(int fd, std::string_view data);

}  // namespace gitcred
