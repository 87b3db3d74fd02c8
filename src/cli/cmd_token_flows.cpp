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

Token run_flow(Flow flow, FlowInputs &in, AuthenticationContext &context,
               const Settings &settings) {
    const std::string &resource = target(settings);
    const std::string &client_id = settings.client_id;
    // Optional inputs left empty (secret, certificate, verifier) reach the library as
    // "not given".
    WipedString secret;
    if (in.has("client-secret-file")) in.read("client-secret-file", secret, false);
    switch (flow) {
        case Flow::client_secret:
            return context.acquire_token_with_client_credentials(resource, client_id,
                                                                 secret.text());
        case Flow::certificate: {
            WipedString key;
            in.read("certificate", key, true);
            WipedString cert;
            if (in.has("public-certificate")) in.read("public-certificate", cert, true);
            return context.acquire_token_with_client_certificate(
                resource, client_id, key.text(), in.value("thumbprint"), cert.text());
        }
        case Flow::auth_code: {
            WipedString code;
            in.read("auth-code-file", code, false);
            WipedString verifier;
            if (in.has("code-verifier-file")) in.read("code-verifier-file", verifier, false);
            return context.acquire_token_with_authorization_code(
                code.text(), in.value("redirect-uri"), resource, client_id, secret.text(),
                verifier.text());
        }
        case Flow::refresh_token: {
            WipedString refresh;
            in.read("refresh-token-file", refresh, false);
            return context.acquire_token_with_refresh_token(refresh.text(), client_id, resource,
                                                            secret.text());
        }
    }
    throw AdalError(AADCRED_EINVALID, AADCRED_ERROR_CLASS_INVALID, "unknown flow");
}

}  // namespace

int cmd_token_flows(const Invocation &inv) {
    const CommandLine &cl = inv.command_line;
    FlowInputs inputs(cl);
    const Flow flow = pick_flow(inputs);
    inputs.check_stdin();
    require_account(inv.settings);

    AuthenticationContext context = make_context(inv.settings);
    const Token token = run_flow(flow, inputs, context, inv.settings);
    return print_token(token, cl.json);
}

}  // namespace aadcred::cli
