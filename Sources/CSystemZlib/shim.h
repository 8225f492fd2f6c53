// The system zlib (Debian's zlib1g-dev), used for its fast CRC-32 when checking inflated ZIP parts.
#include <zlib.h>
