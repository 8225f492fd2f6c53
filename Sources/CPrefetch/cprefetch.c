// The prefetch hint is a static inline function in include/cprefetch.h; this file gives the target a source.
#include "cprefetch.h"
