// pam_aadcred's module arguments (SPEC §6) as sshd's PAM stack passes them: the input
// is split on NUL bytes into argv (a PAM line cannot hold NUL, so it is the one byte
// that can separate arbitrary arguments).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "module_config.hpp"

namespace {

// PAM lines are short; the cap keeps argv allocation bounded on long inputs.
constexpr std::size_t kMaxArguments = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string input(reinterpret_cast<const char *>(data), size);
    std::vector<std::string> arguments;
    std::size_t start = 0;
    while (start <= input.size() && arguments.size() < kMaxArguments) {
        const std::size_t end = input.find('\0', start);
        arguments.push_back(input.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    std::vector<const char *> argv;
    for (const std::string &argument : arguments) argv.push_back(argument.c_str());
    const auto parsed = aadcred_pam::parse_arguments(static_cast<int>(argv.size()), argv.data());
    if (const auto *config = std::get_if<aadcred_pam::ModuleConfig>(&parsed)) {
        if (config->timeout <= 0 || config->timeout > aadcred_pam::kMaxTimeoutSeconds) {
            std::abort();
        }
        (void)aadcred_pam::check_for_authentication(*config);
    } else if (std::get<aadcred_pam::ConfigError>(parsed).message.empty()) {
        // syslog must say which argument was wrong.
        std::abort();
    }
    return 0;
}
