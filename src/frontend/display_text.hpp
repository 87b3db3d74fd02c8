#pragma once
// Text from a server (messages, URLs, codes, error descriptions) or from another user
// (host names, account names) is shown to a person only through display_text(). Every
// front end uses this one function, so git, the CLI and PAM agree on what a hostile or
// broken authority can put on someone's screen: no terminal escapes, no bidi reordering
// (the "Trojan Source" trick: U+202E makes "exe.txt" read "txt.exe"), no invisible
// characters, no screen-filling walls of text.

#include <cstddef>
#include <string>
#include <string_view>

namespace aadcred::frontend {

/// Caps in bytes, ellipsis included. Azure AD's user codes are 9 characters, its URLs
/// under 60 and its device code message under 300 in every language it speaks; the caps
/// leave room for other authorities and stop a server from filling the screen.
inline constexpr std::size_t kCodeBytes = 64;
inline constexpr std::size_t kUrlBytes = 512;
inline constexpr std::size_t kMessageBytes = 1024;
/// An error line: our words around a server's error description.
inline constexpr std::size_t kErrorBytes = 2048;

/// What the result may contain besides printable ASCII.
enum class Charset {
    utf8,   ///< any visible character; U+FFFD for invalid input, "…" when cut
    ascii,  ///< printable ASCII only: '?' for anything else, "..." when cut
};

/// `text` made fit to show a person, on one line, in at most `max_bytes` bytes:
/// - decoded strictly as UTF-8; each ill-formed subsequence becomes one replacement;
/// - C0 controls, DEL and C1 controls removed (ESC, CSI, BEL, BS...: escape sequences
///   lose their introducer and show as harmless text);
/// - bidi controls (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C) and other
///   invisible characters (default-ignorable code points, format characters,
///   noncharacters) removed;
/// - runs of whitespace (tab, CR, LF, Unicode spaces and line separators) become one
///   space; none at either end;
/// - when longer than `max_bytes`, cut at a character boundary and ended with an
///   ellipsis, the whole still within `max_bytes`.
std::string display_text(std::string_view text, std::size_t max_bytes,
                         Charset charset = Charset::utf8);

}  // namespace aadcred::frontend
