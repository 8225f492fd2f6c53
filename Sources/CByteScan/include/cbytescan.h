// Byte scanning for the CSV splitter: finding the next delimiter or line end 16 bytes at a time,
// which Swift cannot express without a vector "move mask" instruction.
#ifndef DIALREADY_CBYTESCAN_H
#define DIALREADY_CBYTESCAN_H

#include <stddef.h>
#include <stdint.h>

/// The index of the first byte of `p[0..<n]` that is `delimiter`, LF or CR; `n` when there is none.
size_t cbytescan_field_end(const uint8_t *p, size_t n, uint8_t delimiter);

#endif
