#include "credential_protocol.hpp"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <array>

namespace gitcred {

namespace {

constexpr std::string_view kArraySuffix = "[]";

bool is_blank_line(std::string_view line) {
    return line.empty() || line == "\r";
}

void wipe_all(std::vector<std::string> &values) noexcept {
    for (auto &value : values) wipe(value);
    values.clear();
}

}  // namespace

void wipe(std::string &s) noexcept {
    // explicit_bzero is not optimised away even though the string is cleared next.
    s.resize(s.capacity());
    explicit_bzero(s.data(), s.size());
    s.clear();
}

Credential::~Credential() {
    for (auto &[key, value] : single_) wipe(value);
    for (auto &[key, values] : multi_) wipe_all(values);
}

std::optional<std::string_view> Credential::get(std::string_view key) const {
    const auto it = single_.find(key);
    if (it == single_.end()) return std::nullopt;
    return std::string_view(it->second);
}

std::vector<std::string_view> Credential::get_all(std::string_view key) const {
    std::vector<std::string_view> values;
    if (const auto it = multi_.find(key); it != multi_.end()) {
        values.assign(it->second.begin(), it->second.end());
    }
    return values;
}

bool Credential::has_capability(std::string_view name) const {
    const auto caps = get_all("capability");
    return std::find(caps.begin(), caps.end(), name) != caps.end();
}

// Friend of Credential: fills it line by line.
struct CredentialParser {
    Credential credential;
    std::string error;

    bool line(std::string_view text) {
        const auto eq = text.find('=');
        if (eq == std::string_view::npos) {
            error = "a line has no '='";
            return false;
        }
        std::string_view key = text.substr(0, eq);
        const std::string_view value = text.substr(eq + 1);
        if (key.empty()) {
            error = "a line has an empty key";
            return false;
        }
        if (key.size() > kArraySuffix.size() && key.ends_with(kArraySuffix)) {
            key.remove_suffix(kArraySuffix.size());
            auto &multi = credential.multi_;
            auto it = multi.find(key);
            if (value.empty()) {
                // gitcredentials(7): an empty value resets a multi-valued attribute.
                if (it != multi.end()) wipe_all(it->second);
                return true;
            }
            if (it == multi.end())
                it = multi.emplace(std::string(key), std::vector<std::string>{}).first;
            it->second.emplace_back(value);
            return true;
        }
        // git never repeats a single-valued key; "last one wins" would let a second
        // host= line override the first one.
        const auto [it, inserted] = credential.single_.try_emplace(std::string(key), value);
        if (!inserted) {
            error = "the key '" + std::string(key) + "' appears twice";
            return false;
        }
        return true;
    }
};

ParseResult parse_credential(std::string_view input) {
    ParseResult result;
    if (input.size() > kMaxInputBytes) {
        result.error = "the input is too large";
        return result;
    }
    if (input.find('\0') != std::string_view::npos) {
        result.error = "the input contains a NUL byte";
        return result;
    }
    CredentialParser parser;
    std::size_t pos = 0;
    while (pos < input.size()) {
        const auto nl = input.find('\n', pos);
        const bool has_lf = nl != std::string_view::npos;
        std::string_view line = input.substr(pos, has_lf ? nl - pos : std::string_view::npos);
        pos = has_lf ? nl + 1 : input.size();
        // One CR right before the LF is a CRLF line ending (git's strbuf_getline allows it).
        if (has_lf && line.ends_with('\r')) line.remove_suffix(1);
        if (line.find('\r') != std::string_view::npos) {
            result.error = "a line contains a carriage return";
            return result;
        }
        if (line.size() > kMaxLineBytes) {
            result.error = "a line is longer than 65535 bytes";
            return result;
        }
        if (line.empty()) break;
        if (!parser.line(line)) {
            result.error = std::move(parser.error);
            return result;
        }
    }
    result.credential.emplace(std::move(parser.credential));
    return result;
}

bool read_description(int fd, std::string &out, std::string &error) {
    std::string data;
    std::array<char, 4096> chunk{};
    std::size_t line_start = 0;  // start of the line not yet seen whole
    bool done = false;
    bool failed = false;
    while (!done && !failed) {
        const ssize_t n = read(fd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error = std::string("cannot read stdin: ") + strerror(errno);
            failed = true;
            break;
        }
        if (n == 0) break;
        if (data.size() + static_cast<std::size_t>(n) > kMaxInputBytes) {
            error = "the input is larger than 1 MiB";
            failed = true;
            break;
        }
        data.append(chunk.data(), static_cast<std::size_t>(n));
        // Stop at the blank line: the description ends there even if the writer keeps
        // its end of the pipe open.
        for (auto nl = data.find('\n', line_start); nl != std::string::npos;
             nl = data.find('\n', line_start)) {
            const std::string_view line(data.data() + line_start, nl - line_start);
            line_start = nl + 1;
            if (is_blank_line(line)) {
                data.resize(line_start);
                done = true;
                break;
            }
        }
        // The unfinished line may end in the CR of a CRLF: allow one byte for it.
        if (!done && data.size() - line_start > kMaxLineBytes + 1) {
            error = "a line is longer than 65535 bytes";
            failed = true;
        }
    }
    explicit_bzero(chunk.data(), chunk.size());
    if (failed) {
        wipe(data);
        return false;
    }
    wipe(out);
    out = std::move(data);
    return true;
}

bool ReplyWriter::add(std::string_view key, std::string_view value) {
    if (!ok()) return false;
    constexpr std::string_view kKeyForbidden("=\r\n\0", 4);
    constexpr std::string_view kValueForbidden("\r\n\0", 3);
    if (key.empty() || key.find_first_of(kKeyForbidden) != std::string_view::npos) {
        error_ = "cannot send the attribute name '" + std::string(key) + "'";
    } else if (value.find_first_of(kValueForbidden) != std::string_view::npos) {
        // Never echo the value: it may be a token.
        error_ = "the value of '" + std::string(key) + "' contains CR, LF or NUL";
    }
    if (!ok()) {
        wipe(text_);
        return false;
    }
    text_.append(key).append("=").append(value).append("\n");
    return true;
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace gitcred
