#include "cicu.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>
#include <unicode/utypes.h>

int32_t cicu_detect_charset(const char *bytes, int32_t length, char *name, int32_t nameCapacity,
                            int32_t *confidence) {
  UErrorCode status = U_ZERO_ERROR;
  UCharsetDetector *detector = ucsdet_open(&status);
  if (U_FAILURE(status)) return status;
  ucsdet_setText(detector, bytes, length, &status);
  const UCharsetMatch *match = ucsdet_detect(detector, &status);
  if (U_FAILURE(status) || match == NULL) {
    ucsdet_close(detector);
    return U_FAILURE(status) ? status : U_INVALID_CHAR_FOUND;
  }
  const char *found = ucsdet_getName(match, &status);
  *confidence = ucsdet_getConfidence(match, &status);
  if (U_SUCCESS(status) && found != NULL) {
    strncpy(name, found, (size_t)nameCapacity - 1);
    name[nameCapacity - 1] = 0;
  }
  ucsdet_close(detector);
  return U_FAILURE(status) ? status : 0;
}

struct cicu_to_utf8 {
  UConverter *source;
  UConverter *utf8;
  UChar pivot[8192];
  UChar *pivotSource;
  UChar *pivotTarget;
  int reset;
};

cicu_to_utf8 *cicu_to_utf8_open(const char *charset, int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  cicu_to_utf8 *c = calloc(1, sizeof(cicu_to_utf8));
  if (c == NULL) {
    *error = U_MEMORY_ALLOCATION_ERROR;
    return NULL;
  }
  c->source = ucnv_open(charset, &status);
  if (U_SUCCESS(status)) c->utf8 = ucnv_open("UTF-8", &status);
  if (U_SUCCESS(status)) {
    // Stop on malformed input instead of substituting U+FFFD: nothing is silently changed.
    ucnv_setToUCallBack(c->source, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &status);
  }
  if (U_FAILURE(status)) {
    *error = status;
    cicu_to_utf8_close(c);
    return NULL;
  }
  c->pivotSource = c->pivot;
  c->pivotTarget = c->pivot;
  c->reset = 1;
  *error = 0;
  return c;
}

int32_t cicu_to_utf8_convert(cicu_to_utf8 *c, const char *source, int32_t sourceLength,
                             int32_t *sourceConsumed, char *target, int32_t targetCapacity,
                             int32_t *targetWritten, int32_t flush) {
  UErrorCode status = U_ZERO_ERROR;
  const char *src = source;
  char *dst = target;
  ucnv_convertEx(c->utf8, c->source, &dst, target + targetCapacity, &src, source + sourceLength,
                 c->pivot, &c->pivotSource, &c->pivotTarget, c->pivot + 8192, (UBool)c->reset,
                 (UBool)(flush != 0), &status);
  c->reset = 0;
  *sourceConsumed = (int32_t)(src - source);
  *targetWritten = (int32_t)(dst - target);
  if (status == U_BUFFER_OVERFLOW_ERROR) return 0;
  return U_FAILURE(status) ? status : 0;
}

void cicu_to_utf8_close(cicu_to_utf8 *c) {
  if (c == NULL) return;
  if (c->source) ucnv_close(c->source);
  if (c->utf8) ucnv_close(c->utf8);
  free(c);
}

const char *cicu_error_name(int32_t error) { return u_errorName((UErrorCode)error); }
