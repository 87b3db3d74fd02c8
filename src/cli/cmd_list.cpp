// aadcred list [--json]: the accounts in the store, never a secret. The library hands
// over only non-secret fields (aadcred_provider_list_json), so nothing here can leak one.
#include <rapidjson/document.h>

#include <cstdio>
#include <string>

#include "commands.hpp"
#include "display_text.hpp"
#include "output.hpp"

namespace aadcred::cli {
namespace {

std::string field(const rapidjson::Value &object, const char *name) {
    const auto it = object.FindMember(name);
    if (it == object.MemberEnd() || !it->value.IsString()) return "-";
    const std::string value(it->value.GetString(), it->value.GetStringLength());
    return value.empty() ? "-" : frontend::display_text(value, frontend::kUrlBytes);
}

bool has_refresh_token(const rapidjson::Value &object) {
    const auto it = object.FindMember("hasRefreshToken");
    return it != object.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

}  // namespace

int cmd_list(const Invocation &inv) {
    const CommandLine &cl = inv.command_line;
    // No authority or client id needed: every account of the store is listed (issue 11).
    // Prompts allowed: a locked keyring may then be unlocked (SPEC §7). No device code
    // flow can start, as neither list nor logout asks for a token.
    CredentialProvider provider = make_provider(inv.settings, true);

    const std::string json = provider.list_json();
    if (cl.json) return print_result(json) ? k_exit_ok : k_exit_failed;

    rapidjson::Document doc;
    doc.Parse(json.c_str());
    if (doc.HasParseError() || !doc.IsArray()) {
        print_error("the library's account list is not a JSON array");
        return k_exit_failed;
    }
    const std::string_view store = provider.store_name();
    if (doc.Empty()) {
        print_error("no accounts in the store (" + std::string(store.empty() ? "?" : store) + ")");
        return k_exit_ok;
    }
    // One line per account, fields separated by two spaces: userId resource authority
    // expiry — greppable, and `cut`-able on the double space.
    for (const auto &account : doc.GetArray()) {
        if (!account.IsObject()) continue;
        std::string line = field(account, "userId") + "  " + field(account, "resource") + "  " +
                           field(account, "authority") + "  expires " + field(account, "expiresOn");
        if (has_refresh_token(account)) line += "  (refreshable)";
        if (!print_result(line)) return k_exit_failed;
    }
    return k_exit_ok;
}

}  // namespace aadcred::cli
