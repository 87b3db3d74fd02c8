// <aadcred/aadcred.hpp> alone must compile as C++20 with -pedantic -Werror, and linking a
// program that instantiates its inline code must need nothing but libaadcred.so.
#include <aadcred/aadcred.hpp>

int main() {
    aadcred::ContextOptions options;
    aadcred::CredentialProvider::Request request;
    (void)options;
    (void)request;
    return aadcred::version() == AADCRED_VERSION ? 0 : 1;
}
