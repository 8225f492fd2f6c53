#define _GNU_SOURCE
#include "cwriteback.h"

#if defined(__linux__)
#include <fcntl.h>

void cwriteback_start(int fd, int64_t offset, int64_t length) {
  (void)sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
}
#else
void cwriteback_start(int fd, int64_t offset, int64_t length) {
  (void)fd;
  (void)offset;
  (void)length;
}
#endif
