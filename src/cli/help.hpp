#pragma once
// --help texts: the overview and one page per command.

#include <string_view>

#include "options.hpp"

namespace aadcred::cli {

/// The help page of `command` (Command::none: the overview).
std::string_view help_text(Command command);

/// The profile options, environment and config file: printed after every page.
std::string_view profile_help();

}  // namespace aadcred::cli
