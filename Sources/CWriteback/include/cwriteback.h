// Starting write-back of a file range without waiting for it (Linux `sync_file_range`, which the
// Swift Glibc module does not expose); a no-op elsewhere.
#ifndef DIALREADY_CWRITEBACK_H
#define DIALREADY_CWRITEBACK_H

#include <stdint.h>

/// Asks the kernel to start writing `length` bytes of `fd` at `offset` to disk; returns at once.
void cwriteback_start(int fd, int64_t offset, int64_t length);

#endif
