#!/usr/bin/env python3
"""Differential test of `dialready normalize` against libphonenumber's Python port.

Generates messy phone-number inputs with a fixed seed, runs them through one
`dialready normalize --regions ALL` process (stdin lines -> TSV) and through
`phonenumbers` (parse with default region US, then is_valid_number), and prints
the divergences grouped by (generator category, divergence kind).

Divergence kinds:
  agree                           both invalid, or both valid with equal e164, extension and region
  both_valid_e164_differs         both valid, different E.164
  ours_valid_ref_invalid          we accept what libphonenumber rejects
  ref_valid_ours_invalid:<reason> libphonenumber accepts what we reject, with our reason
  extension_differs               same E.164, different extension
  region_differs                  same E.164 and extension, different region

Usually run through Scripts/differential.sh, which provides the virtualenv.
"""

import argparse
import collections
import itertools
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

try:
  import phonenumbers
  from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType, ValidationResult
except ImportError:
  sys.exit("differential: the `phonenumbers` package is missing; run Scripts/differential.sh "
           "(it installs phonenumbers==9.0.43 into .build-tools/venv)")

REPO_ROOT = Path(__file__).resolve().parent.parent
EXPECTED_PHONENUMBERS = "9.0.43"
HEADER_COLUMNS = ["input", "e164", "extension", "region", "state", "kind", "reason"]
REQUIRED_COLUMNS = ["input", "e164", "extension", "region", "reason"]


def log(message):
  print(f"differential: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Number pools, derived from libphonenumber's own metadata at start-up (~0.1 s).
# ---------------------------------------------------------------------------

TERRITORIES = {"PR", "VI", "GU", "AS", "MP"}
GEOGRAPHIC_TYPES = {PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE,
                    PhoneNumberType.FIXED_LINE_OR_MOBILE}


class Pools:
  """NPAs and NPA-NXX prefixes grouped by what libphonenumber says they are."""

  def __init__(self):
    self.us_ca_geographic = []      # NPAs of US/CA geographic numbers
    self.toll_free = []             # 800 833 ...
    self.nongeographic_other = []   # personal 5XX, CA 600, premium 900, CA 622/633
    self.caribbean = collections.defaultdict(list)   # region -> ["NPA" or "NPANXX"]
    self.territory = collections.defaultdict(list)
    assigned = set()
    for npa in range(200, 1000):
      for tail in ("2345678", "4567890", "7654321"):
        number = phonenumbers.parse(f"{npa}{tail}", "US")
        if not phonenumbers.is_valid_number(number):
          continue
        region = phonenumbers.region_code_for_number(number)
        kind = phonenumbers.number_type(number)
        assigned.add(npa)
        if region in ("US", "CA"):
          if kind in GEOGRAPHIC_TYPES:
            self.us_ca_geographic.append(npa)
          elif kind == PhoneNumberType.TOLL_FREE:
            self.toll_free.append(npa)
          else:
            self.nongeographic_other.append(npa)
        elif region in TERRITORIES:
          self.territory[region].append(str(npa))
        else:
          self.caribbean[region].append(str(npa))
        break
    # Small territories validate only narrow exchange ranges: use the
    # example numbers' NPA-NXX as well.
    for region in phonenumbers.region_codes_for_country_code(1):
      if region in ("US", "CA"):
        continue
      target = self.territory if region in TERRITORIES else self.caribbean
      for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
          continue
        nsn = str(example.national_number)
        if len(nsn) == 10 and nsn[:6] not in target[region]:
          target[region].append(nsn[:6])
          assigned.add(int(nsn[:3]))
    n11 = {n * 100 + 11 for n in range(2, 10)}
    self.unassigned = [npa for npa in range(200, 1000) if npa not in assigned and npa not in n11]
    self.caribbean_regions = sorted(self.caribbean)
    self.territory_regions = sorted(self.territory)
    self.foreign = []
    for region in ("GB", "FR", "DE", "MX", "IN", "AU", "BR", "CN", "JP", "PH", "NG", "ZA"):
      for kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is not None:
          self.foreign.append(example)


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------

FULLWIDTH = str.maketrans("0123456789()-+. ", "０１２３４５６７８９（）－＋．　")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
KEYPAD = {c: d for d, letters in {"2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO",
                                  "7": "PQRS", "8": "TUV", "9": "WXYZ"}.items() for c in letters}
VANITY_7 = ["FLOWERS", "CONTACT", "GETHELP", "PLUMBER", "LAWYERS", "DENTIST", "CALLNOW",
            "RENTALS", "TICKETS", "MATTRES", "GOFEDEX", "NEWCARS", "HOTELS1", "SHIPNOW"]
VANITY_4 = ["HELP", "CASH", "CARS", "LOAN", "TAXI", "SAVE", "ROOF", "MOVE", "FOOD", "PETS"]
LABEL_SUFFIXES = [" (cell)", " (home)", " (work)", " cell", " - mobile", " (M)", " [fax]", " (c)",
                  " home", " (office)"]
LABEL_PREFIXES = ["mobile ", "Cell: ", "Tel: ", "Phone: ", "tel. ", "H: ", "W: ", "Mob ",
                  "Home - ", "Office: "]
JUNK = ["N/A", "n/a", "NA", "unknown", "Unknown", "-", "--", "", "none", "NULL", "null", "TBD",
        "0", "000-000-0000", "?", "no phone", "see notes", "#N/A", "#VALUE!", "   ", "x", "NONE"]
TWO_NUMBER_SEPARATORS = [" / ", ", ", " or ", "; ", " & ", "/", " | ", "  "]
UNICODE_DASHES = ["\u2013", "\u2014", "\u2011", "\u2212", "\u2010"]


def nxx_ok(rng):
  """A random exchange that is neither N11 nor 555."""
  while True:
    nxx = rng.randrange(200, 1000)
    if nxx % 100 != 11 and nxx != 555:
      return nxx


def ext_digits(rng):
  return str(rng.randrange(1, 10)) + "".join(rng.choice("0123456789") for _ in range(rng.randrange(0, 5)))


def simple(d, rng):
  """One of the common, tidy renderings of a 10-digit number."""
  a, b, c = d[:3], d[3:6], d[6:]
  return rng.choice([d, f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"{a}.{b}.{c}", f"{a} {b} {c}",
                     f"+1 {a} {b} {c}", f"1-{a}-{b}-{c}", f"+1{d}"])


def dashed(digits):
  if len(digits) <= 7:
    return f"{digits[:3]}-{digits[3:]}"
  return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def excel_scientific(d, significant):
  """Excel's General format for a large number: mantissa with trailing zeros trimmed."""
  value = int(d)
  exponent = len(d) - 1
  mantissa = f"{value / 10 ** exponent:.{significant - 1}f}".rstrip("0").rstrip(".")
  return f"{mantissa}E+{exponent:02d}"


# Renderings of a valid US/CA number. Each takes the 10 digits and the RNG and
# returns (category, input); a few pick their own category (exact/lossy).

def fmt_plain10(d, rng): return d
def fmt_dashes(d, rng): return f"{d[:3]}-{d[3:6]}-{d[6:]}"
def fmt_parens(d, rng): return f"({d[:3]}) {d[3:6]}-{d[6:]}"
def fmt_parens_nospace(d, rng): return f"({d[:3]}){d[3:6]}-{d[6:]}"
def fmt_dots(d, rng): return f"{d[:3]}.{d[3:6]}.{d[6:]}"
def fmt_slashes(d, rng): return rng.choice([f"{d[:3]}/{d[3:6]}-{d[6:]}", f"{d[:3]}/{d[3:6]}/{d[6:]}"])
def fmt_spaces(d, rng): return f"{d[:3]} {d[3:6]} {d[6:]}"


def fmt_plus1(d, rng):
  a, b, c = d[:3], d[3:6], d[6:]
  return rng.choice([f"+1 {a} {b} {c}", f"+1-{a}-{b}-{c}", f"+1{d}", f"+1 ({a}) {b}-{c}", f"+1.{a}.{b}.{c}"])


def fmt_one_prefix(d, rng):
  a, b, c = d[:3], d[3:6], d[6:]
  return rng.choice([f"1-{a}-{b}-{c}", f"1 ({a}) {b}-{c}", f"1{d}", f"1.{a}.{b}.{c}", f"1 {a} {b} {c}"])


def fmt_idd_011(d, rng):
  a, b, c = d[:3], d[3:6], d[6:]
  return rng.choice([f"011 1 {a} {b} {c}", f"011-1-{a}-{b}-{c}", f"0111{d}", f"011 1 ({a}) {b}-{c}"])


def fmt_tel_uri(d, rng):
  return rng.choice([f"tel:+1-{d[:3]}-{d[3:6]}-{d[6:]}", f"tel:+1{d}", f"TEL:+1-{d[:3]}-{d[3:6]}-{d[6:]}"])


def fmt_tel_uri_ext(d, rng):
  return rng.choice([f"tel:+1-{d[:3]}-{d[3:6]}-{d[6:]};ext={ext_digits(rng)}",
                     f"tel:+1{d};ext={ext_digits(rng)}"])


def fmt_ext_x(d, rng):
  return simple(d, rng) + rng.choice([" x", "x", " X ", " x.", " x "]) + ext_digits(rng)


def fmt_ext_word(d, rng):
  return simple(d, rng) + rng.choice([" ext. ", " ext ", " extension ", " Ext: ", ", ext. ", " EXT ",
                                      " ext.", " ext:"]) + ext_digits(rng)


def fmt_ext_hash(d, rng):
  return simple(d, rng) + rng.choice([" #", "#", " # "]) + ext_digits(rng)


def fmt_ext_semicolon(d, rng):
  return simple(d, rng) + ";ext=" + ext_digits(rng)


def fmt_trailing_punct(d, rng):
  return simple(d, rng) + rng.choice(["#", ";", ".", ",", " #", " ;"])


def fmt_whitespace(d, rng):
  a, b, c = d[:3], d[3:6], d[6:]
  return rng.choice([f"  {a}-{b}-{c}  ", f"{a}  {b}  {c}", f"\t{d}", f"{a} - {b} - {c}",
                     f" ( {a} ) {b} - {c} ", f"{d}\t"])


def fmt_unicode_dashes(d, rng):
  dash = rng.choice(UNICODE_DASHES)
  return rng.choice([f"{d[:3]}{dash}{d[3:6]}{dash}{d[6:]}", f"({d[:3]}) {d[3:6]}{dash}{d[6:]}",
                     f"+1{dash}{d[:3]}{dash}{d[3:6]}{dash}{d[6:]}"])


def fmt_excel_float(d, rng):
  return rng.choice([f"{d}.0", f"1{d}.0", f"{d}.00"])


def fmt_excel_quote(d, rng):
  return rng.choice([f"'{d}", f"'1{d}", f"'+1{d}"])


def fmt_excel_formula(d, rng):
  return rng.choice([f'="{d}"', f'="{d[:3]}-{d[3:6]}-{d[6:]}"', f'="+1{d}"'])


def fmt_excel_scientific(d, rng):
  """`2.125551234E+09` (exact) or Excel's 6-digit `2.12555E+09` (lossy unless the tail is zeros)."""
  if rng.random() < 0.5:
    text, category = excel_scientific(d, 10), "excel_sci_exact"
  else:
    text = excel_scientific(d, 6)
    category = "excel_sci_exact" if float(text) == int(d) else "excel_sci_lossy"
  if rng.random() < 0.2:
    text = text.replace("E+", "e+")
  return category, text


def fmt_fullwidth(d, rng):
  return simple(d, rng).translate(FULLWIDTH)


def fmt_arabic_indic(d, rng):
  return simple(d, rng).translate(ARABIC_INDIC if rng.random() < 0.7 else PERSIAN)


def fmt_nbsp(d, rng):
  a, b, c = d[:3], d[3:6], d[6:]
  space = rng.choice(["\u00a0", "\u202f", "\u2007"])
  return rng.choice([f"{space}{a}-{b}-{c}{space}", f"{a}{space}{b}{space}{c}", f"{space}{d}",
                     f"({a}){space}{b}-{c}{space}{space}"])


def fmt_label_suffix(d, rng):
  return simple(d, rng) + rng.choice(LABEL_SUFFIXES)


def fmt_label_prefix(d, rng):
  return rng.choice(LABEL_PREFIXES) + simple(d, rng)


def fmt_two_numbers(d, rng):
  other = f"{rng.choice(POOLS.us_ca_geographic)}{nxx_ok(rng)}{rng.randrange(10000):04d}"
  return simple(d, rng) + rng.choice(TWO_NUMBER_SEPARATORS) + simple(other, rng)


def fmt_local7(d, rng):
  b, c = d[3:6], d[6:]
  return rng.choice([f"{b}-{c}", f"{b} {c}", f"{b}{c}", f"{b}.{c}"])


def fmt_too_short(d, rng):
  return dashed(d[:rng.choice([8, 9])])


def fmt_too_long(d, rng):
  extra = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 4)))
  return rng.choice([d + extra, f"{d[:3]}-{d[3:6]}-{d[6:]}{extra}", f"+1 {d}{extra}", f"1{d}{extra}"])


def fmt_plus_missing_one(d, rng):
  return rng.choice([f"+{d}", f"+{d[:3]} {d[3:6]} {d[6:]}", f"+({d[:3]}) {d[3:6]}-{d[6:]}"])


VALID_FORMATS = [
  # (category, weight, renderer)
  ("plain10", 4, fmt_plain10), ("dashes", 4, fmt_dashes), ("parens", 4, fmt_parens),
  ("parens_nospace", 2, fmt_parens_nospace), ("dots", 3, fmt_dots), ("slashes", 2, fmt_slashes),
  ("spaces", 2, fmt_spaces), ("plus1", 3, fmt_plus1), ("one_prefix", 3, fmt_one_prefix),
  ("idd_011", 2, fmt_idd_011), ("tel_uri", 2, fmt_tel_uri), ("tel_uri_ext", 2, fmt_tel_uri_ext),
  ("ext_x", 2, fmt_ext_x), ("ext_word", 2, fmt_ext_word), ("ext_hash", 2, fmt_ext_hash),
  ("ext_semicolon", 2, fmt_ext_semicolon), ("trailing_punct", 2, fmt_trailing_punct),
  ("whitespace", 2, fmt_whitespace), ("unicode_dashes", 2, fmt_unicode_dashes),
  ("excel_float", 2, fmt_excel_float), ("excel_quote", 2, fmt_excel_quote),
  ("excel_formula", 2, fmt_excel_formula), (None, 4, fmt_excel_scientific),
  ("fullwidth", 2, fmt_fullwidth), ("arabic_indic", 2, fmt_arabic_indic), ("nbsp", 2, fmt_nbsp),
  ("label_suffix", 2, fmt_label_suffix), ("label_prefix", 2, fmt_label_prefix),
  ("two_numbers", 2, fmt_two_numbers), ("local7", 2, fmt_local7), ("too_short", 1, fmt_too_short),
  ("too_long", 2, fmt_too_long), ("plus_missing_one", 1, fmt_plus_missing_one),
]

POOLS = None  # set in main() before generating


def valid_us_ca(rng):
  return f"{rng.choice(POOLS.us_ca_geographic)}{nxx_ok(rng)}{rng.randrange(10000):04d}"


def line4(rng):
  return f"{rng.randrange(10000):04d}"


def gen_valid(category, renderer):
  def generate(rng):
    result = renderer(valid_us_ca(rng), rng)
    return result if category is None else (category, result)
  return generate


# Numbers that are invalid, special or outside US/CA, in tidy formats: the
# category names the kind of number rather than its rendering.

def base_npa_0xx_1xx(rng):
  return f"{rng.randrange(0, 200):03d}{nxx_ok(rng)}{line4(rng)}"


def base_nxx_0xx_1xx(rng):
  return f"{rng.choice(POOLS.us_ca_geographic)}{rng.randrange(0, 200):03d}{line4(rng)}"


def base_npa_n11(rng):
  return f"{rng.randrange(2, 10)}11{nxx_ok(rng)}{line4(rng)}"


def base_npa_unassigned(rng):
  return f"{rng.choice(POOLS.unassigned)}{nxx_ok(rng)}{line4(rng)}"


def base_n11_exchange(rng):
  return f"{rng.choice(POOLS.us_ca_geographic)}{rng.randrange(2, 10)}11{line4(rng)}"


def base_fictional_555_01xx(rng):
  return f"{rng.choice(POOLS.us_ca_geographic)}55501{rng.randrange(100):02d}"


def base_555_other(rng):
  line = rng.choice([rng.randrange(0, 100), rng.randrange(200, 10000)])
  return f"{rng.choice(POOLS.us_ca_geographic)}555{line:04d}"


def base_toll_free(rng):
  return f"{rng.choice(POOLS.toll_free)}{nxx_ok(rng)}{line4(rng)}"


def base_nongeographic_other(rng):
  return f"{rng.choice(POOLS.nongeographic_other)}{nxx_ok(rng)}{line4(rng)}"


def nanp_other(pool, regions):
  def generate(rng):
    prefix = rng.choice(pool[rng.choice(regions)])
    if len(prefix) == 3:
      return f"{prefix}{nxx_ok(rng)}{line4(rng)}"
    return f"{prefix}{line4(rng)}"
  return generate


def gen_base(category, make_digits):
  def generate(rng):
    return category, simple(make_digits(rng), rng)
  return generate


# Inputs that are not a rendering of one 10-digit number.

def gen_vanity(rng):
  npa = rng.choice(POOLS.toll_free)
  if rng.random() < 0.6:
    word = rng.choice(VANITY_7)
    body = rng.choice([f"1-{npa}-{word}", f"{npa}-{word}", f"1 ({npa}) {word}", f"1-{npa}-{word.lower()}",
                       f"+1 {npa} {word}"])
  else:
    body = rng.choice([f"1-{npa}-{nxx_ok(rng)}-{rng.choice(VANITY_4)}", f"{npa}-{nxx_ok(rng)}-{rng.choice(VANITY_4)}"])
  return "vanity", body


def gen_ca_uan_310(rng):
  return "ca_uan_310", rng.choice([f"310-{line4(rng)}", f"310{line4(rng)}", f"310 {line4(rng)}"])


def gen_foreign(rng):
  number = phonenumbers.PhoneNumber()
  number.merge_from(rng.choice(POOLS.foreign))
  text = str(number.national_number)
  number.national_number = int(text[:-2] + f"{rng.randrange(100):02d}")
  international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
  e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
  return "foreign", rng.choice([international, e164, "011 " + international[1:], "00" + e164[1:]])


def gen_junk(rng):
  return "junk", rng.choice(JUNK)


def gen_noise_bytes(rng):
  raw = bytes(b for b in (rng.randrange(256) for _ in range(rng.randrange(1, 31))) if b not in (10, 13))
  return "noise_bytes", raw.decode("utf-8", "surrogateescape")


NOISE_RANGES = [(0x20, 0x7e), (0xa0, 0x17f), (0x370, 0x3ff), (0x400, 0x4ff), (0x600, 0x6ff),
                (0x2000, 0x206f), (0x3000, 0x30ff), (0xff00, 0xffef), (0x1f300, 0x1f64f)]


def gen_noise_unicode(rng):
  chars = []
  for _ in range(rng.randrange(1, 25)):
    low, high = rng.choice(NOISE_RANGES)
    code = rng.randint(low, high)
    if code in (0x2028, 0x2029):  # keep inputs one line in every reader
      code = 0x20
    chars.append(chr(code))
  return "noise_unicode", "".join(chars)


def gen_digit_soup(rng):
  chars = []
  for _ in range(rng.randrange(5, 16)):
    chars.append(rng.choice("0123456789"))
    if rng.random() < 0.5:
      chars.append(rng.choice(" -()./+#*,;:x_~"))
  return "digit_soup", "".join(chars)


def build_generators():
  generators = []
  weights = []
  for category, weight, renderer in VALID_FORMATS:
    generators.append(gen_valid(category, renderer))
    weights.append(weight * 3)
  base = [
    ("base_npa_0xx_1xx", base_npa_0xx_1xx), ("base_nxx_0xx_1xx", base_nxx_0xx_1xx),
    ("base_npa_n11", base_npa_n11), ("base_npa_unassigned", base_npa_unassigned),
    ("base_n11_exchange", base_n11_exchange), ("base_fictional_555_01xx", base_fictional_555_01xx),
    ("base_555_other", base_555_other), ("base_toll_free", base_toll_free),
    ("base_nongeographic_other", base_nongeographic_other),
    ("base_caribbean", nanp_other(POOLS.caribbean, POOLS.caribbean_regions)),
    ("base_territory", nanp_other(POOLS.territory, POOLS.territory_regions)),
  ]
  for category, make_digits in base:
    generators.append(gen_base(category, make_digits))
    weights.append(5)
  for generator, weight in [(gen_vanity, 5), (gen_ca_uan_310, 3), (gen_foreign, 6), (gen_junk, 4),
                            (gen_noise_bytes, 3), (gen_noise_unicode, 3), (gen_digit_soup, 4)]:
    generators.append(generator)
    weights.append(weight)
  return generators, weights


def generate_inputs(count, seed):
  rng = random.Random(seed)
  generators, weights = build_generators()
  cumulative = list(itertools.accumulate(weights))
  picks = rng.choices(range(len(generators)), cum_weights=cumulative, k=count)
  categories, inputs = [], []
  for pick in picks:
    category, text = generators[pick](rng)
    categories.append(category)
    inputs.append(text)
  return categories, inputs


# ---------------------------------------------------------------------------
# Reference side: libphonenumber
# ---------------------------------------------------------------------------

PARSE_REASONS = {
  NumberParseException.NOT_A_NUMBER: "not_a_number",
  NumberParseException.TOO_SHORT_NSN: "too_short",
  NumberParseException.TOO_SHORT_AFTER_IDD: "too_short",
  NumberParseException.TOO_LONG: "too_long",
  NumberParseException.INVALID_COUNTRY_CODE: "invalid_country_code",
}
POSSIBILITY_REASONS = {
  ValidationResult.TOO_SHORT: "too_short",
  ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "too_short",
  ValidationResult.TOO_LONG: "too_long",
  ValidationResult.INVALID_COUNTRY_CODE: "invalid_country_code",
  ValidationResult.INVALID_LENGTH: "invalid_length",
}


def reference_one(text):
  """(e164, extension, region, reason) as libphonenumber sees `text`; reason '' means valid."""
  try:
    number = phonenumbers.parse(text, "US")
  except NumberParseException as error:
    return ("", "", "", PARSE_REASONS.get(error.error_type, "not_a_number"))
  extension = number.extension or ""
  if number.country_code != 1:
    return ("", extension, phonenumbers.region_code_for_number(number) or "", "invalid_country_code")
  if phonenumbers.is_valid_number(number):
    return (phonenumbers.format_number(number, PhoneNumberFormat.E164), extension,
            phonenumbers.region_code_for_number(number) or "", "")
  possibility = phonenumbers.is_possible_number_with_reason(number)
  return ("", extension, "", POSSIBILITY_REASONS.get(possibility, "invalid"))


def reference_chunk(texts):
  return [reference_one(text) for text in texts]


def run_reference(inputs, jobs):
  chunk = 4000
  chunks = [inputs[i:i + chunk] for i in range(0, len(inputs), chunk)]
  results = []
  if jobs <= 1:
    for part in chunks:
      results.extend(reference_chunk(part))
    return results
  with multiprocessing.Pool(jobs) as pool:
    for part in pool.imap(reference_chunk, chunks):
      results.extend(part)
    pool.close()
    pool.join()
  return results


# ---------------------------------------------------------------------------
# Our side: one `dialready normalize` process fed through a pipe
# ---------------------------------------------------------------------------

def escape_field(raw):
  return (raw.replace(b"\\", b"\\\\").replace(b"\t", b"\\t")
          .replace(b"\n", b"\\n").replace(b"\r", b"\\r"))


def unescape_field(field):
  if b"\\" not in field:
    return field
  out = bytearray()
  i = 0
  while i < len(field):
    byte = field[i]
    if byte == 0x5C and i + 1 < len(field):
      following = field[i + 1]
      out += {0x74: b"\t", 0x6E: b"\n", 0x72: b"\r", 0x5C: b"\\"}.get(following, bytes([0x5C, following]))
      i += 2
    else:
      out.append(byte)
      i += 1
  return bytes(out)


def run_ours(binary, regions, encoded):
  """Runs the binary once; returns (rows, column index, stderr text)."""
  command = [binary, "normalize", "--regions", regions]
  with tempfile.TemporaryFile() as stderr_file:
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr_file)
    write_error = []

    def feed():
      try:
        view = memoryview(encoded)
        for start in range(0, len(view), 1 << 20):
          process.stdin.write(view[start:start + (1 << 20)])
        process.stdin.close()
      except BrokenPipeError as error:
        write_error.append(error)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    output = process.stdout.read()
    status = process.wait()
    writer.join()
    stderr_file.seek(0)
    stderr_text = stderr_file.read().decode("utf-8", "replace")
  if status != 0 or write_error:
    tail = "\n".join(stderr_text.splitlines()[-20:])
    sys.exit(f"differential: `{' '.join(command)}` failed (exit {status}"
             f"{', closed its stdin early' if write_error else ''})\n{tail}")
  return output, stderr_text


def parse_ours(output, count, command_text):
  lines = output.split(b"\n")
  if lines and lines[-1] == b"":
    lines.pop()
  if not lines:
    sys.exit(f"differential: `{command_text}` printed nothing")
  header = lines[0].rstrip(b"\r").decode("utf-8", "replace").split("\t")
  missing = [name for name in REQUIRED_COLUMNS if name not in header]
  if missing:
    sys.exit(f"differential: header {header} lacks columns {missing} (expected {HEADER_COLUMNS})")
  if header != HEADER_COLUMNS:
    log(f"warning: header is {header}, expected {HEADER_COLUMNS}; using columns by name")
  rows = lines[1:]
  if len(rows) != count:
    sys.exit(f"differential: {len(rows)} output rows for {count} input lines; "
             "`normalize` must print exactly one row per input line")
  index = {name: header.index(name) for name in REQUIRED_COLUMNS}
  return rows, index


# ---------------------------------------------------------------------------
# Comparison and report
# ---------------------------------------------------------------------------

def divergence_kind(ours, reference):
  """ours and reference are (e164, extension, region, reason) tuples."""
  ours_valid = ours[3] == "" and ours[0] != ""
  reference_valid = reference[3] == ""
  if ours_valid and reference_valid:
    if ours[0] != reference[0]:
      return "both_valid_e164_differs"
    if ours[1] != reference[1]:
      return "extension_differs"
    if ours[2] != reference[2]:
      return "region_differs"
    return "agree"
  if ours_valid:
    return "ours_valid_ref_invalid"
  if reference_valid:
    return f"ref_valid_ours_invalid:{ours[3] or 'no_reason'}"
  return "agree"


def describe(result):
  e164, extension, region, reason = result
  if not reason and e164:
    text = e164 + (f" x{extension}" if extension else "") + (f" {region}" if region else "")
    return text
  return f"invalid:{reason or '?'}" + (f" (ext {extension})" if extension else "")


def shorten(text, width):
  return text if len(text) <= width else text[:width - 1] + "…"


def shown_input(text):
  return repr(text)


def print_table(headers, rows):
  widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) if rows else len(headers[i])
            for i in range(len(headers))]
  def line(cells):
    return " | ".join(cell.ljust(widths[i]) if i < len(cells) - 1 else cell for i, cell in enumerate(cells))
  print(line(headers))
  print("-+-".join("-" * width for width in widths))
  for row in rows:
    print(line(row))


def rate(count, seconds):
  return f"{count / seconds:,.0f}/s" if seconds > 0 else "n/a"


def children_cpu():
  usage = resource.getrusage(resource.RUSAGE_CHILDREN)
  return usage.ru_utime + usage.ru_stime


def self_cpu():
  usage = resource.getrusage(resource.RUSAGE_SELF)
  return usage.ru_utime + usage.ru_stime


def main():
  global POOLS
  default_bin = os.environ.get("DIALREADY", str(REPO_ROOT / ".build" / "release" / "dialready"))
  parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
  parser.add_argument("--count", type=int, default=1_000_000, help="number of inputs (default 1000000)")
  parser.add_argument("--seed", type=int, default=1729, help="generator seed (default 1729)")
  parser.add_argument("--bin", default=default_bin, help="dialready binary (default $DIALREADY or .build/release/dialready)")
  parser.add_argument("--regions", default="ALL", help="value passed to `normalize --regions` (default ALL)")
  parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                      help="worker processes for the reference side (default min(2, CPUs))")
  parser.add_argument("--examples", type=int, default=0, metavar="N",
                      help="write N examples per (category, kind) to --examples-file")
  parser.add_argument("--examples-file", default=str(REPO_ROOT / ".build-tools" / "differential-examples.tsv"),
                      help="where --examples go (default .build-tools/differential-examples.tsv)")
  parser.add_argument("--save-inputs", metavar="PATH", help="also write the generated inputs, one per line")
  parser.add_argument("--reference-only", action="store_true",
                      help="generate and run the reference side only (no binary needed)")
  parser.add_argument("--width", type=int, default=90, help="example column width in the table (default 90)")
  args = parser.parse_args()
  if args.count < 1:
    parser.error("--count must be positive")

  if phonenumbers.__version__ != EXPECTED_PHONENUMBERS:
    log(f"warning: phonenumbers {phonenumbers.__version__}, expected {EXPECTED_PHONENUMBERS}")
  if not args.reference_only and not (os.path.isfile(args.bin) and os.access(args.bin, os.X_OK)):
    sys.exit(f"differential: no executable at {args.bin}; build it (swift build -c release) "
             "or pass --bin / set DIALREADY")

  started = time.perf_counter()
  POOLS = Pools()
  log(f"generating {args.count:,} inputs (seed {args.seed})")
  categories, inputs = generate_inputs(args.count, args.seed)
  encoded_lines = [text.encode("utf-8", "surrogateescape") for text in inputs]
  encoded = b"\n".join(encoded_lines) + b"\n"
  log(f"generated in {time.perf_counter() - started:.1f}s ({len(encoded) / 1e6:.1f} MB)")
  if args.save_inputs:
    Path(args.save_inputs).write_bytes(encoded)
    log(f"inputs written to {args.save_inputs}")

  ours_results = None
  ours_seconds = ours_cpu = 0.0
  echo_mismatches = 0
  echo_example = None
  if not args.reference_only:
    command_text = f"{args.bin} normalize --regions {args.regions}"
    log(f"running {command_text}")
    cpu_before = children_cpu()
    start = time.perf_counter()
    output, stderr_text = run_ours(args.bin, args.regions, encoded)
    ours_seconds = time.perf_counter() - start
    ours_cpu = children_cpu() - cpu_before
    if stderr_text.strip():
      log(f"{args.bin} wrote {len(stderr_text.splitlines())} stderr lines; last: "
          f"{stderr_text.strip().splitlines()[-1]}")
    rows, index = parse_ours(output, len(inputs), command_text)
    ours_results = []
    i_input, i_e164, i_ext, i_region, i_reason = (index[name] for name in REQUIRED_COLUMNS)
    for n, row in enumerate(rows):
      fields = row.rstrip(b"\r").split(b"\t")
      if len(fields) <= max(index.values()):
        sys.exit(f"differential: output row {n + 2} has {len(fields)} fields: {row[:200]!r}")
      if unescape_field(fields[i_input]) != encoded_lines[n]:
        echo_mismatches += 1
        if echo_example is None:
          echo_example = (inputs[n], fields[i_input].decode("utf-8", "replace"))
      ours_results.append(tuple(fields[i].decode("utf-8", "replace") for i in (i_e164, i_ext, i_region, i_reason)))
    log(f"ours done in {ours_seconds:.1f}s")

  log(f"running phonenumbers {phonenumbers.__version__} on {args.jobs} worker(s)")
  cpu_before = children_cpu() if args.jobs > 1 else self_cpu()
  start = time.perf_counter()
  reference_results = run_reference(inputs, args.jobs)
  reference_seconds = time.perf_counter() - start
  reference_cpu = (children_cpu() if args.jobs > 1 else self_cpu()) - cpu_before
  log(f"reference done in {reference_seconds:.1f}s")

  print(f"inputs:      {len(inputs):,} (seed {args.seed}, {len(set(categories))} categories)")
  print(f"reference:   phonenumbers {phonenumbers.__version__}, {reference_seconds:.1f}s wall, "
        f"{reference_cpu:.1f}s CPU on {args.jobs} worker(s): {rate(len(inputs), reference_seconds)} wall, "
        f"{rate(len(inputs), reference_cpu)} per CPU-second")
  if ours_results is None:
    valid = sum(1 for result in reference_results if result[3] == "")
    print(f"reference valid: {valid:,} ({valid / len(inputs):.1%})")
    per_category = collections.Counter()
    per_category_valid = collections.Counter()
    per_category_example = {}
    for category, text, result in zip(categories, inputs, reference_results):
      per_category[category] += 1
      per_category_valid[category] += result[3] == ""
      per_category_example.setdefault(category, (text, result))
    print()
    table = []
    for category, count in per_category.most_common():
      text, result = per_category_example[category]
      table.append([category, f"{count:,}", f"{per_category_valid[category] / count:.1%}",
                    shorten(f"{shown_input(text)} → ref {describe(result)}", args.width)])
    print_table(["category", "count", "ref valid", "example"], table)
    return

  print(f"ours:        {args.bin} normalize --regions {args.regions}, {ours_seconds:.1f}s wall incl. I/O, "
        f"{ours_cpu:.1f}s CPU: {rate(len(inputs), ours_seconds)} wall, {rate(len(inputs), ours_cpu)} per CPU-second")
  if ours_seconds > 0 and reference_seconds > 0:
    print(f"speed-up:    {reference_seconds / ours_seconds:.1f}x wall, "
          f"{(reference_cpu / ours_cpu) if ours_cpu > 0 else float('nan'):.1f}x CPU")
  if echo_mismatches:
    print(f"echo:        {echo_mismatches:,} rows whose `input` column differs from the line sent, "
          f"e.g. sent {shown_input(echo_example[0])}, got {echo_example[1]!r}")

  counts = collections.Counter()
  first = {}
  examples = collections.defaultdict(list)
  per_category = collections.Counter()
  per_category_agree = collections.Counter()
  both_invalid = 0
  for n, (category, ours, reference) in enumerate(zip(categories, ours_results, reference_results)):
    kind = divergence_kind(ours, reference)
    key = (category, kind)
    counts[key] += 1
    per_category[category] += 1
    if kind == "agree":
      per_category_agree[category] += 1
      both_invalid += reference[3] != ""
    if key not in first:
      first[key] = n
    if args.examples and len(examples[key]) < args.examples:
      examples[key].append(n)

  agreed = sum(per_category_agree.values())
  print(f"agreement:   {agreed:,} of {len(inputs):,} ({agreed / len(inputs):.2%}); "
        f"{both_invalid:,} of them both invalid (reasons not compared)")
  print()

  divergent = [(key, count) for key, count in counts.items() if key[1] != "agree"]
  divergent.sort(key=lambda item: (-item[1], item[0]))
  table = []
  for (category, kind), count in divergent:
    n = first[(category, kind)]
    example = f"{shown_input(inputs[n])} → ours {describe(ours_results[n])}; ref {describe(reference_results[n])}"
    table.append([category, kind, f"{count:,}", shorten(example, args.width)])
  if table:
    print("Divergences by (generator category, kind), most frequent first:")
    print_table(["category", "kind", "count", "example: input → ours; ref"], table)
  else:
    print("No divergences.")
  print()
  print("Agreement by generator category:")
  summary = []
  for category, count in sorted(per_category.items(), key=lambda item: (per_category_agree[item[0]] / item[1], item[0])):
    summary.append([category, f"{count:,}", f"{per_category_agree[category]:,}",
                    f"{per_category_agree[category] / count:.1%}"])
  print_table(["category", "inputs", "agree", "rate"], summary)

  if args.examples:
    path = Path(args.examples_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
      handle.write(b"category\tkind\tinput\tours_e164\tours_extension\tours_region\tours_reason\t"
                   b"ref_e164\tref_extension\tref_region\tref_reason\n")
      for key in sorted(examples, key=lambda key: (key[1] == "agree", -counts[key], key)):
        for n in examples[key]:
          fields = [key[0].encode(), key[1].encode(), escape_field(encoded_lines[n])]
          fields += [escape_field(value.encode("utf-8", "surrogateescape")) for value in ours_results[n]]
          fields += [escape_field(value.encode("utf-8", "surrogateescape")) for value in reference_results[n]]
          handle.write(b"\t".join(fields) + b"\n")
    print()
    print(f"examples:    up to {args.examples} per (category, kind) in {path}")


if __name__ == "__main__":
  main()
