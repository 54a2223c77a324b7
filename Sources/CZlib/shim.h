// zlib's inflate, for gzip-compressed MNIST files (Debian: zlib1g-dev).
#include <zlib.h>
