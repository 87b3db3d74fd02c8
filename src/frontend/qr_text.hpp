#pragma once
// A short text (the sign-in URL) as a QR code drawn with Unicode half blocks, two module
// rows per line, so a phone can open the page while the person types the code there.
// The CLI and PAM draw it; libqrencode is behind qr_text.cpp alone (tests/tools/check-layers).

#include <cstddef>
#include <string>
#include <string_view>

namespace aadcred::frontend {

/// Longest text drawn: a verification URL is short, and anything longer than the URL cap
/// the front ends show (kUrlBytes) is not worth a screen-filling code.
inline constexpr std::size_t kQrMaxBytes = 512;

/// How the code's light and dark modules reach the screen.
enum class QrStyle {
    /// Light modules drawn as glyphs, dark ones left blank: plain text for a PAM
    /// conversation or a file, which carries no colours. Dark-on-light only where the
    /// foreground is light (the usual dark terminal); inverted elsewhere.
    plain,
    /// The same glyphs in white on black (ECMA-48 SGR 37;40, reset at the end of every
    /// line): dark-on-light whatever the terminal's own colours.
    terminal,
};

/// The style for output to `fd`: `terminal` when it is a terminal that takes colours
/// (TERM set and not "dumb", NO_COLOR unset or empty), else `plain`.
/// @param fd where the code will be written (STDERR_FILENO for the CLI)
/// @return the style to pass to qr_text()
QrStyle qr_style_for(int fd);

/// The QR code (error correction level L, 8-bit mode) of `text` with a quiet zone of two
/// modules on every side; the half row the two-rows-per-line drawing leaves over at the
/// bottom is quiet zone too. Lines are separated by '\n', with none after the last.
/// @param text what the code encodes, 1 to kQrMaxBytes bytes
/// @param style plain text or terminal colours
/// @return the drawing; empty when the text is empty or too long, or when the build has
///         no libqrencode
std::string qr_text(std::string_view text, QrStyle style);

}  // namespace aadcred::frontend
