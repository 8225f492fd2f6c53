// A small C surface over the system ICU (charset detection and conversion) for DialReady's readers.
// Only plain C types appear here; ICU's own headers are included in cicu.c alone, so Swift never sees
// them (they clash with the ICU bundled in Foundation, and their version-renamed functions are macros).
#ifndef DIALREADY_CICU_H
#define DIALREADY_CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Guesses the charset of `bytes`. Writes its ICU name (e.g. "UTF-8", "ISO-8859-1", "windows-1252")
/// to `name` and its confidence (0-100) to `confidence`. Returns 0 on success, an ICU error code otherwise.
int32_t cicu_detect_charset(const char *bytes, int32_t length, char *name, int32_t nameCapacity,
                            int32_t *confidence);

/// An open streaming converter from one charset to UTF-8.
typedef struct cicu_to_utf8 cicu_to_utf8;

/// Opens a converter from `charset` to UTF-8; NULL (with `*error` set) when ICU does not know the name.
cicu_to_utf8 *cicu_to_utf8_open(const char *charset, int32_t *error);

/// Converts as much of `source` as fits into `target`. Advances `*sourceConsumed` and `*targetWritten`
/// by what was used. `flush` is 1 on the last call. Malformed input stops conversion with an error
/// (substitution is switched off) and `*errorOffset` holds how many source bytes were consumed before it.
/// Returns 0 on success or when the target is full (check the counts), an ICU error code otherwise.
int32_t cicu_to_utf8_convert(cicu_to_utf8 *converter, const char *source, int32_t sourceLength,
                             int32_t *sourceConsumed, char *target, int32_t targetCapacity,
                             int32_t *targetWritten, int32_t flush);

/// Closes a converter.
void cicu_to_utf8_close(cicu_to_utf8 *converter);

/// The readable name of an ICU error code.
const char *cicu_error_name(int32_t error);

#ifdef __cplusplus
}
#endif

#endif
