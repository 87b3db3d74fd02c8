// aadcred token with a secret: ADAL's client credentials, client certificate,
// authorization code and refresh token flows (SPEC §4). Secrets come from a file or "-"
// (stdin), never from argv, which other users can read in /proc. These flows run on an
// AuthenticationContext with its own in-memory cache: their tokens belong to an
// application or to a code redeemed elsewhere, not to the store's accounts.
#include <string>

#include "commands.hpp"
#include "input_file.hpp"
#include "output.hpp"

namespace aadcred::cli {
namespace {

// A secret or a code is far below 64 KiB; a key with its certificate chain below 256 KiB.
constexpr size_t k_max_secret = size_t{64} * 1024;
constexpr size_t k_max_pem = size_t{256} * 1024;

class FlowInputs {
  public:
    explicit FlowInputs(const CommandLine &cl) : cl_(cl) {}

    bool has(std::string_view name) const { return cl_.flow_options.contains(name); }
    std::string value(std::string_view name) const {
        const auto it = cl_.flow_options.find(name);
        return it == cl_.flow_options.end() ? std::string() : it->second;
    }

    /// Reads the file named by option `name` (or stdin for "-") into `out`. A secret
    /// loses its final line breaks: `echo s3cr3t > F` must not send "s3cr3t\n".
    void read(std::string_view name, WipedString &out, bool pem) const {
        read_secret(name, value(name), pem ? k_max_pem : k_max_secret, !pem, out);
    }

    /// Checked before anything is read: one stream cannot feed two secrets.
    void check_stdin() const {
        int readers = 0;
        for (const auto &[name, value] : cl_.flow_options)
            readers += int{value == "-" && name != "thumbprint" && name != "redirect-uri"};
        if (readers > 1) throw UsageError("only one option may read stdin ('-')", Command::token);
    }

  private:
    const CommandLine &cl_;
};

void needs(const FlowInputs &in, std::string_view option, std::string_view requires_option) {
    if (in.has(option) && !in.has(requires_option)) {
        throw UsageError("--" + std::string(option) + " needs --" + std::string(requires_option),
                         Command::token);
    }
}

// Which ADAL flow the options ask for; a usage error for combinations that mean nothing.
enum class Flow { client_secret, certificate, auth_code, refresh_token };

Flow pick_flow(const FlowInputs &in) {
    needs(in, "thumbprint", "certificate");
    needs(in, "certificate", "thumbprint");
    needs(in, "public-certificate", "certificate");
    needs(in, "redirect-uri", "auth-code-file");
    needs(in, "auth-code-file", "redirect-uri");
    needs(in, "code-verifier-file", "auth-code-file");
    const int picked = int{in.has("certificate")} + int{in.has("auth-code-file")} +
                       int{in.has("refresh-token-file")};
    if (picked > 1) {
        throw UsageError(
            "--certificate, --auth-code-file and --refresh-token-file exclude each other",
            Command::token);
    }
    if (in.has("certificate")) {
        if (in.has("client-secret-file"))
            throw UsageError("--certificate and --client-secret-file exclude each other",
                             Command::token);
        return Flow::certificate;
    }
    if (in.has("auth-code-file")) return Flow::auth_code;
    if (in.has("refresh-token-file")) return Flow::refresh_token;
    return Flow::client_secret;
}

int run_flow(Flow flow, FlowInputs &in, aadcred_context *ctx, const Settings &settings,
             TokenPtr &token) {
    const char *resource = target(settings).c_str();
    const char *client_id = settings.client_id.c_str();
    WipedString secret;
    if (in.has("client-secret-file")) in.read("client-secret-file", secret, false);
    const char *secret_or_null = secret.empty() ? nullptr : secret.c_str();
    switch (flow) {
        case Flow::client_secret:
            return aadcred_context_acquire_token_with_client_credentials(out(token), ctx, resource,
                                                                         client_id, secret.c_str());
        case Flow::certificate: {
            WipedString key;
            in.read("certificate", key, true);
            WipedString cert;
            if (in.has("public-certificate")) in.read("public-certificate", cert, true);
            const std::string thumbprint = in.value("thumbprint");
            return aadcred_context_acquire_token_with_client_certificate(
                out(token), ctx, resource, client_id, key.c_str(), thumbprint.c_str(),
                cert.empty() ? nullptr : cert.c_str());
        }
        case Flow::auth_code: {
            WipedString code;
            in.read("auth-code-file", code, false);
            WipedString verifier;
            if (in.has("code-verifier-file")) in.read("code-verifier-file", verifier, false);
            const std::string redirect_uri = in.value("redirect-uri");
            return aadcred_context_acquire_token_with_authorization_code(
                out(token), ctx, code.c_str(), redirect_uri.c_str(), resource, client_id,
                secret_or_null, verifier.empty() ? nullptr : verifier.c_str());
        }
        case Flow::refresh_token: {
            WipedString refresh;
            in.read("refresh-token-file", refresh, false);
            return aadcred_context_acquire_token_with_refresh_token(
                out(token), ctx, refresh.c_str(), client_id, resource, secret_or_null);
        }
    }
    return AADCRED_EINVALID;
}

}  // namespace

int cmd_token_flows(const Invocation &inv) {
    const CommandLine &cl = inv.command_line;
    FlowInputs inputs(cl);
    const Flow flow = pick_flow(inputs);
    inputs.check_stdin();
    require_account(inv.settings);

    ContextPtr context = make_context(inv.settings);
    if (!context) return report_library_error(AADCRED_EINVALID, cl.json);
    TokenPtr token;
    const int rc = run_flow(flow, inputs, context.get(), inv.settings, token);
    if (rc != AADCRED_OK) return report_library_error(rc, cl.json);
    return print_token(token.get(), cl.json);
}

}  // namespace aadcred::cli
