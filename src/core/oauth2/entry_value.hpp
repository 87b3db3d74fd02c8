#pragma once
// Between RapidJSON values and TokenEntry values, and json.dumps-style output of
// JSON values for the token cache's Python-compatible serialization.

#include <string>

#include <rapidjson/document.h>

#include "core/json/json.hpp"
#include "core/oauth2/token_entry.hpp"

namespace aadcred {

/// Strings become SecretStrings, int64 integers integers, null and booleans themselves;
/// anything else (arrays, objects, floats, integers past int64) is kept as RawJson.
EntryValue entry_value_from_json(const rapidjson::Value &value);
EntryValue entry_value_from_json(const json::SecretValue &value);

/// Appends `value` the way Python's json.dumps writes what json.loads made of it:
/// ", " and ": " separators, ASCII-only strings, float repr, later duplicate keys win.
void append_python_json(std::string &out, const rapidjson::Value &value);
void append_python_json(std::string &out, const json::SecretValue &value);

}  // namespace aadcred
