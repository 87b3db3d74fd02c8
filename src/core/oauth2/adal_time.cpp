// ADAL's expiresOn text: Python's str(datetime) of a naive local time,
// "YYYY-MM-DD HH:MM:SS.ffffff" with the fraction left out when it is zero.

#include <cstdio>
#include <ctime>

#include "core/adal_error.hpp"
#include "core/oauth2/token_response.hpp"

namespace aadcred {
namespace {

using std::chrono::microseconds;
using std::chrono::system_clock;

bool is_leap(int year) noexcept {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) noexcept {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Reads exactly `count` digits at text[pos] into `out`.
bool digits(std::string_view text, std::size_t &pos, std::size_t count, int &out) noexcept {
    if (text.size() - pos < count) return false;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    pos += count;
    out = value;
    return true;
}

bool expect(std::string_view text, std::size_t &pos, char c) noexcept {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

std::string format_adal_time(system_clock::time_point when) {
    const auto us = std::chrono::floor<microseconds>(when.time_since_epoch()).count();
    // Floor division so that times before the epoch keep a positive fraction.
    std::int64_t seconds = us / 1000000;
    std::int64_t fraction = us % 1000000;
    if (fraction < 0) {
        fraction += 1000000;
        --seconds;
    }
    const auto t = static_cast<std::time_t>(seconds);
    std::tm local{};
    if (localtime_r(&t, &local) == nullptr || local.tm_year + 1900 < 1 ||
        local.tm_year + 1900 > 9999) {
        // Python's datetime stops at year 9999 too (OverflowError).
        throw AdalError(ErrorClass::protocol, "date value out of range");
    }
    char buf[40];
    int n =
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", local.tm_year + 1900,
                      local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec);
    if (fraction != 0) {
        n += std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ".%06lld",
                           static_cast<long long>(fraction));
    }
    return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<system_clock::time_point> parse_adal_time(std::string_view text) {
    // What ADAL writes plus what dateutil (ADAL's reader) is commonly handed: a 'T'
    // separator, 1-9 fraction digits, and a "Z" or "+HH:MM" suffix for UTC offsets.
    std::size_t pos = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(text, pos, 4, year) || !expect(text, pos, '-') || !digits(text, pos, 2, month) ||
        !expect(text, pos, '-') || !digits(text, pos, 2, day)) {
        return std::nullopt;
    }
    if (pos >= text.size() || (text[pos] != ' ' && text[pos] != 'T')) return std::nullopt;
    ++pos;
    if (!digits(text, pos, 2, hour) || !expect(text, pos, ':') || !digits(text, pos, 2, minute) ||
        !expect(text, pos, ':') || !digits(text, pos, 2, second)) {
        return std::nullopt;
    }
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) ||
        hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    std::int64_t micros = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        std::size_t count = 0;
        std::int64_t scale = 100000;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && count < 9) {
            micros += (text[pos] - '0') * scale;  // digits past the sixth add nothing
            scale /= 10;
            ++pos;
            ++count;
        }
        if (count == 0) return std::nullopt;
    }
    bool has_offset = false;
    int offset_seconds = 0;
    if (pos < text.size() && text[pos] == 'Z') {
        has_offset = true;
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        int oh = 0, om = 0;
        if (!digits(text, pos, 2, oh)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (!digits(text, pos, 2, om) || oh > 23 || om > 59) return std::nullopt;
        has_offset = true;
        offset_seconds = sign * (oh * 3600 + om * 60);
    }
    if (pos != text.size()) return std::nullopt;

    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    std::time_t t = 0;
    if (has_offset) {
        t = timegm(&tm) - offset_seconds;
    } else {
        tm.tm_isdst = -1;  // let the zone rules decide, as a naive local time
        t = std::mktime(&tm);
        if (t == static_cast<std::time_t>(-1) && !(year == 1969 || year == 1970)) {
            return std::nullopt;
        }
    }
    // system_clock counts nanoseconds in libstdc++: past 2262 the conversion overflows
    // (UB; found by tests/fuzz). Such a date is as unreadable as a malformed one.
    constexpr std::int64_t kLimit =
        std::chrono::duration_cast<std::chrono::seconds>(system_clock::duration::max()).count() - 1;
    if (t > kLimit || t < -kLimit) return std::nullopt;
    return system_clock::time_point(std::chrono::seconds(t)) + microseconds(micros);
}

}  // namespace aadcred
