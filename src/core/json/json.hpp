#pragma once
// JSON in through RapidJSON with hard caps: size and nesting depth are checked before a
// hostile reply can cost memory or stack. Helpers read typed fields leniently where
// Azure AD sends numbers as strings ("3599"). Documents that may hold a token
// (SecretDocument) live in memory that is wiped when it is freed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "util/wiping_allocator.hpp"

namespace aadcred::json {

inline constexpr std::size_t kMaxDocumentBytes = 1 << 20;
inline constexpr unsigned kMaxDepth = 32;

/// A document whose strings, parse stacks and pool chunks are wiped when freed: for
/// token replies, token entries, device codes and error bodies that may quote a token.
using SecretAllocator = rapidjson::MemoryPoolAllocator<util::WipingAllocator>;
using SecretValue = rapidjson::GenericValue<rapidjson::UTF8<>, SecretAllocator>;
using SecretDocument =
    rapidjson::GenericDocument<rapidjson::UTF8<>, SecretAllocator, util::WipingAllocator>;

/// Parses `text` as one JSON document. Throws AdalError(protocol) naming `what` on
/// invalid JSON, trailing garbage, more than kMaxDocumentBytes or kMaxDepth, and should
/// RapidJSON's own checks (RAPIDJSON_ASSERT, util/rapidjson_config.hpp) fail.
rapidjson::Document parse(std::string_view text, std::string_view what = "response");
/// parse() into wiped memory, for documents that may hold a token.
SecretDocument parse_secret(std::string_view text, std::string_view what = "response");

/// Like parse() but returns nullopt instead of throwing (for optional error bodies).
std::optional<rapidjson::Document> try_parse(std::string_view text);
std::optional<SecretDocument> try_parse_secret(std::string_view text);

/// A string member, or nullopt when absent, null or not a string.
std::optional<std::string> get_string(const rapidjson::Value &object, const char *name);
std::optional<std::string> get_string(const SecretValue &object, const char *name);
/// An integer member given as a JSON integer or a decimal string (Azure AD v1 sends
/// "3599"); nullopt when absent/null; throws AdalError(protocol) for anything else,
/// with ADAL's style "invalid literal for int() with base 10: 'foo'".
std::optional<std::int64_t> get_int(const rapidjson::Value &object, const char *name);
std::optional<std::int64_t> get_int(const SecretValue &object, const char *name);

/// The member called `name` of an object, or nullptr when absent or `object` is not an
/// object. With duplicate names the last one wins, as in Python's json.loads.
const rapidjson::Value *find(const rapidjson::Value &object, std::string_view name);
const SecretValue *find(const SecretValue &object, std::string_view name);
/// Python's int() of a JSON value: integers, finite floats (truncated) and decimal strings
/// ("3599", " -7 ", "1_000"). Throws AdalError(protocol) with Python's wording for
/// anything else or a value outside int64.
std::int64_t to_int(const rapidjson::Value &value);
std::int64_t to_int(const SecretValue &value);
/// Python truthiness: false for null, false, 0, 0.0, "", [] and {}.
bool truthy(const rapidjson::Value &value) noexcept;
bool truthy(const SecretValue &value) noexcept;
/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values > U+10FFFF),
/// what Python's bytes.decode('utf-8') accepts.
bool is_valid_utf8(std::string_view text) noexcept;

/// Serializes a value compactly.
std::string to_string(const rapidjson::Value &value);
std::string to_string(const SecretValue &value);
/// Appends `text` to `out` as a JSON string literal (quotes included). With
/// `ascii_only`, non-ASCII is written as \uXXXX escapes like Python's json.dumps.
void append_quoted(std::string &out, std::string_view text, bool ascii_only = false);

}  // namespace aadcred::json
