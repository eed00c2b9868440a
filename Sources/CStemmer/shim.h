// Snowball's libstemmer (Debian: libstemmer-dev): word stems for about thirty languages. Imported only by Index.
#include <libstemmer.h>
