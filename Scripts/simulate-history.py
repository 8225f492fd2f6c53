#!/usr/bin/env python3
"""Simulate call histories from a known process, with the best log-loss a model can attain on them.

    Scripts/simulate-history.py --out-history history.csv --out-lookup lookup.csv --out-bound bound.json
    Scripts/simulate-history.py --numbers 20000 --calls-per-number 1-8 --seed 11 \\
        --start 2026-09-01 --days 60 --out-history H.csv --out-lookup L.csv --out-bound B.json [--check]

For training and testing an answer-likelihood model: the files look like a dialer's call log and a
line-type vendor's lookup file, and the bound says how good any model reading them can be. All
randomness comes from one numpy Generator seeded by --seed [11]: the output depends only on the
options.

Generating process (defaults in brackets; every parameter is also written to the bound JSON)
--------------------------------------------------------------------------------------------
Numbers. --numbers [20000] distinct 10-digit numbers. Area code uniform over the real area codes of
  Scripts/gen-phonelist.py (215 US, 22 CA), exchange uniform over 200-999 less N11, line uniform over
  0000-9999 (never 555-01XX). Each number has, independently of its area code and of each other:
    line type T      mobile 0.60, landline 0.30, fixedVoip 0.05, nonFixedVoip 0.05
    random effect u  normal, mean 0, sd SIGMA = 0.8 (logit scale; the number's persistent propensity)
    disconnected D   probability 0.03
    looked up        probability 0.70 (whether the number appears in the lookup file)
  Time zone: by the state of the area code (ZONE_BY_STATE), except the codes in ZONE_BY_NPA whose
  city lies in another zone (219 Gary, 270 Bowling Green: Central; 423 Chattanooga, 865 Knoxville:
  Eastern; 915 El Paso: Mountain). Offsets follow the US/Canadian rules since 2007 (daylight time from
  the second Sunday of March to the first Sunday of November; none in AZ, HI, SK). Note that the
  NPA-level zones of Sources/NANP (from libphonenumber) differ for 219, 270 and 423 and list several
  zones for 208, 605, 701, 709, 775 and 907; the zone used here is the one of the code's city.

Calls. Each number gets K calls, K uniform over --calls-per-number [1-8, mean 4.5]. Each call,
  independently: a local date among the --days [60] dates from --start [2026-09-01], weighted
  Mon-Fri 1, Sat 0.5, Sun 0.25; a local hour h in 8..20 (so 08:00-20:59 local) with weights
  HOUR_WEIGHTS 5 8 10 10 9 9 10 10 10 9 8 6 4 (a dialer's day: ramping up in the morning, a dip at
  lunch, tapering after 18:00); the second within the hour uniform. The instant is that local time
  converted to UTC. Call times do not depend on anything hidden.

Outcomes. A disconnected number (D) gives `disconnected` on every call. For any other number, calls
  are independent given (T, u), and
      P(answered) = sigmoid(ALPHA[T] + HOUR_EFFECT[h] + WEEKEND_EFFECT * weekend + u)
  with HOUR_EFFECT +0.20 at 8-9, 0 at 10 and 14-15, -0.25 at 11-13 (midday), +0.30 at 16-18
  (evening), +0.10 at 19-20, and WEEKEND_EFFECT = +0.20 on Saturday and Sunday (local date; survey
  contact rates are higher on evenings and weekends). ALPHA[T] is solved (bisection) so that the
  answer rate of a live number of type T, averaged over u ~ N(0, SIGMA^2), the call-hour weights and
  the weekday weights (weekend share 0.75/5.75), equals TARGET_RATE[T]: mobile 0.19 (Pew Research
  2020: 19% of Americans answer their cellphone when an unknown number calls), landline 0.35,
  fixedVoip 0.30, nonFixedVoip 0.12, which averages 0.24 over the type mix (Hiya 2019: about 24% of
  calls from unidentified numbers are answered); this gives ALPHA = -1.714, -0.780, -1.039, -2.306.
  The previous outcomes of a number bear on its next call only through T and u (and D). A call
  that is not answered is, by type,
                    voicemail  no_answer  busy
      mobile          0.75       0.22     0.03
      landline        0.45       0.45     0.10
      fixedVoip       0.60       0.33     0.07
      nonFixedVoip    0.55       0.42     0.03

History CSV (--out-history): `phone,timestamp,outcome`, one row per call, sorted by time. The phone
  is written in a format drawn per row from gen-phonelist's human formats ((212) 555-1234,
  212-555-1234, 212.555.1234, +1 212 555 1234, 1-212-555-1234, 2125551234) or E.164 (+12125551234),
  so one number appears in several formats. The timestamp is ISO 8601 UTC with seconds and `Z`. The
  outcome word is the outcome, except: `answered` is written `human` with probability 0.15,
  `voicemail` is written `machine` with probability 0.15, and any row, with probability 0.005 and
  independently of everything, has its outcome replaced by a word that names none (`callback`,
  `pending`, `skipped`, `unknown`): its outcome is missing completely at random, so a reader must
  count and skip such rows.

Lookup CSV (--out-lookup): `phone,line_type,carrier` in E.164, shuffled, for the looked-up numbers
  (about 70%), with their true line type in vendor vocabulary (`mobile`, `landline`, `fixedVoip`,
  `nonFixedVoip`) and a carrier drawn given the line type and country only (so it adds nothing to the
  line type), plus 1% extra rows for toll-free numbers (`tollFree`) that never appear in the history.

Bound (--out-bound). The holdout is every call whose outcome word is known at or after
  holdout_start, 0.8 * --days days after 00:00 UTC of --start (the last 20% of the period by time).
  For each, the Bayes-optimal probability of `answered` given what a model can observe: the
  number's area code (so its local hour and weekday), the looked-up line type if the number has a
  lookup row, and the number's EARLIER rows in the history (holdout rows included). The hidden
  state (T, u, D) is integrated out:
    - D: an earlier `disconnected` means p = 0; an earlier known other outcome means the number is
      live; with no earlier known outcome, p = (1 - 0.03) * p_live.
    - (T, u): the prior is the lookup type (or the type mix when there is no lookup row) times
      N(0, SIGMA^2) on a grid of 201 points over [-5 SIGMA, 5 SIGMA]; each earlier known outcome
      multiplies it by its likelihood: p for answered, (1 - p) * split[T][outcome] otherwise (the
      non-answer kind says something about T when there is no lookup; unknown outcome words are
      skipped, as they are missing at random). p_live is the posterior mean of
      sigmoid(ALPHA[T] + HOUR_EFFECT[h] + WEEKEND_EFFECT * weekend + u).
  bayes_log_loss is the mean of -[y log p + (1 - y) log(1 - p)] over the holdout (y = answered).
  constant_log_loss is that of the best constant, the holdout's own answer rate (base_rate).
  oracle_log_loss is that of the true probability given the hidden (T, u, D): no model can see them.
  JSON: {"holdout_start", "holdout_calls", "bayes_log_loss", "base_rate", "constant_log_loss",
  "oracle_log_loss", "generating_process": {...}}.

--check reads the two CSV files back as a model would (normalizing the phones, mapping the synonyms,
counting unknown words), fits a logistic regression by Newton's method on the calls before
holdout_start (features: lookup type one-hot or none, local hour one-hot, weekend, and the number's
earlier known outcomes: attempts, answers, voicemails, busies, smoothed answer log-odds, none yet,
disconnected seen, and attempts, voicemails and busies again for numbers without a lookup row) and
prints its holdout log-loss next to the bound; exit 1 if its holdout differs from the bound's.
Standard library and numpy; about 3 s at the defaults with --check.
"""
import argparse
import csv
import datetime as dt
import importlib.util
import json
import os
import sys
import time

import numpy as np

sys.dont_write_bytecode = True  # no Scripts/__pycache__ from importing gen-phonelist.py
here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("gen_phonelist", os.path.join(here, "gen-phonelist.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

# ---- Parameters of the generating process -------------------------------------------------------

LINE_TYPES = ["mobile", "landline", "fixedVoip", "nonFixedVoip"]
TYPE_PRIOR = [0.60, 0.30, 0.05, 0.05]
TARGET_RATE = [0.19, 0.35, 0.30, 0.12]
SIGMA = 0.8
DISCONNECTED_SHARE = 0.03
LOOKUP_SHARE = 0.70
TOLL_FREE_EXTRA = 0.01

HOURS = list(range(8, 21))  # local hour of the call: 08:00-20:59
HOUR_WEIGHTS = [5, 8, 10, 10, 9, 9, 10, 10, 10, 9, 8, 6, 4]
HOUR_EFFECT = [0.20, 0.20, 0.0, -0.25, -0.25, -0.25, 0.0, 0.0, 0.30, 0.30, 0.30, 0.10, 0.10]
DAY_WEIGHTS = [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.25]  # Monday .. Sunday
WEEKEND_EFFECT = 0.20

NON_ANSWER = ["voicemail", "no_answer", "busy"]
NON_ANSWER_SPLIT = [
  [0.75, 0.22, 0.03],  # mobile
  [0.45, 0.45, 0.10],  # landline
  [0.60, 0.33, 0.07],  # fixedVoip
  [0.55, 0.42, 0.03],  # nonFixedVoip
]
OUTCOMES = ["answered"] + NON_ANSWER + ["disconnected"]  # codes 0..4
SYNONYM_SHARE = 0.15  # answered -> human, voicemail -> machine
SYNONYMS = {"human": "answered", "machine": "voicemail"}
UNKNOWN_SHARE = 0.005
UNKNOWN_WORDS = ["callback", "pending", "skipped", "unknown"]
HOLDOUT_FRACTION = 0.20
GRID_POINTS = 201

ZONE_BY_STATE = {
  **{s: "America/New_York" for s in
     "CT DC DE FL GA IN KY MA MD ME MI NC NH NJ NY OH PA RI SC VA VT WV".split()},
  **{s: "America/Chicago" for s in "AL AR IA IL KS LA MN MO MS ND NE OK SD TN TX WI".split()},
  **{s: "America/Denver" for s in "CO MT NM UT WY".split()},
  "ID": "America/Boise", "AZ": "America/Phoenix",
  **{s: "America/Los_Angeles" for s in "CA NV OR WA".split()},
  "AK": "America/Anchorage", "HI": "Pacific/Honolulu",
  "ON": "America/Toronto", "QC": "America/Toronto", "MB": "America/Winnipeg",
  "SK": "America/Regina", "AB": "America/Edmonton", "BC": "America/Vancouver",
  "NB": "America/Halifax", "NS": "America/Halifax", "NL": "America/St_Johns",
}
ZONE_BY_NPA = {"219": "America/Chicago", "270": "America/Chicago", "423": "America/New_York",
               "865": "America/New_York", "915": "America/Denver"}
# Standard UTC offset in hours and whether daylight time (+1 h) applies.
ZONE_RULES = {
  "America/New_York": (-5, True), "America/Toronto": (-5, True), "America/Chicago": (-6, True),
  "America/Winnipeg": (-6, True), "America/Regina": (-6, False), "America/Denver": (-7, True),
  "America/Boise": (-7, True), "America/Edmonton": (-7, True), "America/Phoenix": (-7, False),
  "America/Los_Angeles": (-8, True), "America/Vancouver": (-8, True),
  "America/Anchorage": (-9, True), "Pacific/Honolulu": (-10, False),
  "America/Halifax": (-4, True), "America/St_Johns": (-3.5, True),
}

CARRIERS = {  # (line type, country) -> carriers, drawn uniformly
  ("mobile", "US"): ["Verizon Wireless", "T-Mobile USA", "AT&T Mobility", "US Cellular"],
  ("mobile", "CA"): ["Rogers Wireless", "Bell Mobility", "Telus Mobility"],
  ("landline", "US"): ["AT&T", "Verizon", "Lumen Technologies", "Frontier Communications",
                       "Windstream"],
  ("landline", "CA"): ["Bell Canada", "Telus Communications"],
  ("fixedVoip", "US"): ["Comcast Cable", "Charter Communications", "Cox Communications", "Vonage"],
  ("fixedVoip", "CA"): ["Rogers Communications", "Videotron"],
  ("nonFixedVoip", "US"): ["Google Voice (Bandwidth.com)", "Twilio", "TextNow (Onvoy)"],
  ("nonFixedVoip", "CA"): ["Twilio", "TextNow (Onvoy)"],
}
TOLL_FREE_NPAS = ["800", "833", "844", "855", "866", "877", "888"]
TOLL_FREE_CARRIERS = ["AT&T", "Verizon Business", "Lumen Technologies"]

PHONE_FORMATS = [(w, f) for w, f in gen.VALID_FORMATS[:6]] + [(10, lambda a, e, l: f"+1{a}{e}{l}")]


def sigmoid(x):
  return 1.0 / (1.0 + np.exp(-x))


def u_grid():
  """The grid over the random effect and its normalized N(0, SIGMA^2) weights."""
  u = np.linspace(-5 * SIGMA, 5 * SIGMA, GRID_POINTS)
  w = np.exp(-0.5 * (u / SIGMA) ** 2)
  return u, w / w.sum()


def solve_alphas():
  """ALPHA[T] such that the average answer rate of a live type-T number is TARGET_RATE[T]."""
  u, wu = u_grid()
  hw = np.array(HOUR_WEIGHTS, float) / sum(HOUR_WEIGHTS)
  weekend_share = sum(DAY_WEIGHTS[5:]) / sum(DAY_WEIGHTS)
  shifts, weights = [], []
  for h in range(len(HOURS)):
    for wk, pw in ((0, 1 - weekend_share), (1, weekend_share)):
      shifts.append(HOUR_EFFECT[h] + WEEKEND_EFFECT * wk)
      weights.append(hw[h] * pw)
  shifts, weights = np.array(shifts), np.array(weights)

  def rate(alpha):
    return float(weights @ (sigmoid(alpha + shifts[:, None] + u[None, :]) @ wu))

  alphas = []
  for target in TARGET_RATE:
    lo, hi = -10.0, 10.0
    for _ in range(80):
      mid = 0.5 * (lo + hi)
      lo, hi = (mid, hi) if rate(mid) < target else (lo, mid)
    alphas.append(0.5 * (lo + hi))
  return alphas


def area_codes():
  """[(npa, city, state, country, zone)] of gen-phonelist's US and CA area codes."""
  entries = gen.parse_area_codes(gen.US_AREA_CODES, "US") + gen.parse_area_codes(gen.CA_AREA_CODES, "CA")
  return [(npa, city, state, country, ZONE_BY_NPA.get(npa, ZONE_BY_STATE[state]))
          for npa, city, state, country in entries]


def utc_offsets(zones, first_day, days):
  """Seconds to add to UTC to get local time, per zone and local date (at 08:00-21:00 local)."""
  year_rules = {}

  def dst_dates(year):
    if year not in year_rules:
      march = dt.date(year, 3, 1)
      second_sunday = march + dt.timedelta(days=(6 - march.weekday()) % 7 + 7)
      november = dt.date(year, 11, 1)
      first_sunday = november + dt.timedelta(days=(6 - november.weekday()) % 7)
      year_rules[year] = (second_sunday, first_sunday)
    return year_rules[year]

  offsets = np.zeros((len(zones), days))
  for d in range(days):
    date = first_day + dt.timedelta(days=d)
    begin, end = dst_dates(date.year)
    in_dst = begin <= date < end
    for z, zone in enumerate(zones):
      standard, observes = ZONE_RULES[zone]
      offsets[z, d] = (standard + (1 if observes and in_dst else 0)) * 3600
  return offsets


def parse_range(text):
  parts = text.replace("..", "-").split("-")
  lo, hi = (int(parts[0]), int(parts[-1]))
  if lo < 1 or hi < lo:
    raise argparse.ArgumentTypeError(f"bad range {text!r} (want MIN-MAX, 1 <= MIN <= MAX)")
  return lo, hi


def iso(seconds):
  return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- Simulation ---------------------------------------------------------------------------------

def simulate(args):
  rng = np.random.default_rng(args.seed)
  alphas = np.array(solve_alphas())
  areas = area_codes()
  zones = sorted({a[4] for a in areas})
  area_zone = np.array([zones.index(a[4]) for a in areas])
  n = args.numbers

  # Numbers: distinct (area, exchange, line).
  exchanges = np.array([e for e in range(200, 1000) if e % 100 != 11])
  npa_idx = rng.integers(len(areas), size=n)
  exch = exchanges[rng.integers(len(exchanges), size=n)]
  line = rng.integers(10000, size=n)
  while True:
    line = np.where((exch == 555) & (line // 100 == 1), line + 1000, line)
    key = npa_idx * 10_000_000 + exch * 10_000 + line
    _, first = np.unique(key, return_index=True)
    dup = np.ones(n, bool)
    dup[first] = False
    if not dup.any():
      break
    line[dup] = rng.integers(10000, size=int(dup.sum()))
  ltype = rng.choice(4, size=n, p=TYPE_PRIOR)
  u = rng.normal(0.0, SIGMA, size=n)
  disc = rng.random(n) < DISCONNECTED_SHARE
  looked_up = rng.random(n) < LOOKUP_SHARE
  lo, hi = args.calls_per_number
  k = rng.integers(lo, hi + 1, size=n)

  # Calls.
  calls = int(k.sum())
  num = np.repeat(np.arange(n), k)
  start = dt.date.fromisoformat(args.start)
  weekday = np.array([(start + dt.timedelta(days=d)).weekday() for d in range(args.days)])
  dw = np.array(DAY_WEIGHTS)[weekday]
  day = rng.choice(args.days, size=calls, p=dw / dw.sum())
  hour_i = rng.choice(len(HOURS), size=calls, p=np.array(HOUR_WEIGHTS) / sum(HOUR_WEIGHTS))
  second = rng.integers(3600, size=calls)
  start_epoch = int(dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone.utc).timestamp())
  offsets = utc_offsets(zones, start, args.days)
  zone_i = area_zone[npa_idx[num]]
  local = start_epoch + day * 86400 + (np.array(HOURS)[hour_i]) * 3600 + second
  ts = (local - offsets[zone_i, day]).astype(np.int64)
  weekend = (weekday[day] >= 5).astype(float)

  logit = alphas[ltype[num]] + np.array(HOUR_EFFECT)[hour_i] + WEEKEND_EFFECT * weekend + u[num]
  p_true = sigmoid(logit)
  answered = rng.random(calls) < p_true
  split = np.cumsum(np.array(NON_ANSWER_SPLIT)[ltype[num]], axis=1)
  kind = 1 + (rng.random(calls)[:, None] > split[:, :2]).sum(axis=1)  # 1 voicemail, 2 no_answer, 3 busy
  outcome = np.where(answered, 0, kind)
  outcome = np.where(disc[num], 4, outcome)
  p_true = np.where(disc[num], 0.0, p_true)

  # Recording: phone format, synonyms, unknown words.
  fmt_w = np.array([w for w, _ in PHONE_FORMATS], float)
  fmt_i = rng.choice(len(PHONE_FORMATS), size=calls, p=fmt_w / fmt_w.sum())
  synonym = rng.random(calls) < SYNONYM_SHARE
  unknown = rng.random(calls) < UNKNOWN_SHARE
  unknown_word = rng.integers(len(UNKNOWN_WORDS), size=calls)

  # Lookup extras.
  carrier_draw = rng.random(n)
  extra = int(round(TOLL_FREE_EXTRA * looked_up.sum()))
  tf_npa = rng.integers(len(TOLL_FREE_NPAS), size=extra)
  tf_rest = rng.integers(2_000_000, 10_000_000, size=extra)
  tf_carrier = rng.integers(len(TOLL_FREE_CARRIERS), size=extra)
  lookup_order = rng.permutation(int(looked_up.sum()) + extra)

  sim = dict(alphas=alphas, areas=areas, zones=zones, zone_i=zone_i, npa_idx=npa_idx, exch=exch,
             line=line, ltype=ltype, u=u, disc=disc, looked_up=looked_up, num=num, ts=ts,
             hour_i=hour_i, weekend=weekend, outcome=outcome, p_true=p_true, fmt_i=fmt_i,
             synonym=synonym, unknown=unknown, unknown_word=unknown_word, carrier_draw=carrier_draw,
             tf=(tf_npa, tf_rest, tf_carrier), lookup_order=lookup_order, start_epoch=start_epoch,
             offsets=offsets)
  return sim


def write_history(sim, path):
  areas, npa_idx, exch, line = sim["areas"], sim["npa_idx"], sim["exch"], sim["line"]
  order = np.lexsort((sim["num"], sim["ts"]))
  formats = [f for _, f in PHONE_FORMATS]
  out = ["phone,timestamp,outcome\n"]
  num, ts, outcome = sim["num"], sim["ts"], sim["outcome"]
  fmt_i, synonym, unknown, unknown_word = sim["fmt_i"], sim["synonym"], sim["unknown"], sim["unknown_word"]
  npa_text = [a[0] for a in areas]
  epoch_date = dt.date(1970, 1, 1)
  day_text = {}
  for c in order.tolist():
    i = num[c]
    phone = formats[fmt_i[c]](npa_text[npa_idx[i]], str(exch[i]), f"{line[i]:04d}")
    if '"' in phone or "," in phone:
      phone = '"' + phone.replace('"', '""') + '"'
    t = int(ts[c])
    d = t // 86400
    if d not in day_text:
      day_text[d] = (epoch_date + dt.timedelta(days=d)).isoformat()
    r = t % 86400
    stamp = f"{day_text[d]}T{r // 3600:02d}:{r // 60 % 60:02d}:{r % 60:02d}Z"
    o = OUTCOMES[outcome[c]]
    if unknown[c]:
      o = UNKNOWN_WORDS[unknown_word[c]]
    elif synonym[c] and o == "answered":
      o = "human"
    elif synonym[c] and o == "voicemail":
      o = "machine"
    out.append(f"{phone},{stamp},{o}\n")
  with open(path, "w", encoding="utf-8", newline="") as f:
    f.write("".join(out))


def write_lookup(sim, path):
  areas, npa_idx, exch, line = sim["areas"], sim["npa_idx"], sim["exch"], sim["line"]
  rows = []
  for i in np.flatnonzero(sim["looked_up"]).tolist():
    area = areas[npa_idx[i]]
    t = LINE_TYPES[sim["ltype"][i]]
    carriers = CARRIERS[(t, area[3])]
    carrier = carriers[int(sim["carrier_draw"][i] * len(carriers))]
    rows.append((f"+1{area[0]}{exch[i]}{line[i]:04d}", t, carrier))
  tf_npa, tf_rest, tf_carrier = sim["tf"]
  for a, r, c in zip(tf_npa.tolist(), tf_rest.tolist(), tf_carrier.tolist()):
    rows.append((f"+1{TOLL_FREE_NPAS[a]}{r}", "tollFree", TOLL_FREE_CARRIERS[c]))
  rows = [rows[j] for j in sim["lookup_order"].tolist()]
  with open(path, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["phone", "line_type", "carrier"])
    w.writerows(rows)


# ---- Bound --------------------------------------------------------------------------------------

def bayes_predictions(num, order_key, lookup_type, hour_i, weekend, outcome_obs, scored, alphas, n):
  """Bayes p(answered) for the calls where `scored`, given each number's earlier observed outcomes.

  num: number index per call; order_key: time per call; lookup_type: per number, 0..3 or -1 (none);
  outcome_obs: per call 0..4, or -1 for an unknown word. Returns an array with NaN where not scored.
  """
  u, wu = u_grid()
  split = np.array(NON_ANSWER_SPLIT)
  order = np.lexsort((np.arange(len(num)), order_key, num))
  counts = np.bincount(num, minlength=n)
  firsts = np.concatenate([[0], np.cumsum(counts)[:-1]])
  rank = np.arange(len(num)) - np.repeat(firsts, counts)
  calls_by_rank = np.full((n, counts.max() if n else 0), -1, np.int64)
  calls_by_rank[num[order], rank] = order
  prior_t = np.where(lookup_type[:, None] >= 0,
                     (lookup_type[:, None] == np.arange(4)[None, :]).astype(float),
                     np.array(TYPE_PRIOR)[None, :])
  p = np.full(len(num), np.nan)
  chunk = 4096
  for lo in range(0, n, chunk):
    hi = min(n, lo + chunk)
    post = prior_t[lo:hi, :, None] * wu[None, None, :]
    seen_known = np.zeros(hi - lo, bool)
    seen_disc = np.zeros(hi - lo, bool)
    for r in range(calls_by_rank.shape[1]):
      c = calls_by_rank[lo:hi, r]
      rows = np.flatnonzero(c >= 0)
      if rows.size == 0:
        break
      c = c[rows]
      shift = np.array(HOUR_EFFECT)[hour_i[c]] + WEEKEND_EFFECT * weekend[c]
      ps = sigmoid(alphas[None, :, None] + shift[:, None, None] + u[None, None, :])  # (m, 4, G)
      pr = post[rows]
      p_live = (pr * ps).sum(axis=(1, 2)) / pr.sum(axis=(1, 2))
      pred = np.where(seen_disc[rows], 0.0,
                      np.where(seen_known[rows], p_live, (1 - DISCONNECTED_SHARE) * p_live))
      sc = scored[c]
      p[c[sc]] = pred[sc]
      o = outcome_obs[c]
      like = np.ones_like(ps)
      ans = o == 0
      like[ans] = ps[ans]
      for j in (1, 2, 3):
        m = o == j
        like[m] = (1 - ps[m]) * split[None, :, j - 1, None]
      upd = pr * like
      upd /= upd.sum(axis=(1, 2), keepdims=True)
      post[rows] = upd
      seen_known[rows] |= o >= 0
      seen_disc[rows] |= o == 4
  return p


def log_loss(p, y):
  if p.size == 0:
    return None
  p = np.clip(p, 1e-15, 1 - 1e-15)
  return float(-np.mean(np.where(y, np.log(p), np.log1p(-p))))


def bound(sim, args):
  n = args.numbers
  holdout_start = sim["start_epoch"] + int(round((1 - HOLDOUT_FRACTION) * args.days * 86400))
  outcome_obs = np.where(sim["unknown"], -1, sim["outcome"])
  scored = (sim["ts"] >= holdout_start) & (outcome_obs >= 0)
  lookup_type = np.where(sim["looked_up"], sim["ltype"], -1)
  p = bayes_predictions(sim["num"], sim["ts"], lookup_type, sim["hour_i"], sim["weekend"],
                        outcome_obs, scored, sim["alphas"], n)
  y = outcome_obs[scored] == 0
  base_rate = float(y.mean()) if y.size else None
  return dict(
    holdout_start=iso(holdout_start),
    holdout_calls=int(scored.sum()),
    bayes_log_loss=log_loss(p[scored], y),
    base_rate=base_rate,
    constant_log_loss=log_loss(np.full(y.size, base_rate if y.size else 0.5), y),
    oracle_log_loss=log_loss(sim["p_true"][scored], y),
  ), holdout_start


def generating_process(sim, args):
  return {
    "numbers": args.numbers, "calls_per_number": list(args.calls_per_number), "seed": args.seed,
    "start": args.start, "days": args.days,
    "line_types": LINE_TYPES, "line_type_prior": TYPE_PRIOR,
    "target_answer_rate": dict(zip(LINE_TYPES, TARGET_RATE)),
    "alpha": dict(zip(LINE_TYPES, [round(a, 6) for a in sim["alphas"].tolist()])),
    "random_effect_sd": SIGMA, "disconnected_share": DISCONNECTED_SHARE,
    "hours": HOURS, "hour_weights": HOUR_WEIGHTS, "hour_effect": HOUR_EFFECT,
    "day_weights_mon_to_sun": DAY_WEIGHTS, "weekend_effect": WEEKEND_EFFECT,
    "non_answer_outcomes": NON_ANSWER,
    "non_answer_split": dict(zip(LINE_TYPES, NON_ANSWER_SPLIT)),
    "synonym_share": SYNONYM_SHARE, "synonyms": SYNONYMS,
    "unknown_share": UNKNOWN_SHARE, "unknown_words": UNKNOWN_WORDS,
    "lookup_share": LOOKUP_SHARE, "toll_free_extra_lookup_share": TOLL_FREE_EXTRA,
    "holdout_fraction": HOLDOUT_FRACTION, "grid_points": GRID_POINTS, "grid_range_sd": 5,
    "zone_by_state": ZONE_BY_STATE, "zone_by_npa": ZONE_BY_NPA,
    "model": "P(answered) = sigmoid(alpha[type] + hour_effect[hour] + weekend_effect*weekend + u), "
             "u ~ N(0, sd^2) per number; disconnected numbers always 'disconnected'",
  }


# ---- Check: read the files back and fit a logistic regression -----------------------------------

def check(args, holdout_start, result):
  areas = area_codes()
  zones = sorted({a[4] for a in areas})
  npa_zone = {a[0]: zones.index(a[4]) for a in areas}
  start = dt.date.fromisoformat(args.start)
  offsets = utc_offsets(zones, start - dt.timedelta(days=1), args.days + 2).astype(np.int64)
  start_epoch = int(dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone.utc).timestamp())

  def digits(text):
    d = "".join(ch for ch in text if ch.isdigit())
    return d[1:] if len(d) == 11 and d[0] == "1" else d

  lookup = {}
  with open(args.out_lookup, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
      lookup[digits(row["phone"])] = row["line_type"]
  words = {"answered": 0, "human": 0, "voicemail": 1, "machine": 1, "no_answer": 2, "busy": 3,
           "disconnected": 4}
  phones, stamps, outs, unknown = [], [], [], 0
  with open(args.out_history, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
      o = words.get(row["outcome"].strip().lower(), -1)
      unknown += o < 0
      phones.append(digits(row["phone"]))
      stamps.append(row["timestamp"].rstrip("Z"))
      outs.append(o)
  ids = {}
  num = np.array([ids.setdefault(ph, len(ids)) for ph in phones])
  n = len(ids)
  keys = list(ids)
  ts = np.array(stamps, dtype="datetime64[s]").astype(np.int64)
  outs = np.array(outs)
  zone = np.array([npa_zone[k[:3]] for k in keys])[num]
  day_utc = (ts - start_epoch) // 86400 + 1  # index into offsets (which start a day early)
  local = ts + offsets[zone, np.clip(day_utc, 0, args.days + 1)]
  # The offset was taken for the UTC date; redo it for the local date (they differ near midnight).
  day_local = (local - start_epoch) // 86400 + 1
  local = ts + offsets[zone, np.clip(day_local, 0, args.days + 1)]
  hour = (local % 86400) // 3600
  weekend = (((local // 86400) + 3) % 7 >= 5).astype(float)  # 1970-01-01 was a Thursday
  ltype_names = LINE_TYPES
  lt = np.array([ltype_names.index(lookup[k]) if k in lookup else -1 for k in keys])

  # Earlier known outcomes per call, in time order within each number.
  order = np.lexsort((np.arange(len(num)), ts, num))
  att = np.zeros(len(num)); ans = np.zeros(len(num)); vm = np.zeros(len(num))
  busy = np.zeros(len(num)); dis = np.zeros(len(num))
  state = {}
  for c in order.tolist():
    s = state.setdefault(num[c], [0, 0, 0, 0, 0])
    att[c], ans[c], vm[c], busy[c], dis[c] = s
    o = outs[c]
    if o >= 0:
      s[0] += 1
      s[1] += o == 0
      s[2] += o == 1
      s[3] += o == 3
      s[4] += o == 4
  cols = [np.ones(len(num))]
  cols += [(lt[num] == t).astype(float) for t in range(4)]  # lookup none is the base
  cols += [(hour == h).astype(float) for h in HOURS[1:]]
  cols += [weekend, att, ans, vm, busy, np.log((ans + 0.5) / (att - ans + 0.5)),
           (att == 0).astype(float), (dis > 0).astype(float)]
  none = (lt[num] < 0).astype(float)
  cols += [none * vm, none * busy, none * att]
  X = np.column_stack(cols)
  y = (outs == 0).astype(float)
  known = outs >= 0
  train = known & (ts < holdout_start)
  test = known & (ts >= holdout_start)
  beta = np.zeros(X.shape[1])
  Xt, yt = X[train], y[train]
  for _ in range(50):
    pt = sigmoid(Xt @ beta)
    g = Xt.T @ (pt - yt) + 1e-3 * beta
    H = (Xt * (pt * (1 - pt))[:, None]).T @ Xt + 1e-3 * np.eye(X.shape[1])
    step = np.linalg.solve(H, g)
    beta -= step
    if np.abs(step).max() < 1e-9:
      break
  ll = log_loss(sigmoid(X[test] @ beta), y[test] > 0)
  bayes = result["bayes_log_loss"]
  print(f"check: read {len(outs):,} rows ({unknown:,} unknown outcome words skipped), {n:,} numbers, "
        f"{len(lookup):,} lookup rows; logistic fit on {int(train.sum()):,} calls: holdout log-loss "
        f"{ll:.4f} on {int(test.sum()):,} calls vs bound {bayes:.4f} (+{100 * (ll / bayes - 1):.2f}%), "
        f"constant {result['constant_log_loss']:.4f}")
  if int(test.sum()) != result["holdout_calls"]:
    print(f"check: holdout count differs from the bound's ({result['holdout_calls']})", file=sys.stderr)
    return 1
  return 0


def main():
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("--numbers", type=int, default=20000)
  parser.add_argument("--calls-per-number", type=parse_range, default=(1, 8), metavar="MIN-MAX")
  parser.add_argument("--seed", type=int, default=11)
  parser.add_argument("--start", default="2026-09-01", help="first local date (YYYY-MM-DD)")
  parser.add_argument("--days", type=int, default=60)
  parser.add_argument("--out-history", help="history CSV (phone,timestamp,outcome)")
  parser.add_argument("--out-lookup", help="lookup CSV (phone,line_type,carrier)")
  parser.add_argument("--out-bound", help="bound JSON")
  parser.add_argument("--check", action="store_true",
                      help="read the CSVs back, fit a logistic regression, compare with the bound")
  args = parser.parse_args()
  if args.numbers < 1 or args.days < 1:
    parser.error("--numbers and --days must be positive")
  try:
    dt.date.fromisoformat(args.start)
  except ValueError:
    parser.error(f"--start: not a YYYY-MM-DD date: {args.start!r}")
  if args.check and not (args.out_history and args.out_lookup):
    parser.error("--check needs --out-history and --out-lookup")

  began = time.perf_counter()
  sim = simulate(args)
  if args.out_history:
    write_history(sim, args.out_history)
  if args.out_lookup:
    write_lookup(sim, args.out_lookup)
  result, holdout_start = bound(sim, args)
  result["generating_process"] = generating_process(sim, args)
  if args.out_bound:
    with open(args.out_bound, "w", encoding="utf-8") as f:
      json.dump(result, f, indent=2)
      f.write("\n")
  elapsed = time.perf_counter() - began
  if not result["holdout_calls"]:
    print(f"simulate-history: {len(sim['num']):,} calls, none in the holdout (from "
          f"{result['holdout_start']}); {elapsed:.1f} s")
    return 0
  print(f"simulate-history: {args.numbers:,} numbers, {len(sim['num']):,} calls; holdout from "
        f"{result['holdout_start']}: {result['holdout_calls']:,} calls, base rate "
        f"{result['base_rate']:.4f}, Bayes log-loss {result['bayes_log_loss']:.4f} vs constant "
        f"{result['constant_log_loss']:.4f} (oracle {result['oracle_log_loss']:.4f}); {elapsed:.1f} s")
  if args.check:
    return check(args, holdout_start, result)
  return 0


if __name__ == "__main__":
  sys.exit(main())
