#include "help.hpp"

namespace aadcred::cli {
namespace {

constexpr std::string_view k_profile_options = R"(
Profile options (before or after the command):
  --authority URL          https://login.microsoftonline.com/TENANT, an ADFS or OIDC issuer
  --client-id ID           public client (application) id
  --resource URI           v1 resource
  --scope S                v2/oidc scope; repeat for several
  --api v1|v2|oidc         protocol (default v1)
  --ca-file PEM            CA bundle to verify the authority with
  --no-validate-authority  skip instance discovery (TLS is always verified)
  --timeout SEC            per-request timeout (default 30)
  --store STORE            auto|secret-service|keyring|memory|file:PATH (default auto)
  --user UPN               the account; needed when several are cached
  --qr                     also show the sign-in URL as a QR code
  --flow auto|device|browser
                           how a sign-in happens: browser (auth code + PKCE), device code,
                           or auto: the browser at a desktop, else the device code (default)
  --log-level LEVEL        error|warning|info|verbose (log lines go to stderr)
  --log-pii                let log lines carry personal data (never tokens)
  --profile NAME           use [profile NAME] of the config file over [default]

Settings come from these options, then AADCRED_* environment variables (AADCRED_AUTHORITY,
AADCRED_CLIENT_ID, AADCRED_RESOURCE, AADCRED_SCOPE, AADCRED_API, AADCRED_FLOW, AADCRED_CA_FILE,
AADCRED_STORE, AADCRED_USER, AADCRED_TIMEOUT, AADCRED_LOG_LEVEL, AADCRED_PROFILE,
AADCRED_VALIDATE_AUTHORITY), then $XDG_CONFIG_HOME/aadcred/config (~/.config/aadcred/config):
  [default]
  authority = https://login.microsoftonline.com/contoso.onmicrosoft.com
  client-id = 04b07795-8ddb-461a-bbee-02f9e1bf7b46
  [profile graph]
  resource = https://graph.microsoft.com/
Keys are the long option names; '#' or ';' starts a comment line.

Exit status: 0 success, 1 authentication failed, 2 usage or configuration error,
3 sign-in needed but --no-prompt given.
)";

constexpr std::string_view k_overview = R"(Usage: aadcred [PROFILE OPTIONS] COMMAND [ARGS]

Azure AD (Microsoft Entra ID) tokens for scripts, by the device code flow.

Commands:
  token          print an access token: cached, else refreshed, else device code sign-in
  user-code      start a device code sign-in; print the user code info as JSON
  device-token   finish a sign-in started by user-code; print the token
  list           the accounts in the token store (never secrets)
  logout         remove tokens from the store
  cache          export or import the store as ADAL's token cache JSON
  help COMMAND   help on a command

  --help, --version
)";

constexpr std::string_view k_token =
    R"(Usage: aadcred [PROFILE OPTIONS] token [--json] [--no-prompt]

Prints an access token and a newline on stdout. Uses the cached token when it is valid for
5 more minutes, else refreshes it silently, else runs a device code sign-in: the URL and
the code go to stderr, never stdout. Ctrl-C cancels. Tokens are kept in the store.

  --json       print ADAL's token object instead (it holds the refresh token too)
  --no-prompt  never start a sign-in; exit 3 when one would be needed
  --username UPN --password-file FILE|-
               ADAL's username/password sign-in (managed, federated through WS-Trust,
               or ADFS); the password is read from FILE or stdin, never from argv
  --client-secret-file FILE|-
               client credentials: a token for the application itself
  --certificate KEY.pem --thumbprint HEX [--public-certificate CERT.pem]
               client credentials with an RS256 assertion signed by the certificate's key
  --auth-code-file FILE|- --redirect-uri URI [--code-verifier-file FILE|-]
               redeem an authorization code (PKCE verifier optional; add
               --client-secret-file for a confidential client)
  --refresh-token-file FILE|- [--client-secret-file FILE|-]
               redeem a refresh token
  These read secrets from FILE or stdin ('-', one option at most), never from argv; their
  tokens are printed, not stored.
)";

constexpr std::string_view k_user_code =
    R"(Usage: aadcred [PROFILE OPTIONS] user-code [--language LANG]

Starts a device code sign-in (ADAL's acquire_user_code) and prints the user code info as
JSON: userCode, deviceCode, verificationUrl, expiresIn, interval, message, correlationId.
The output holds the device code: keep it private. Finish with 'aadcred device-token'.

  --language LANG  language of the message (sent as mkt)
)";

constexpr std::string_view k_device_token =
    R"(Usage: aadcred [PROFILE OPTIONS] device-token --user-code-info FILE|- [--json] [--no-store]

Polls for the token of a sign-in started by 'aadcred user-code' (ADAL's
acquire_token_with_device_code) and prints the access token, or with --json the token
object. Reads the user code info JSON (camelCase or ADAL's snake_case keys) from FILE or
stdin. The sign-in instructions are shown again on stderr while it waits. The token is
saved in the store, as 'aadcred token' would; if that fails it is still printed, with a
message on stderr and exit status 1.

  --no-store  print the token only; do not save it in the store
)";

constexpr std::string_view k_list = R"(Usage: aadcred [PROFILE OPTIONS] list [--json]

Lists the accounts in the token store, one per line: user, resource, authority, expiry.
Never prints a token. --json prints the library's JSON array instead.
Needs no --authority or --client-id: every account of the store is listed.
)";

constexpr std::string_view k_logout =
    R"(Usage: aadcred [PROFILE OPTIONS] logout [--user UPN | --all]

Removes the tokens of one account (--user, or the configured user) or every aadcred token
of the store (--all), and says how many were removed. --all needs no --authority or
--client-id; --user removes the account's tokens of the configured authority and client.
)";

constexpr std::string_view k_cache =
    R"(Usage: aadcred [PROFILE OPTIONS] cache export|import [FILE|-]

Exports every token of the store (--store), whatever its authority, as ADAL's
TokenCache.serialize() JSON, which python3-adal's TokenCache(state) reads; or imports
such JSON (from python3-adal, or Azure CLI's accessTokens.json), adding each entry to the
store and replacing the one with the same authority, resource, client id and user.
FILE defaults to - (stdout for export, stdin for import). An exported FILE is created
0600 and replaced atomically. The JSON holds refresh tokens: keep it private.
Needs --authority and --client-id (or their settings), not --resource.
)";

}  // namespace

std::string_view help_text(Command command) {
    switch (command) {
        case Command::token:
            return k_token;
        case Command::user_code:
            return k_user_code;
        case Command::device_token:
            return k_device_token;
        case Command::list:
            return k_list;
        case Command::logout:
            return k_logout;
        case Command::cache:
            return k_cache;
        case Command::none:
        case Command::help:
            break;
    }
    return k_overview;
}

std::string_view profile_help() {
    return k_profile_options;
}

}  // namespace aadcred::cli
