// Byte scanning for the CSV splitter: finding the next delimiter or line end 16 bytes at a time,
// which Swift cannot express without a vector "move mask" instruction. `static inline` in the header,
// so the Swift compiler inlines it into the splitter's loop (a call per field cost more than the scan).
#ifndef DIALREADY_CBYTESCAN_H
#define DIALREADY_CBYTESCAN_H

#include <stddef.h>
#include <stdint.h>

/// The index of the first byte of `p[0..<n]` that is `delimiter`, LF or CR; `n` when there is none.
#if defined(__SSE2__)
#include <emmintrin.h>

static inline size_t cbytescan_field_end(const uint8_t *p, size_t n, uint8_t delimiter) {
  size_t i = 0;
  const __m128i d = _mm_set1_epi8((char)delimiter);
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  while (i + 16 <= n) {
    __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr));
    unsigned mask = (unsigned)_mm_movemask_epi8(hit);
    if (mask != 0) return i + (size_t)__builtin_ctz(mask);
    i += 16;
  }
  for (; i < n; i++) {
    uint8_t b = p[i];
    if (b == delimiter || b == '\n' || b == '\r') return i;
  }
  return n;
}

#else

static inline size_t cbytescan_field_end(const uint8_t *p, size_t n, uint8_t delimiter) {
  for (size_t i = 0; i < n; i++) {
    uint8_t b = p[i];
    if (b == delimiter || b == '\n' || b == '\r') return i;
  }
  return n;
}

#endif

#endif
