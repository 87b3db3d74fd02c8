// aadcred cache export|import [FILE|-]: the whole store as ADAL's TokenCache JSON (SPEC
// §4), so caches move between aadcred and python3-adal (or Azure CLI's accessTokens.json).
// The JSON holds refresh tokens: files are written 0600 and atomically, and reading
// buffers are wiped.
#include <string>

#include "cache_files.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "prompter.hpp"

namespace aadcred::cli {
namespace {

int cache_export(const Invocation &inv, aadcred_provider *provider, const std::string &path) {
    LibString json;
    const int rc = aadcred_provider_export_json(out(json), provider);
    if (rc != AADCRED_OK) return report_library_error(rc, inv.command_line.json);
    write_private_output(path, json.get());
    return k_exit_ok;
}

int cache_import(const Invocation &inv, aadcred_provider *provider, const std::string &path) {
    WipedString input;
    read_private_input(path, k_max_cache_bytes, input);
    const int stored = aadcred_provider_import_json(provider, input.text().c_str());
    if (stored < 0) return report_library_error(stored, inv.command_line.json);
    const char *store = aadcred_provider_store_name(provider);
    // A report for people, on stderr: stdout stays free for `export -` in a pipeline.
    print_error("imported " + std::to_string(stored) + (stored == 1 ? " entry" : " entries") +
                " into " + (store ? store : "the store"));
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
    // The provider needs an authority and client id to exist, though export and import
    // cover every entry of the store whatever their authority.
    require_store_access(inv.settings);
    // Prompts allowed: a locked keyring may then be unlocked (SPEC §7); no sign-in starts.
    Prompter prompter(false);
    ProviderPtr provider = make_provider(inv.settings, true, &Prompter::callback, &prompter);
    if (!provider) return report_library_error(AADCRED_EINVALID, inv.command_line.json);
    return operands[0] == "export" ? cache_export(inv, provider.get(), path)
                                   : cache_import(inv, provider.get(), path);
}

}  // namespace aadcred::cli
