// Device code sign-in with libaadcred's C++ API (namespace aadcred), named like ADAL for
// Python: AuthenticationContext, acquire_user_code, acquire_token_with_device_code.
//
//   device_code_cpp AUTHORITY CLIENT_ID RESOURCE [CA_FILE]
//
// Prints the user id and the expiry of the token (never the token) and exits 0; on an
// AdalError prints its message (and the server's error, when there was one) and exits 1.
#include <aadcred/aadcred.hpp>

#include <iostream>
#include <string>

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5) {
        std::cerr << "usage: " << argv[0] << " AUTHORITY CLIENT_ID RESOURCE [CA_FILE]\n";
        return 2;
    }
    const std::string authority = argv[1];
    const std::string client_id = argv[2];
    const std::string resource = argv[3];
    try {
        aadcred::ContextOptions options;
        if (argc == 5) options.ca_file = argv[4];
        aadcred::AuthenticationContext context(authority, options);

        const aadcred::UserCodeInfo code = context.acquire_user_code(resource, client_id);
        std::cerr << code.message() << '\n';

        const aadcred::Token token =
            context.acquire_token_with_device_code(resource, code, client_id);
        std::cout << "userId: " << token.user_id() << '\n'
                  << "expiresOn: " << token.expires_on() << '\n';
        return 0;
    } catch (const aadcred::AdalError &e) {
        std::cerr << "sign-in failed: " << e.what() << '\n';
        if (!e.error().empty()) std::cerr << "  OAuth error: " << e.error() << '\n';
        return 1;
    }
}
