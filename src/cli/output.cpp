#include "output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "display_text.hpp"

namespace aadcred::cli {

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

int exit_code_for(int code) {
    switch (code) {
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

std::string_view setting_hint(std::string_view error) {
    // The library names the cause (issue 11); which setting cures it is ours to say.
    if (error == AADCRED_ERROR_TLS_UNTRUSTED_CA) {
        return "the authority's certificate is signed by a CA that is not trusted here: for a "
               "private CA, pass its PEM file with --ca-file (or AADCRED_CA_FILE, or ca-file "
               "in the config file)";
    }
    if (error == AADCRED_ERROR_INVALID_INSTANCE) {
        return "instance discovery does not know the authority's host: if you trust that "
               "host, pass --no-validate-authority (or AADCRED_VALIDATE_AUTHORITY=false, or "
               "validate-authority = false in the config file)";
    }
    return {};
}

std::vector<std::string> error_lines(int code, std::string_view message, std::string_view error,
                                     std::string_view description) {
    if (code == AADCRED_ECANCELLED) return {"cancelled"};
    if (code == AADCRED_EINTERACTION_REQUIRED) {
        return {
            "a sign-in is needed but --no-prompt forbids it; run 'aadcred token' "
            "without --no-prompt to sign in"};
    }
    if (message.empty()) return {"failed (library error " + std::to_string(code) + ")"};
    std::vector<std::string> lines{std::string(message)};
    // ADAL's message ("Unexpected polling state authorization_declined") does not always
    // carry the OAuth error code people search for, nor the server's reason; AAD's
    // description continues with trace lines after its first, which only --json shows.
    const std::string_view hint = setting_hint(error);
    std::string detail;
    // A code of the library's own (a hint follows) means nothing to people by itself.
    if (!error.empty() && hint.empty() && message.find(error) == std::string_view::npos) {
        detail = error;
    }
    const std::string_view first = description.substr(0, description.find_first_of("\r\n"));
    if (!first.empty() && message.find(first) == std::string_view::npos) {
        detail += (detail.empty() ? "" : ": ") + std::string(first);
    }
    if (!detail.empty()) lines.push_back(std::move(detail));
    if (!hint.empty()) lines.emplace_back(hint);
    return lines;
}

int report_error(const AdalError &error, bool json, int code) {
    for (const std::string &line :
         error_lines(code, error.message(), error.error(), error.error_description())) {
        print_error(line);
    }
    if (json) {
        try {
            print_result(error.to_json());
        } catch (const AdalError &) {
            // Without the JSON object the message on stderr and the exit code still tell.
        }
    }
    return exit_code_for(code);
}

int report_error(const AdalError &error, bool json) {
    return report_error(error, json, error.code());
}

int run_reporting_errors(bool json, const std::function<int()> &command) {
    try {
        return command();
    } catch (const SettingsRefused &e) {
        return report_error(e, json, AADCRED_EINVALID);
    } catch (const AdalError &e) {
        return report_error(e, json);
    }
}

}  // namespace aadcred::cli
