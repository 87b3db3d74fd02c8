#pragma once
// The sign-in URL as a QR code drawn with Unicode half blocks, for --qr: a phone can open
// the page while the person types the code there.

#include <string>
#include <string_view>

namespace aadcred::cli {

/// The QR code of `text`, ready for a terminal; empty when libqrencode was not available
/// at build time or the text does not fit in a QR code.
std::string render_qr(std::string_view text);

}  // namespace aadcred::cli
