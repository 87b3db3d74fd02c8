#pragma once
// Text that came from a server (messages, error descriptions, URLs) is shown to a person
// only after this: a hostile or broken authority must not be able to move the cursor,
// rewrite earlier lines or change the terminal's title with escape sequences.

#include <string>
#include <string_view>

namespace aadcred::cli {

/// Drops C0 and C1 control characters (ESC, CR, BEL, CSI...) and DEL; keeps valid UTF-8,
/// turns bytes that are not valid UTF-8 into '?'. Tabs and newlines become spaces unless
/// `keep_newlines`.
std::string sanitize(std::string_view text, bool keep_newlines = false);

}  // namespace aadcred::cli
