// OpenSSL's libcrypto (Debian libssl-dev): SHA-256 for the Hugging Face Hub's LFS digests, SHA-1 for git blob ids.
#include <openssl/evp.h>
