#pragma once
// The verification URL as a QR code drawn with text (libqrencode), for people who sign
// in on their phone. Empty when libqrencode is missing or the URL does not fit.

#include <string>
#include <string_view>

namespace aadcred_pam {

/// Two module rows per line with Unicode half blocks; light modules are drawn, so the
/// code reads correctly on the usual dark terminal. Empty on any failure.
std::string qr_text(std::string_view url);

}  // namespace aadcred_pam
