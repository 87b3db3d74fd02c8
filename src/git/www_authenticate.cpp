#include "www_authenticate.hpp"

#include <cctype>

#include "ascii_case.hpp"

namespace gitcred {

namespace {

using aadcred::frontend::equal_ignoring_ascii_case;

// RFC 9110 §5.6.2 tchar.
bool is_tchar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 9110 §11.2 token68 characters (before its trailing '=').
bool is_token68_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("-._~+/").find(c) != std::string_view::npos;
}

class Reader {
  public:
    explicit Reader(std::string_view text) : text_(text) {}

    bool done() const { return pos_ >= text_.size(); }
    char peek() const { return done() ? '\0' : text_[pos_]; }
    void skip_space() {
        while (!done() && (peek() == ' ' || peek() == '\t')) ++pos_;
    }
    void skip_space_and_commas() {
        while (!done() && (peek() == ' ' || peek() == '\t' || peek() == ',')) ++pos_;
    }
    std::string_view token() {
        const std::size_t start = pos_;
        while (!done() && is_tchar(peek())) ++pos_;
        return text_.substr(start, pos_ - start);
    }
    /// A token68 ending at a comma or the end (`abc==`), consumed; false (nothing
    /// consumed) when the text there is something else.
    bool token68() {
        std::size_t end = pos_;
        while (end < text_.size() && is_token68_char(text_[end])) ++end;
        if (end == pos_) return false;
        while (end < text_.size() && text_[end] == '=') ++end;
        std::size_t after = end;
        while (after < text_.size() && (text_[after] == ' ' || text_[after] == '\t')) ++after;
        if (after < text_.size() && text_[after] != ',') return false;
        pos_ = after;
        return true;
    }
    /// After a name and '=': a quoted string (unescaped) or everything to the next comma.
    std::optional<std::string> value() {
        std::string out;
        if (peek() == '"') {
            for (++pos_; !done() && peek() != '"'; ++pos_) {
                if (peek() == '\\' && pos_ + 1 < text_.size()) ++pos_;
                out.push_back(peek());
            }
            if (done()) return std::nullopt;  // unterminated quote
            ++pos_;
            return out;
        }
        while (!done() && peek() != ',') out.push_back(text_[pos_++]);
        while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
        return out;
    }
    /// True when `name OWS =` starts here (an auth-param), without consuming anything.
    bool param_ahead() const {
        std::size_t i = pos_;
        while (i < text_.size() && is_tchar(text_[i])) ++i;
        if (i == pos_) return false;
        while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
        return i < text_.size() && text_[i] == '=';
    }
    void expect(char c) {
        if (peek() == c) ++pos_;
    }

  private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::string_view> Challenge::param(std::string_view name) const {
    for (const auto &[key, value] : params) {
        if (equal_ignoring_ascii_case(key, name)) return std::string_view(value);
    }
    return std::nullopt;
}

bool Challenge::is(std::string_view name) const {
    return equal_ignoring_ascii_case(scheme, name);
}

std::vector<Challenge> parse_challenges(std::string_view header_value) {
    std::vector<Challenge> challenges;
    Reader in(header_value);
    for (in.skip_space_and_commas(); !in.done(); in.skip_space_and_commas()) {
        const std::string_view scheme = in.token();
        if (scheme.empty()) break;  // not a challenge: keep what came before
        Challenge challenge;
        challenge.scheme = std::string(scheme);
        in.skip_space();
        if (in.token68()) {  // before params: `YII=` is a token68, `realm=x` is not
            challenges.push_back(std::move(challenge));
            continue;
        }
        bool broken = false;
        while (in.param_ahead()) {
            std::string name(in.token());
            in.skip_space();
            in.expect('=');
            in.skip_space();
            auto value = in.value();
            if (!value) {
                broken = true;
                break;
            }
            challenge.params.emplace_back(std::move(name), std::move(*value));
            in.skip_space_and_commas();
        }
        challenges.push_back(std::move(challenge));
        if (broken) break;
    }
    return challenges;
}

std::optional<std::string> claims_from_challenges(const std::vector<std::string_view> &wwwauth) {
    for (const std::string_view header : wwwauth) {
        for (const Challenge &challenge : parse_challenges(header)) {
            if (!challenge.is("Bearer")) continue;
            const auto claims = challenge.param("claims");
            if (claims && !claims->empty()) return std::string(*claims);
        }
    }
    return std::nullopt;
}

}  // namespace gitcred
