#include "core/oauth2/entry_value.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <system_error>
#include <unordered_map>

#include "core/json/json.hpp"

namespace aadcred {
namespace {

// Python's repr(float): the shortest digits that round-trip, written positionally when
// the decimal exponent is in [-4, 16) ("0.0001", "1000000000000000.0") and otherwise as
// d.ddde±XX ("1e-05", "1e+16"); integral values keep ".0".
void append_python_float(std::string &out, double d) {
    if (std::isnan(d)) {
        out += "NaN";
        return;
    }
    if (std::isinf(d)) {
        out += d < 0 ? "-Infinity" : "Infinity";
        return;
    }
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    if (res.ec != std::errc()) {
        out += "0.0";
        return;
    }
    const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
    const std::size_t e_pos = sci.find('e');
    std::string_view mantissa = sci.substr(0, e_pos);
    const int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
    if (!mantissa.empty() && mantissa.front() == '-') {
        out += '-';
        mantissa.remove_prefix(1);
    }
    std::string digits;
    for (char c : mantissa) {
        if (c != '.') digits += c;
    }
    if (exponent < -4 || exponent >= 16) {
        out += digits[0];
        if (digits.size() > 1) {
            out += '.';
            out.append(digits, 1);
        }
        out += exponent < 0 ? "e-" : "e+";
        const int magnitude = std::abs(exponent);
        if (magnitude < 10) out += '0';
        out += std::to_string(magnitude);
    } else if (exponent < 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-exponent - 1), '0');
        out += digits;
    } else {
        const auto int_len = static_cast<std::size_t>(exponent) + 1;
        if (digits.size() <= int_len) {
            out += digits;
            out.append(int_len - digits.size(), '0');
            out += ".0";
        } else {
            out.append(digits, 0, int_len);
            out += '.';
            out.append(digits, int_len);
        }
    }
}

template <typename Value>
EntryValue entry_value_of(const Value &value) {
    if (value.IsNull()) return nullptr;
    if (value.IsBool()) return value.GetBool();
    if (value.IsInt64()) return value.GetInt64();
    if (value.IsString()) {
        return SecretString(std::string_view(value.GetString(), value.GetStringLength()));
    }
    return RawJson{json::to_string(value)};
}

template <typename Value>
void append_python(std::string &out, const Value &value) {
    if (value.IsNull()) {
        out += "null";
    } else if (value.IsBool()) {
        out += value.GetBool() ? "true" : "false";
    } else if (value.IsInt64()) {
        out += std::to_string(value.GetInt64());
    } else if (value.IsUint64()) {
        out += std::to_string(value.GetUint64());
    } else if (value.IsNumber()) {
        append_python_float(out, value.GetDouble());
    } else if (value.IsString()) {
        json::append_quoted(out, std::string_view(value.GetString(), value.GetStringLength()),
                            true);
    } else if (value.IsArray()) {
        // Recursion is bounded: every value here came through json::parse's depth cap.
        out += '[';
        bool first = true;
        for (const auto &item : value.GetArray()) {
            if (!first) out += ", ";
            first = false;
            append_python(out, item);
        }
        out += ']';
    } else {
        // A Python dict keeps a repeated key at its first position with its last value.
        std::unordered_map<std::string_view, const Value *> last;
        for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
            last[std::string_view(it->name.GetString(), it->name.GetStringLength())] = &it->value;
        }
        out += '{';
        bool first = true;
        for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
            const std::string_view key(it->name.GetString(), it->name.GetStringLength());
            const auto found = last.find(key);
            if (found == last.end()) continue;  // already written
            if (!first) out += ", ";
            first = false;
            json::append_quoted(out, key, true);
            out += ": ";
            append_python(out, *found->second);
            last.erase(found);
        }
        out += '}';
    }
}

}  // namespace

EntryValue entry_value_from_json(const rapidjson::Value &value) {
    return entry_value_of(value);
}

EntryValue entry_value_from_json(const json::SecretValue &value) {
    return entry_value_of(value);
}

void append_python_json(std::string &out, const rapidjson::Value &value) {
    append_python(out, value);
}

void append_python_json(std::string &out, const json::SecretValue &value) {
    append_python(out, value);
}

}  // namespace aadcred
