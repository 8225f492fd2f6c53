#!/usr/bin/env python3
"""Generate the NANP area-code table and its libphonenumber sample fixture.

Reads libphonenumber's metadata through the pinned Python `phonenumbers`
package and writes:

  Sources/NANP/Generated/AreaCodeData.swift   the area-code table (NPA lines,
                                              exchange and time-zone overrides)
  Fixtures/nanp/libphonenumber-sample.tsv     ~400 numbers checked one by one
                                              with phonenumbers calls, as an
                                              independent test oracle

Run it through Scripts/generate-nanp-data.sh, which provides the pinned
version in a virtualenv. The output is deterministic: running it twice gives
identical files.
"""

import collections
import os
import random
import re
import sys
import time

PINNED_VERSION = "9.0.43"

try:
    import phonenumbers
except ImportError:
    sys.exit(
        "error: the Python package 'phonenumbers' is not installed; "
        "run Scripts/generate-nanp-data.sh, which installs phonenumbers==%s "
        "in a virtualenv." % PINNED_VERSION
    )

if phonenumbers.__version__ != PINNED_VERSION:
    sys.exit(
        "error: phonenumbers %s is installed, but this script is pinned to %s; "
        "run Scripts/generate-nanp-data.sh, or update PINNED_VERSION here and "
        "review the regenerated table." % (phonenumbers.__version__, PINNED_VERSION)
    )

from phonenumbers import PhoneNumber, PhoneNumberType  # noqa: E402
from phonenumbers import is_valid_number, number_type, region_code_for_number  # noqa: E402
from phonenumbers import geocoder, timezone  # noqa: E402
from phonenumbers.geodata import GEOCODE_DATA  # noqa: E402
from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWIFT_OUT = os.path.join("Sources", "NANP", "Generated", "AreaCodeData.swift")
FIXTURE_OUT = os.path.join("Fixtures", "nanp", "libphonenumber-sample.tsv")
SOURCE_VERSION = "phonenumbers %s" % PINNED_VERSION

# Line numbers tried for each NPA-NXX: an exchange is valid if any of them is.
LINE_SAMPLES = ("2345", "6789", "0000", "9999", "5555")

FIXTURE_SEED = 20261125

KIND_BY_TYPE = {
    PhoneNumberType.FIXED_LINE: "geographic",
    PhoneNumberType.MOBILE: "geographic",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "geographic",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium",
    PhoneNumberType.PERSONAL_NUMBER: "personal",
    PhoneNumberType.VOIP: "voip",
}

# Regions that carry their own code as the "state" field.
TERRITORIES = ("PR", "VI", "GU", "AS", "MP")
# Regions whose NPAs get a state or province from the geocoder.
STATE_REGIONS = ("US", "CA")

US_STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR",
    "California": "CA", "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE",
    "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID",
    "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS",
    "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD",
    "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN",
    "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE",
    "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ",
    "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR",
    "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC",
    "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX", "Utah": "UT",
    "Vermont": "VT", "Virginia": "VA", "Washington": "WA",
    "Washington State": "WA", "West Virginia": "WV", "Wisconsin": "WI",
    "Wyoming": "WY",
    "District of Columbia": "DC", "Washington D.C.": "DC", "Washington DC": "DC",
    "Puerto Rico": "PR", "U.S. Virgin Islands": "VI", "Guam": "GU",
    "American Samoa": "AS", "Northern Mariana Islands": "MP",
}
CA_PROVINCES = {
    "Alberta": "AB", "British Columbia": "BC",
    "British Colombia": "BC",  # spelling found in the geocoder data
    "Manitoba": "MB", "New Brunswick": "NB",
    "Newfoundland and Labrador": "NL", "Newfoundland": "NL",
    "Northwest Territories": "NT", "Nova Scotia": "NS", "Nunavut": "NU",
    "Ontario": "ON", "Prince Edward Island": "PE", "Quebec": "QC",
    "Québec": "QC", "Saskatchewan": "SK", "Yukon": "YT",
}
STATE_CODES = {**US_STATES, **CA_PROVINCES}
KNOWN_CODES = set(STATE_CODES.values())
CITY_STATE = re.compile(r",\s*([A-Z]{2})$")


def log(message=""):
    print(message, flush=True)


# --- libphonenumber look-ups -------------------------------------------------


def make_number(digits):
    """A +1 PhoneNumber for a 10-digit string (no parsing step)."""
    return PhoneNumber(country_code=1, national_number=int(digits))


def kind_of(numobj):
    return KIND_BY_TYPE.get(number_type(numobj), "non_geographic")


def zones_for_prefix(prefix):
    """Time zones of the longest prefix in the timezone data, as libphonenumber
    resolves them, without the country-level fallback ("1") and Etc/Unknown."""
    for length in range(min(len(prefix), TIMEZONE_LONGEST_PREFIX), 1, -1):
        zones = TIMEZONE_DATA.get(prefix[:length])
        if zones is not None:
            return tuple(z for z in zones if z != timezone.UNKNOWN_TIMEZONE)
    return None


def geocoder_text(prefix):
    entry = GEOCODE_DATA.get(prefix)
    return entry.get("en") if entry else None


def state_code(text):
    """2-letter code for a geocoder text ("New Jersey", "Stamford, CT"), or None."""
    if text is None:
        return None
    text = text.strip()
    if text in STATE_CODES:
        return STATE_CODES[text]
    match = CITY_STATE.search(text)
    if match and match.group(1) in KNOWN_CODES:
        return match.group(1)
    return None


class StateResolver:
    """Resolves the NPA-level state or province, remembering what it could not map."""

    def __init__(self):
        self.unmapped = collections.Counter()  # geocoder text -> occurrences
        self.notes = []  # (npa, how it was resolved)
        self._nxx_texts = collections.defaultdict(list)
        for prefix, entry in GEOCODE_DATA.items():
            if prefix.startswith("1") and len(prefix) > 4 and "en" in entry:
                self._nxx_texts[prefix[1:4]].append(entry["en"])
        self._cache = {}

    def state(self, npa, region, kind):
        key = (npa, region, kind)
        if key not in self._cache:
            self._cache[key] = self._resolve(npa, region, kind)
        return self._cache[key]

    def _resolve(self, npa, region, kind):
        if kind != "geographic":
            return ""
        if region in TERRITORIES:
            return region
        if region not in STATE_REGIONS:
            return ""
        text = geocoder_text("1" + npa)
        code = state_code(text)
        if code:
            return code
        allowed = None
        if text is not None:
            # Several provinces in one text ("Nova Scotia/Prince Edward Island"):
            # the table holds one, so take the one most exchanges name.
            parts = [state_code(part) for part in text.split("/")]
            if len(parts) > 1 and all(parts):
                allowed = parts
            else:
                self.unmapped[text] += 1
        tally = collections.Counter()
        for nxx_text in self._nxx_texts.get(npa, ()):
            nxx_code = state_code(nxx_text)
            if nxx_code is None:
                self.unmapped[nxx_text] += 1
            elif allowed is None or nxx_code in allowed:
                tally[nxx_code] += 1
        if not tally and allowed:
            self.notes.append((npa, "NPA-level text %r spans several and no NPA-NXX entry names "
                                    "one; took the first named: %s" % (text, allowed[0])))
            return allowed[0]
        if not tally:
            self.notes.append((npa, "no state: geocoder text %r, no usable NPA-NXX entries" % text))
            return ""
        best = sorted(tally.items(), key=lambda item: (-item[1], item[0]))[0][0]
        reason = "NPA-level text %r spans several" % text if allowed else "no NPA-level text"
        detail = ", ".join("%s %d" % pair for pair in sorted(tally.items(), key=lambda p: (-p[1], p[0])))
        self.notes.append((npa, "%s; most common in NPA-NXX entries: %s (%s)" % (reason, best, detail)))
        return best


# --- the table ---------------------------------------------------------------


def scan_exchange(npa, nxx):
    """(region, kind, other_values, invalid_samples) for NPA-NXX, or None when no
    sample is valid.

    Region and kind come from the first valid line sample; other_values lists
    the other (region, kind) values that later valid samples gave, and
    invalid_samples the samples libphonenumber rejected in this exchange.
    """
    first = None
    others = set()
    invalid = []
    prefix = npa + nxx
    for line in LINE_SAMPLES:
        numobj = make_number(prefix + line)
        if not is_valid_number(numobj):
            invalid.append(line)
            continue
        value = (region_code_for_number(numobj), kind_of(numobj))
        if first is None:
            first = value
        elif value != first:
            others.add(value)
    if first is None:
        return None
    return first[0], first[1], sorted(others), invalid


def deeper_zone_prefixes():
    """Timezone prefixes longer than 1+NPA+NXX, grouped by NPA-NXX."""
    deeper = collections.defaultdict(list)
    for prefix in TIMEZONE_DATA:
        if prefix.startswith("1") and len(prefix) > 7:
            deeper[prefix[1:7]].append(prefix)
    return deeper


def exchange_zones(npa, nxx, deeper):
    """Zones of NPA-NXX; where the data splits an exchange further, the most
    common value over its sub-blocks."""
    prefix = "1" + npa + nxx
    if npa + nxx not in deeper:
        return zones_for_prefix(prefix)
    depth = TIMEZONE_LONGEST_PREFIX - 7
    tally = collections.Counter()
    for block in range(10 ** depth):
        tally[zones_for_prefix(prefix + str(block).zfill(depth))] += 1
    return sorted(tally.items(), key=lambda item: (-item[1], item[0] or ()))[0][0]


def ranges_text(values):
    """"200-210,212,214-999" for a sorted list of ints."""
    parts = []
    start = prev = None
    for value in values:
        if start is None:
            start = prev = value
        elif value == prev + 1:
            prev = value
        else:
            parts.append((start, prev))
            start = prev = value
    if start is not None:
        parts.append((start, prev))
    return ",".join(
        "%03d" % a if a == b else "%03d-%03d" % (a, b) for a, b in parts
    )


def majority(counter):
    """Most common key; ties broken by sort order. Returns (key, tied)."""
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    tied = len(ranked) > 1 and ranked[0][1] == ranked[1][1]
    return ranked[0][0], tied


def build_table(states):
    deeper = deeper_zone_prefixes()
    area_lines = []
    exchange_overrides = []
    zone_overrides = []
    stats = {
        "line_dependent": [],  # (npanxx, first, others)
        "partly_valid": [],  # (npanxx, rejected samples)
        "ties": [],
        "zone_ties": [],
        "npa_zone_fallback": [],
        "no_zones": [],
        "deeper": deeper,
        "per_region_kind": collections.Counter(),
    }
    for npa_int in range(200, 1000):
        npa = "%03d" % npa_int
        exchanges = {}
        for nxx_int in range(1000):
            nxx = "%03d" % nxx_int
            scanned = scan_exchange(npa, nxx)
            if scanned is None:
                continue
            region, kind, others, invalid = scanned
            exchanges[nxx_int] = (region, kind)
            if others:
                stats["line_dependent"].append((npa + nxx, (region, kind), others))
            if invalid:
                stats["partly_valid"].append((npa + nxx, invalid))
        if not exchanges:
            continue

        (region, kind), tied = majority(collections.Counter(exchanges.values()))
        if tied:
            stats["ties"].append(npa)
        stats["per_region_kind"][(region, kind)] += 1
        state = states.state(npa, region, kind)

        zones = ()
        if kind == "geographic":
            if "1" + npa in TIMEZONE_DATA:
                npa_zones = zones_for_prefix("1" + npa)
            else:
                tally = collections.Counter(
                    exchange_zones(npa, "%03d" % n, deeper)
                    for n, value in exchanges.items()
                    if value[1] == "geographic"
                )
                tally.pop(None, None)
                if tally:
                    npa_zones, zone_tied = majority(tally)
                    if zone_tied:
                        stats["zone_ties"].append(npa)
                    stats["npa_zone_fallback"].append((npa, npa_zones))
                else:
                    stats["no_zones"].append(npa)
                    npa_zones = ()
            zones = npa_zones

        area_lines.append("|".join([
            npa, region, kind, state, ",".join(zones), ranges_text(sorted(exchanges)),
        ]))

        for nxx_int in sorted(exchanges):
            nxx = "%03d" % nxx_int
            ex_region, ex_kind = exchanges[nxx_int]
            if (ex_region, ex_kind) != (region, kind):
                exchange_overrides.append("%s%s|%s|%s" % (npa, nxx, ex_region, ex_kind))
            if ex_kind != "geographic":
                continue
            ex_zones = exchange_zones(npa, nxx, deeper)
            if ex_zones is None:
                ex_zones = ()
            if ex_zones != zones:
                zone_overrides.append("%s%s|%s" % (npa, nxx, ",".join(ex_zones)))
    return area_lines, exchange_overrides, zone_overrides, stats


def swift_lines_literal(lines):
    body = "".join("    %s\n" % line for line in lines)
    return '"""\n' + body + '    """'


def render_swift(area_lines, exchange_overrides, zone_overrides):
    return (
        "// Generated by Scripts/generate-nanp-data.py from %s (libphonenumber metadata).\n"
        "// Do not edit by hand: change the script and run it again.\n"
        "\n"
        "extension AreaCodeData {\n"
        "  /// The numbering-data version this table was generated from.\n"
        "  static let sourceVersion = \"%s\"\n"
        "\n"
        "  /// One line per area code libphonenumber knows: `NPA|region|kind|state|zones|exchanges`.\n"
        "  static let areaCodeLines = %s\n"
        "\n"
        "  /// Exchanges whose region or kind differs from their area code's line: `NPANXX|region|kind`.\n"
        "  static let exchangeOverrideLines = %s\n"
        "\n"
        "  /// Exchanges whose time zones differ from their area code's line: `NPANXX|zones`.\n"
        "  static let zoneOverrideLines = %s\n"
        "}\n"
    ) % (
        SOURCE_VERSION,
        SOURCE_VERSION,
        swift_lines_literal(area_lines),
        swift_lines_literal(exchange_overrides),
        swift_lines_literal(zone_overrides),
    )


# --- the fixture --------------------------------------------------------------


def fixture_numbers():
    """About 400 10-digit numbers: random ones plus the cases worth pinning."""
    rng = random.Random(FIXTURE_SEED)

    def line():
        return "%04d" % rng.randint(0, 9999)

    def some(npa, count, nxx_low=200):
        return [npa + "%03d" % rng.randint(nxx_low, 999) + line() for _ in range(count)]

    numbers = set()
    for _ in range(250):
        numbers.add("%03d%03d%04d" % (rng.randint(200, 999), rng.randint(0, 999), rng.randint(0, 9999)))

    for npa in ("800", "833", "844", "855", "866", "877", "888"):
        numbers.update(some(npa, 3))
    numbers.update("80014%d" % d + line() for d in (0, 2, 7))  # 800-14X is DO
    numbers.update(some(npa, 1)[0] for npa in ("880", "881", "885", "887", "889"))
    numbers.update(some("900", 3))
    for npa in ("500", "521", "533", "622", "600"):
        numbers.update(some(npa, 3))
    for npa in ("787", "939", "340", "671", "684", "670"):
        numbers.update(some(npa, 2))
    for npa in ("876", "809", "242", "441"):
        numbers.update(some(npa, 3))
    numbers.add("8766060" + "%03d" % rng.randint(0, 999))  # 876-606-0XXX only
    numbers.add("8766061" + "%03d" % rng.randint(0, 999))

    # Multi-zone codes: exchanges the timezone data lists on their own.
    for npa in ("208", "605", "701", "907", "928", "812", "850"):
        own = sorted(p[1:] for p in TIMEZONE_DATA if p.startswith("1" + npa) and len(p) == 7)
        picked = rng.sample(own, min(4, len(own))) if own else []
        numbers.update(p + line() for p in picked)
        numbers.update(some(npa, 2))
    for npa in ("416", "604", "902", "867", "709"):
        numbers.update(some(npa, 3))
    for npa in ("911", "370", "960", "290", "123"):
        numbers.update(some(npa, 2, nxx_low=0))
    # Exchanges libphonenumber accepts but strict NANP rules reject.
    numbers.update(["2124111234", "2125550123", "3125550199", "2129111234", "2120551234"])
    return sorted(numbers)


def fixture_row(digits, states):
    numobj = make_number(digits)
    if not is_valid_number(numobj):
        return [digits, "false", "", "", "", ""], None
    region = region_code_for_number(numobj)
    kind = kind_of(numobj)
    zones = ""
    if kind == "geographic":
        # time_zones_for_number() would give every +1 zone to MOBILE-typed
        # Caribbean numbers (libphonenumber treats MOBILE as non-geographic
        # for +1), so ask for the prefix look-up directly.
        zones = ",".join(
            z for z in timezone.time_zones_for_geographical_number(numobj)
            if z != timezone.UNKNOWN_TIMEZONE
        )
    state = states.state(digits[:3], region, kind)
    # The per-number geocoder text, to spot exchanges in another state.
    local = state_code(geocoder.description_for_valid_number(numobj, "en", region=region))
    differs = state and local and local != state
    return [digits, "true", region or "", kind, state, zones], (digits, state, local) if differs else None


# --- main ---------------------------------------------------------------------


def write(relative_path, text):
    path = os.path.join(REPO_ROOT, relative_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    log("wrote %s (%d lines)" % (relative_path, text.count("\n")))


def main():
    started = time.monotonic()
    log("generate-nanp-data: %s, scanning NPA 200-999 x NXX 000-999 with line samples %s"
        % (SOURCE_VERSION, ",".join(LINE_SAMPLES)))
    states = StateResolver()
    area_lines, exchange_overrides, zone_overrides, stats = build_table(states)
    scanned = time.monotonic()
    log("scanned in %.1f s" % (scanned - started))
    write(SWIFT_OUT, render_swift(area_lines, exchange_overrides, zone_overrides))

    rows, state_mismatches = [], []
    for digits in fixture_numbers():
        row, mismatch = fixture_row(digits, states)
        rows.append("\t".join(row))
        if mismatch:
            state_mismatches.append(mismatch)
    header = "\t".join(["number", "valid", "region", "kind", "state", "zones"])
    write(FIXTURE_OUT, "\n".join([header] + rows) + "\n")
    valid_rows = sum(1 for row in rows if "\ttrue\t" in row)

    log()
    log("summary")
    log("  area codes: %d; exchange overrides: %d; zone overrides: %d"
        % (len(area_lines), len(exchange_overrides), len(zone_overrides)))
    log("  area codes per region/kind:")
    for (region, kind), count in sorted(stats["per_region_kind"].items(),
                                        key=lambda item: (-item[1], item[0])):
        log("    %s %s: %d" % (region, kind, count))
    override_kinds = collections.Counter(
        tuple(line.split("|")[1:]) for line in exchange_overrides)
    if override_kinds:
        log("  exchange overrides by region/kind: %s" % ", ".join(
            "%s %s %d" % (r, k, n) for (r, k), n in sorted(override_kinds.items())))
        by_npa = collections.Counter(line[:3] for line in exchange_overrides)
        log("  exchange overrides by NPA: %s" % ", ".join(
            "%s %d" % item for item in sorted(by_npa.items())))
    zone_npas = sorted({line[:3] for line in zone_overrides})
    log("  zone overrides in %d area codes: %s" % (len(zone_npas), " ".join(zone_npas)))
    if stats["line_dependent"]:
        log("  exchanges whose region/kind depends on the line number (first valid sample kept): %d"
            % len(stats["line_dependent"]))
        for npanxx, first, others in stats["line_dependent"]:
            log("    %s: %s/%s, also %s" % (npanxx, first[0], first[1],
                                              ", ".join("%s/%s" % o for o in others)))
    else:
        log("  no exchange has a region/kind that depends on the line number")
    if stats["partly_valid"]:
        log("  exchanges valid for some line samples only (kept as valid): %d: %s" % (
            len(stats["partly_valid"]), ", ".join(
                "%s (rejects %s)" % (npanxx, "/".join(lines))
                for npanxx, lines in stats["partly_valid"])))
    if stats["ties"]:
        log("  NPAs with a tied majority region/kind: %s" % " ".join(stats["ties"]))
    deeper = stats["deeper"]
    if deeper:
        log("  timezone prefixes deeper than 1+NPA+NXX (resolved to the most common value): %s"
            % ", ".join(sorted(p for prefixes in deeper.values() for p in prefixes)))
    else:
        log("  no timezone prefix is deeper than 1+NPA+NXX (longest for +1: %d digits)"
            % max(len(p) for p in TIMEZONE_DATA if p.startswith("1")))
    for npa, zones in stats["npa_zone_fallback"]:
        log("  %s has no NPA-level time zone: its line takes the most common exchange value %s"
            % (npa, ",".join(zones) or "(none)"))
    if stats["zone_ties"]:
        log("  NPAs with a tied most common zone value: %s" % " ".join(stats["zone_ties"]))
    if stats["no_zones"]:
        log("  geographic NPAs without any time zone: %s" % " ".join(stats["no_zones"]))
    for npa, note in sorted(states.notes):
        log("  state %s: %s" % (npa, note))
    if states.unmapped:
        log("  geocoder texts not mapped to a state code: %s" % "; ".join(
            "%r x%d" % item for item in sorted(states.unmapped.items())))
    else:
        log("  every geocoder text consulted mapped to a state code")
    log("  fixture: %d numbers, %d valid" % (len(rows), valid_rows))
    if state_mismatches:
        log("  fixture numbers whose own geocoder text names another state than their NPA: %s"
            % ", ".join("%s (%s, NPA %s)" % (d, local, st) for d, st, local in state_mismatches))
    log("done in %.1f s" % (time.monotonic() - started))


if __name__ == "__main__":
    main()
