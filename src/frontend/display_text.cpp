#include "display_text.hpp"

#include "utf8.hpp"

namespace aadcred::frontend {
namespace {

bool in(char32_t cp, char32_t first, char32_t last) {
    return cp >= first && cp <= last;
}

// White_Space (PropList.txt) plus the C1 line break NEL: shown as one plain space, so a
// message still reads as words but cannot start new lines or align fake text.
bool is_space(char32_t cp) {
    return in(cp, 0x09, 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           in(cp, 0x2000, 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000;
}

// Controls: ESC and CSI (0x9B) start terminal escape sequences, CR and BS overwrite
// what is on the line, BEL rings.
bool is_control(char32_t cp) {
    return cp < 0x20 || in(cp, 0x7F, 0x9F);
}

// Characters a terminal draws as nothing or that change how other characters are drawn:
// the bidi controls first, then Default_Ignorable_Code_Point (DerivedCoreProperties.txt),
// the remaining format characters (Cf) and the noncharacters.
bool is_hidden(char32_t cp) {
    if (in(cp, 0x202A, 0x202E) || in(cp, 0x2066, 0x2069) || cp == 0x200E || cp == 0x200F ||
        cp == 0x061C) {
        return true;
    }
    if (cp == 0x00AD || cp == 0x034F || in(cp, 0x115F, 0x1160) || in(cp, 0x17B4, 0x17B5) ||
        in(cp, 0x180B, 0x180F) || in(cp, 0x200B, 0x200F) || in(cp, 0x2060, 0x206F) ||
        cp == 0x3164 || in(cp, 0xFE00, 0xFE0F) || cp == 0xFEFF || cp == 0xFFA0 ||
        in(cp, 0xFFF0, 0xFFF8) || in(cp, 0x1BCA0, 0x1BCA3) || in(cp, 0x1D173, 0x1D17A) ||
        in(cp, 0xE0000, 0xE0FFF)) {
        return true;
    }
    if (in(cp, 0x0600, 0x0605) || cp == 0x06DD || cp == 0x070F || in(cp, 0x0890, 0x0891) ||
        cp == 0x08E2 || cp == 0x110BD || cp == 0x110CD || in(cp, 0x13430, 0x1343F) ||
        in(cp, 0xFFF9, 0xFFFB)) {
        return true;
    }
    return in(cp, 0xFDD0, 0xFDEF) || (cp & 0xFFFEu) == 0xFFFEu;
}

// Appends whole characters until one would not fit; then ends the text with the
// ellipsis inside the cap and refuses everything after.
class CappedText {
  public:
    CappedText(std::size_t max_bytes, std::string_view ellipsis)
        : max_(max_bytes), ellipsis_(ellipsis.size() <= max_bytes ? ellipsis : "") {}

    bool full() const { return full_; }
    bool empty() const { return out_.empty(); }

    void append(std::string_view character) {
        if (full_) return;
        if (out_.size() + character.size() > max_) {
            // Back to the last point where the ellipsis still fits, never inside a
            // character, and without a space hanging before the ellipsis.
            out_.resize(fit_);
            while (!out_.empty() && out_.back() == ' ') out_.pop_back();
            out_.append(ellipsis_);
            full_ = true;
            return;
        }
        out_.append(character);
        if (out_.size() + ellipsis_.size() <= max_) fit_ = out_.size();
    }

    std::string take() { return std::move(out_); }

  private:
    std::size_t max_;
    std::string_view ellipsis_;
    std::string out_;
    std::size_t fit_ = 0;
    bool full_ = false;
};

}  // namespace

std::string display_text(std::string_view text, std::size_t max_bytes, Charset charset) {
    const bool ascii = charset == Charset::ascii;
    CappedText out(max_bytes, ascii ? "..." : "\u2026");
    const std::string_view replacement = ascii ? "?" : "\uFFFD";
    bool pending_space = false;
    for (std::size_t pos = 0; pos < text.size() && !out.full();) {
        const Utf8Step step = decode_utf8(text, pos);
        const std::string_view bytes = text.substr(pos, step.length);
        pos += step.length;
        if (step.valid && is_space(step.code_point)) {
            pending_space = true;
            continue;
        }
        if (step.valid && (is_control(step.code_point) || is_hidden(step.code_point))) {
            continue;
        }
        std::string_view character = bytes;
        if (!step.valid) {
            character = replacement;
        } else if (ascii && step.code_point >= 0x80) {
            character = "?";
        }
        if (pending_space && !out.empty()) out.append(" ");
        pending_space = false;
        out.append(character);
    }
    return out.take();
}

}  // namespace aadcred::frontend
