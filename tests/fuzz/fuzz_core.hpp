#pragma once
// What the engine's fuzz targets share: every log line at every level is formatted (so
// the log paths see hostile text too) and dropped, so a run does not flood stderr.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "core/http/http_transport.hpp"
#include "util/log.hpp"

namespace aadcred::fuzz {

inline void quiet_verbose_logs() {
    static const bool done = [] {
        LogOptions options;
        options.level = LogLevel::verbose;
        options.enable_pii = true;
        options.sink = [](LogLevel, const std::string &) {};
        set_log_options(options);
        return true;
    }();
    (void)done;
}

/// Why an input was refused, printed when AADCRED_FUZZ_VERBOSE is set: to check by hand
/// that a seed reaches the code it was written for (`fuzz_x_replay corpus/x/file`).
inline void note_refusal(const std::exception &error) {
    static const bool verbose = std::getenv("AADCRED_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "refused: %s\n", error.what());
}

inline std::string_view as_text(const std::uint8_t *data, std::size_t size) {
    return {reinterpret_cast<const char *>(data), size};
}

/// Answers every request with one status and the fuzzer's bytes as the body, so the
/// engine's reply handling runs exactly as behind curl.
class CannedTransport : public HttpTransport {
  public:
    CannedTransport(long status, std::string_view body) : status_(status), body_(body) {}
    HttpResponse send(const HttpRequest &) override {
        HttpResponse response;
        response.status = status_;
        response.headers.emplace_back("content-type", "application/json; charset=utf-8");
        response.headers.emplace_back("client-request-id", "fuzz-correlation");
        response.body = SecretString(body_);
        return response;
    }

  private:
    long status_;
    std::string_view body_;
};

/// A status for a mode byte: mostly 200, sometimes an error the engine must report.
inline long status_for(std::uint8_t mode) {
    static constexpr long kStatuses[] = {200, 200, 200, 400, 401, 404, 429, 500};
    return kStatuses[mode % 8];
}

}  // namespace aadcred::fuzz
