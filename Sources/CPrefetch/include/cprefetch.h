// A cache-prefetch hint for Swift code, which has no intrinsic for it.
#ifndef DIALREADY_CPREFETCH_H
#define DIALREADY_CPREFETCH_H

/// Asks the CPU to start loading the cache line at `address` for reading; never faults.
static inline void cprefetch_read(const void *address) { __builtin_prefetch(address, 0, 1); }

#endif
