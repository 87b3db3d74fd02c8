#include "output.hpp"

#include <aadcred/aadcred.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "display_text.hpp"
#include "handles.hpp"

namespace aadcred::cli {
namespace {

// aadcred_error_last() is valid only until the next aadcred call, and printing the
// error as JSON is one: take a copy first.
struct ErrorCopy {
    aadcred_error_class klass = AADCRED_ERROR_CLASS_NONE;
    std::optional<std::string> message, error, description, correlation_id, response;

    static std::optional<std::string> copy(const char *s) {
        return s != nullptr ? std::optional<std::string>(s) : std::nullopt;
    }
    static const char *raw(const std::optional<std::string> &s) { return s ? s->c_str() : nullptr; }

    explicit ErrorCopy(const aadcred_error *e) {
        if (e == nullptr) return;
        klass = e->klass;
        message = copy(e->message);
        error = copy(e->error);
        description = copy(e->error_description);
        correlation_id = copy(e->correlation_id);
        response = copy(e->error_response);
    }

    aadcred_error view() const {
        return aadcred_error{
            klass, raw(message), raw(error), raw(description), raw(correlation_id), raw(response)};
    }
};

int exit_code_for(int rc) {
    switch (rc) {
        case AADCRED_OK:
            return k_exit_ok;
        case AADCRED_EINVALID:
            return k_exit_usage;
        case AADCRED_EINTERACTION_REQUIRED:
            return k_exit_interaction;
        default:
            return k_exit_failed;
    }
}

void print_json_error(const ErrorCopy &copy) {
    const aadcred_error view = copy.view();
    LibString json;
    // Two statements: out() hands the pointer over only when its full expression ends.
    const int rc = aadcred_error_to_json(out(json), &view);
    if (rc == AADCRED_OK && json) print_result(json.get());
}

}  // namespace

bool print_result(std::string_view text) {
    const bool ok = std::fwrite(text.data(), 1, text.size(), stdout) == text.size() &&
                    std::fputc('\n', stdout) != EOF && std::fflush(stdout) == 0;
    if (!ok) print_error(std::string("cannot write to stdout: ") + std::strerror(errno));
    return ok;
}

bool finish_stdout() {
    return std::fflush(stdout) == 0 && std::ferror(stdout) == 0;
}

void print_error(std::string_view message) {
    std::fprintf(stderr, "aadcred: %s\n",
                 frontend::display_text(message, frontend::kErrorBytes).c_str());
}

int report_library_error(int rc, bool json) {
    const ErrorCopy copy(aadcred_error_last());
    if (rc == AADCRED_ECANCELLED) {
        print_error("cancelled");
    } else if (rc == AADCRED_EINTERACTION_REQUIRED) {
        print_error(
            "a sign-in is needed but --no-prompt forbids it; run 'aadcred token' "
            "without --no-prompt to sign in");
    } else if (copy.message) {
        print_error(*copy.message);
        // ADAL's message ("Unexpected polling state authorization_declined") does not
        // always carry the OAuth error code people search for, nor the server's reason;
        // AAD's description continues with trace lines after its first, which only
        // --json shows.
        std::string detail;
        if (copy.error && copy.message->find(*copy.error) == std::string::npos) {
            detail = *copy.error;
        }
        if (copy.description) {
            const std::string first =
                copy.description->substr(0, copy.description->find_first_of("\r\n"));
            if (!first.empty() && copy.message->find(first) == std::string::npos) {
                detail += (detail.empty() ? "" : ": ") + first;
            }
        }
        if (!detail.empty()) print_error(detail);
    } else {
        print_error("failed (library error " + std::to_string(rc) + ")");
    }
    if (json) print_json_error(copy);
    return exit_code_for(rc);
}

}  // namespace aadcred::cli
