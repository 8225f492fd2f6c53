// The scanner is `static inline` in include/cbytescan.h; this file gives the target a translation unit.
#include "cbytescan.h"
