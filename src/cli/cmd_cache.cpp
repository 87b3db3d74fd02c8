// aadcred cache export|import [FILE|-]: ADAL TokenCache JSON in and out of the store.
// Issue #3: the provider API cannot read or write a whole store yet, so both are refused
// as "not supported yet" after the arguments were checked.
#include "commands.hpp"

namespace aadcred::cli {

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
    throw UsageError("cache " + operands[0] + " is not supported yet", Command::cache);
}

}  // namespace aadcred::cli
