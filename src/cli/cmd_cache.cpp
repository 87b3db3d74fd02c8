// aadcred cache export|import [FILE|-]: the whole store as ADAL's TokenCache JSON (SPEC
// §4), so caches move between aadcred and python3-adal (or Azure CLI's accessTokens.json).
// The JSON holds refresh tokens: files are written 0600 and atomically, and reading
// buffers are wiped.
#include <string>

#include "cache_files.hpp"
#include "commands.hpp"
#include "output.hpp"

namespace aadcred::cli {
namespace {

int cache_export(CredentialProvider &provider, const std::string &path) {
    const SecretString json = provider.export_json();
    write_private_output(path, json.c_str());
    return k_exit_ok;
}

int cache_import(CredentialProvider &provider, const std::string &path) {
    WipedString input;
    read_private_input(path, k_max_cache_bytes, input);
    const int stored = provider.import_json(input.text());
    const std::string_view store = provider.store_name();
    // A report for people, on stderr: stdout stays free for `export -` in a pipeline.
    print_error("imported " + std::to_string(stored) + (stored == 1 ? " entry" : " entries") +
                " into " + std::string(store.empty() ? "the store" : store));
    return k_exit_ok;
}

}  // namespace

int cmd_cache(const Invocation &inv) {
    const auto &operands = inv.command_line.operands;
    if (operands.empty()) throw UsageError("cache needs 'export' or 'import'", Command::cache);
    if (operands[0] != "export" && operands[0] != "import") {
        throw UsageError("unknown cache action '" + operands[0] + "' (export or import)",
                         Command::cache);
    }
    if (operands.size() > 2) {
        throw UsageError("unexpected argument '" + operands[2] + "'", Command::cache);
    }
    const std::string path = operands.size() == 2 ? operands[1] : "-";
    // No authority or client id needed, as for list: export and import cover every entry
    // of the store, each filed under its own _authority and _clientId.
    // Prompts allowed: a locked keyring may then be unlocked (SPEC §7); no sign-in starts.
    CredentialProvider provider = make_provider(inv.settings, true);
    return operands[0] == "export" ? cache_export(provider, path) : cache_import(provider, path);
}

}  // namespace aadcred::cli
