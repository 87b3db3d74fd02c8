#include "core/json/json.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/adal_error.hpp"
#include "core/json/json_number.hpp"
#include "util/text.hpp"

namespace aadcred::json {
namespace {

// Iterative: the parser keeps its own stack on the heap, so a hostile "[[[[..." cannot
// exhaust ours; encoding validated because we re-emit these strings as JSON; numbers as
// text, converted by read_number (json_number.hpp says why).
constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag |
                                 rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseNumbersAsStringsFlag;

enum class Refusal { none, too_deep, lone_surrogate, number_too_big };

// The reader's handler: checks what RapidJSON does not, then builds the DOM. Returning
// false stops the parse at once, so a document nested past the cap costs no more than
// the cap.
template <typename Document>
class CheckedBuilder {
  public:
    explicit CheckedBuilder(Document &doc) : doc_(doc) {}

    Refusal refusal() const noexcept { return refusal_; }

    bool Null() { return doc_.Null(); }
    bool Bool(bool b) { return doc_.Bool(b); }
    // kParseNumbersAsStringsFlag routes every number to RawNumber; these keep the
    // handler complete.
    bool Int(int i) { return doc_.Int(i); }
    bool Uint(unsigned u) { return doc_.Uint(u); }
    bool Int64(std::int64_t i) { return doc_.Int64(i); }
    bool Uint64(std::uint64_t u) { return doc_.Uint64(u); }
    bool Double(double d) { return doc_.Double(d); }
    bool RawNumber(const char *text, rapidjson::SizeType length, bool) {
        const NumberValue number = read_number(std::string_view(text, length));
        switch (number.kind) {
            case NumberValue::Kind::signed_integer:
                return doc_.Int64(number.integer);
            case NumberValue::Kind::unsigned_integer:
                return doc_.Uint64(number.unsigned_integer);
            case NumberValue::Kind::real:
                return doc_.Double(number.real);
            case NumberValue::Kind::too_big:
                break;
        }
        return refuse(Refusal::number_too_big);
    }
    // kParseValidateEncodingFlag checks raw bytes only: RapidJSON decodes a lone low
    // surrogate escape ("\udc00") into bytes that are not UTF-8, which we could neither
    // store nor write back. Such a string is refused, as I-JSON (RFC 7493) asks.
    bool String(const char *text, rapidjson::SizeType length, bool copy) {
        if (!is_valid_utf8(std::string_view(text, length))) return refuse(Refusal::lone_surrogate);
        return doc_.String(text, length, copy);
    }
    bool Key(const char *text, rapidjson::SizeType length, bool copy) {
        if (!is_valid_utf8(std::string_view(text, length))) return refuse(Refusal::lone_surrogate);
        return doc_.Key(text, length, copy);
    }
    bool StartObject() { return enter() && doc_.StartObject(); }
    bool StartArray() { return enter() && doc_.StartArray(); }
    bool EndObject(rapidjson::SizeType members) {
        --depth_;
        return doc_.EndObject(members);
    }
    bool EndArray(rapidjson::SizeType elements) {
        --depth_;
        return doc_.EndArray(elements);
    }

  private:
    bool enter() { return ++depth_ <= kMaxDepth || refuse(Refusal::too_deep); }
    bool refuse(Refusal why) {
        refusal_ = why;
        return false;
    }

    Document &doc_;
    unsigned depth_ = 0;
    Refusal refusal_ = Refusal::none;
};

[[noreturn]] void fail(std::string message) {
    throw AdalError(ErrorClass::protocol, std::move(message));
}

std::string describe(rapidjson::ParseErrorCode code, std::size_t offset) {
    return std::string(rapidjson::GetParseError_En(code)) + " at offset " + std::to_string(offset);
}

// Python's repr() of a short string for error messages: quoted, non-printable bytes as
// \xNN (the text may come from a server and end up on a terminal), long ones cut.
std::string python_repr(std::string_view text) {
    constexpr std::size_t kMaxShown = 64;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "'";
    for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f || c == '\\' || c == '\'') {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0x0f];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (text.size() > kMaxShown) out += "...";
    out += "'";
    return out;
}

template <typename Value>
const char *python_type_name(const Value &value) noexcept {
    if (value.IsNull()) return "NoneType";
    if (value.IsBool()) return "bool";
    if (value.IsArray()) return "list";
    if (value.IsObject()) return "dict";
    return "value";
}

bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// int(text) for base 10: surrounding whitespace, one sign, digits with single
// underscores between them (PEP 515).
std::int64_t parse_python_int(std::string_view text) {
    const std::string invalid = "invalid literal for int() with base 10: " + python_repr(text);
    std::string_view t = text;
    while (!t.empty() && is_space(t.front())) t.remove_prefix(1);
    while (!t.empty() && is_space(t.back())) t.remove_suffix(1);
    bool negative = false;
    if (!t.empty() && (t.front() == '+' || t.front() == '-')) {
        negative = t.front() == '-';
        t.remove_prefix(1);
    }
    if (t.empty()) fail(invalid);
    // Accumulate as a negative number so INT64_MIN fits.
    std::int64_t value = 0;
    bool last_digit = false;
    for (char c : t) {
        if (c == '_') {
            if (!last_digit) fail(invalid);
            last_digit = false;
            continue;
        }
        if (c < '0' || c > '9') fail(invalid);
        const int digit = c - '0';
        if (value < (std::numeric_limits<std::int64_t>::min() + digit) / 10) {
            fail("integer " + python_repr(text) + " is out of range");
        }
        value = value * 10 - digit;
        last_digit = true;
    }
    if (!last_digit) fail(invalid);
    if (!negative) {
        if (value == std::numeric_limits<std::int64_t>::min()) {
            fail("integer " + python_repr(text) + " is out of range");
        }
        value = -value;
    }
    return value;
}

void append_u_escape(std::string &out, unsigned unit) {
    // Python writes \uXXXX with lower-case hex.
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\u";
    out += kHex[(unit >> 12) & 0xf];
    out += kHex[(unit >> 8) & 0xf];
    out += kHex[(unit >> 4) & 0xf];
    out += kHex[unit & 0xf];
}

// The reader's own stack holds each string as it is decoded: wiped too.
using WipingReader =
    rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, util::WipingAllocator>;

template <typename Document>
Document parse_into(std::string_view text, std::string_view what) {
    const std::string name(what);
    if (text.size() > kMaxDocumentBytes) {
        fail(name + " is larger than " + std::to_string(kMaxDocumentBytes) + " bytes");
    }
    // RapidJSON's memory stream reads NUL as end of input, which would hide trailing bytes.
    if (!text.empty() && std::memchr(text.data(), '\0', text.size()) != nullptr) {
        fail(name + " is not valid JSON: it contains a NUL byte");
    }

    rapidjson::MemoryStream bytes(text.data(), text.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(bytes);
    WipingReader reader;
    rapidjson::ParseResult result;
    Refusal refusal = Refusal::none;
    Document doc;
    auto generate = [&](Document &target) {
        CheckedBuilder<Document> builder(target);
        result = reader.Parse<kParseFlags>(stream, builder);
        refusal = builder.refusal();
        return !result.IsError();
    };
    try {
        doc.Populate(generate);
    } catch (const util::JsonAssertion &e) {
        // A RapidJSON precondition failed while reading: the input's fault as far as
        // anyone can tell, and never an abort of the host process.
        fail(name + " could not be read: " + e.what());
    }
    switch (refusal) {
        case Refusal::too_deep:
            fail(name + " is nested deeper than " + std::to_string(kMaxDepth) + " levels");
        case Refusal::lone_surrogate:
            fail(name + " is not valid JSON: a string holds an unpaired UTF-16 surrogate" +
                 " at offset " + std::to_string(result.Offset()));
        case Refusal::number_too_big:
            fail(name + " is not valid JSON: " +
                 describe(rapidjson::kParseErrorNumberTooBig, result.Offset()));
        case Refusal::none:
            break;
    }
    if (result.IsError()) {
        fail(name + " is not valid JSON: " + describe(result.Code(), result.Offset()));
    }
    return doc;
}

template <typename Document>
std::optional<Document> try_parse_into(std::string_view text) {
    try {
        return parse_into<Document>(text, "response");
    } catch (const AdalError &) {
        return std::nullopt;
    }
}

template <typename Value>
const Value *find_member(const Value &object, std::string_view name) {
    if (!object.IsObject()) return nullptr;
    const Value *found = nullptr;
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        const std::string_view key(it->name.GetString(), it->name.GetStringLength());
        if (key == name) found = &it->value;
    }
    return found;
}

template <typename Value>
std::optional<std::string> string_member(const Value &object, const char *name) {
    const Value *v = find_member(object, name);
    if (v == nullptr || !v->IsString()) return std::nullopt;
    return std::string(v->GetString(), v->GetStringLength());
}

template <typename Value>
std::string serialize(const Value &value) {
    rapidjson::GenericStringBuffer<rapidjson::UTF8<>, util::WipingAllocator> buffer;
    rapidjson::Writer<decltype(buffer), rapidjson::UTF8<>, rapidjson::UTF8<>, util::WipingAllocator>
        writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

template <typename Value>
std::int64_t python_int(const Value &value) {
    if (value.IsInt64()) return value.GetInt64();
    if (value.IsUint64()) fail("integer " + std::to_string(value.GetUint64()) + " is out of range");
    if (value.IsDouble()) {
        const double d = std::trunc(value.GetDouble());
        // 2^63 is exactly representable; anything at or past it does not fit.
        if (!std::isfinite(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
            fail("integer " + serialize(value) + " is out of range");
        }
        return static_cast<std::int64_t>(d);
    }
    if (value.IsString()) {
        return parse_python_int(std::string_view(value.GetString(), value.GetStringLength()));
    }
    fail(std::string("int() argument must be a string, a bytes-like object or a real number, "
                     "not '") +
         python_type_name(value) + "'");
}

template <typename Value>
std::optional<std::int64_t> int_member(const Value &object, const char *name) {
    const Value *v = find_member(object, name);
    if (v == nullptr || v->IsNull()) return std::nullopt;
    return python_int(*v);
}

template <typename Value>
bool python_truth(const Value &value) noexcept {
    if (value.IsNull()) return false;
    if (value.IsBool()) return value.GetBool();
    if (value.IsString()) return value.GetStringLength() != 0;
    if (value.IsArray()) return !value.Empty();
    if (value.IsObject()) return value.MemberCount() != 0;
    if (value.IsInt64()) return value.GetInt64() != 0;
    if (value.IsUint64()) return value.GetUint64() != 0;
    return value.GetDouble() != 0.0;
}

}  // namespace

rapidjson::Document parse(std::string_view text, std::string_view what) {
    return parse_into<rapidjson::Document>(text, what);
}

SecretDocument parse_secret(std::string_view text, std::string_view what) {
    return parse_into<SecretDocument>(text, what);
}

std::optional<rapidjson::Document> try_parse(std::string_view text) {
    return try_parse_into<rapidjson::Document>(text);
}

std::optional<SecretDocument> try_parse_secret(std::string_view text) {
    return try_parse_into<SecretDocument>(text);
}

const rapidjson::Value *find(const rapidjson::Value &object, std::string_view name) {
    return find_member(object, name);
}

const SecretValue *find(const SecretValue &object, std::string_view name) {
    return find_member(object, name);
}

std::optional<std::string> get_string(const rapidjson::Value &object, const char *name) {
    return string_member(object, name);
}

std::optional<std::string> get_string(const SecretValue &object, const char *name) {
    return string_member(object, name);
}

std::int64_t to_int(const rapidjson::Value &value) {
    return python_int(value);
}

std::int64_t to_int(const SecretValue &value) {
    return python_int(value);
}

std::optional<std::int64_t> get_int(const rapidjson::Value &object, const char *name) {
    return int_member(object, name);
}

std::optional<std::int64_t> get_int(const SecretValue &object, const char *name) {
    return int_member(object, name);
}

bool truthy(const rapidjson::Value &value) noexcept {
    return python_truth(value);
}

bool truthy(const SecretValue &value) noexcept {
    return python_truth(value);
}

bool is_valid_utf8(std::string_view text) noexcept {
    char32_t cp = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t len = utf8_sequence(text, pos, cp);
        if (len == 0) return false;
        pos += len;
    }
    return true;
}

std::string to_string(const rapidjson::Value &value) {
    return serialize(value);
}

std::string to_string(const SecretValue &value) {
    return serialize(value);
}

void append_quoted(std::string &out, std::string_view text, bool ascii_only) {
    out += '"';
    char32_t cp = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t len = utf8_sequence(text, pos, cp);
        if (len == 0) {
            // Not UTF-8: write U+FFFD rather than emit a document nobody can read back.
            cp = 0xfffd;
            len = 1;
        }
        switch (cp) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (cp < 0x20 || (ascii_only && cp >= 0x7f)) {
                    if (cp >= 0x10000) {
                        // UTF-16 surrogate pair, as json.dumps(ensure_ascii=True) writes it.
                        const char32_t v = cp - 0x10000;
                        append_u_escape(out, 0xd800 + static_cast<unsigned>(v >> 10));
                        append_u_escape(out, 0xdc00 + static_cast<unsigned>(v & 0x3ff));
                    } else {
                        append_u_escape(out, static_cast<unsigned>(cp));
                    }
                } else if (cp == 0xfffd && len == 1) {
                    out += "\xef\xbf\xbd";
                } else {
                    out.append(text.substr(pos, len));
                }
        }
        pos += len;
    }
    out += '"';
}

}  // namespace aadcred::json
