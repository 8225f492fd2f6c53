#!/usr/bin/env python3
"""Generate a realistic, messy lead-list CSV for benchmarks and end-to-end runs.

Columns as in a CRM export (the phone is the 6th):

  id,first_name,last_name,email,company,phone,city,state,notes

About 93 bytes a row (1,000,000 rows is about 93 MB). The phone column mixes:

  ~87%  valid US/CA numbers on real geographic area codes (about 90% US,
        10% CA), exchange 200-999 (no N11, no 555-01XX), in the formats
        (212) 555-1234 · 212-555-1234 · 212.555.1234 · +1 212 555 1234 ·
        1-212-555-1234 · 2125551234 · 2125551234.0 · '2125551234,
        about 3% of them with an extension (x123, ext. 45, #12)
   ~8%  repeats of an earlier number written in another format
   ~5%  invalid: 7 digits, N/A and similar words, empty, too long,
        area code 123 or 999, N11 exchange, 555-01XX

Notes are often empty, sometimes quoted because they hold commas or quotes,
and rarely (about 1 row in 2,000) hold a newline inside quotes.

The output depends only on --rows and --seed. Standard library only.

  Scripts/gen-phonelist.py --rows 1000000 --seed 42 --out leads.csv
  Scripts/gen-phonelist.py --rows 20 | head
"""

import argparse
import os
import random
import sys

# Real geographic area codes with a city and state in their area.
US_AREA_CODES = """
201 Jersey City NJ|202 Washington DC|203 New Haven CT|205 Birmingham AL|206 Seattle WA
207 Portland ME|208 Boise ID|209 Stockton CA|210 San Antonio TX|212 New York NY
213 Los Angeles CA|214 Dallas TX|215 Philadelphia PA|216 Cleveland OH|217 Springfield IL
218 Duluth MN|219 Gary IN|224 Evanston IL|225 Baton Rouge LA|228 Gulfport MS
229 Albany GA|231 Muskegon MI|239 Fort Myers FL|240 Rockville MD|248 Troy MI
251 Mobile AL|252 Greenville NC|253 Tacoma WA|254 Waco TX|256 Huntsville AL
260 Fort Wayne IN|262 Kenosha WI|267 Philadelphia PA|269 Kalamazoo MI|270 Bowling Green KY
281 Houston TX|301 Bethesda MD|302 Wilmington DE|303 Denver CO|304 Charleston WV
305 Miami FL|307 Cheyenne WY|308 North Platte NE|309 Peoria IL|310 Santa Monica CA
312 Chicago IL|313 Detroit MI|314 St. Louis MO|315 Syracuse NY|316 Wichita KS
317 Indianapolis IN|318 Shreveport LA|319 Cedar Rapids IA|320 St. Cloud MN|321 Orlando FL
323 Los Angeles CA|325 Abilene TX|330 Akron OH|334 Montgomery AL|336 Greensboro NC
337 Lafayette LA|347 Brooklyn NY|352 Gainesville FL|360 Olympia WA|361 Corpus Christi TX
385 Provo UT|386 Daytona Beach FL|401 Providence RI|402 Omaha NE|404 Atlanta GA
405 Oklahoma City OK|406 Billings MT|407 Orlando FL|408 San Jose CA|409 Beaumont TX
410 Baltimore MD|412 Pittsburgh PA|413 Springfield MA|414 Milwaukee WI|415 San Francisco CA
417 Springfield MO|419 Toledo OH|423 Chattanooga TN|425 Bellevue WA|432 Midland TX
434 Lynchburg VA|435 St. George UT|440 Lorain OH|443 Baltimore MD|469 Plano TX
470 Atlanta GA|478 Macon GA|479 Fort Smith AR|480 Mesa AZ|484 Allentown PA
501 Little Rock AR|502 Louisville KY|503 Portland OR|504 New Orleans LA|505 Albuquerque NM
507 Rochester MN|508 Worcester MA|509 Spokane WA|510 Oakland CA|512 Austin TX
513 Cincinnati OH|515 Des Moines IA|516 Hempstead NY|517 Lansing MI|518 Albany NY
520 Tucson AZ|530 Redding CA|540 Roanoke VA|541 Eugene OR|551 Hackensack NJ
559 Fresno CA|561 West Palm Beach FL|562 Long Beach CA|563 Davenport IA|570 Scranton PA
571 Arlington VA|573 Columbia MO|574 South Bend IN|585 Rochester NY|586 Warren MI
601 Jackson MS|602 Phoenix AZ|603 Manchester NH|605 Sioux Falls SD|606 Ashland KY
607 Binghamton NY|608 Madison WI|609 Trenton NJ|610 Reading PA|612 Minneapolis MN
614 Columbus OH|615 Nashville TN|616 Grand Rapids MI|617 Boston MA|619 San Diego CA
626 Pasadena CA|630 Aurora IL|631 Islip NY|646 New York NY|650 San Mateo CA
651 St. Paul MN|661 Bakersfield CA|678 Atlanta GA|682 Fort Worth TX|701 Fargo ND
702 Las Vegas NV|703 Arlington VA|704 Charlotte NC|706 Augusta GA|707 Santa Rosa CA
708 Cicero IL|713 Houston TX|714 Anaheim CA|716 Buffalo NY|717 Harrisburg PA
718 Brooklyn NY|719 Colorado Springs CO|720 Denver CO|727 St. Petersburg FL|732 New Brunswick NJ
734 Ann Arbor MI|757 Norfolk VA|760 Oceanside CA|770 Marietta GA|773 Chicago IL
775 Reno NV|781 Waltham MA|785 Topeka KS|786 Miami FL|801 Salt Lake City UT
802 Burlington VT|803 Columbia SC|804 Richmond VA|805 Santa Barbara CA|806 Lubbock TX
808 Honolulu HI|813 Tampa FL|816 Kansas City MO|817 Fort Worth TX|818 Burbank CA
832 Houston TX|843 Charleston SC|847 Skokie IL|850 Tallahassee FL|857 Boston MA
858 San Diego CA|859 Lexington KY|860 Hartford CT|864 Greenville SC|865 Knoxville TN
901 Memphis TN|904 Jacksonville FL|907 Anchorage AK|909 San Bernardino CA|913 Overland Park KS
914 Yonkers NY|915 El Paso TX|916 Sacramento CA|917 New York NY|918 Tulsa OK
919 Raleigh NC|925 Concord CA|949 Irvine CA|952 Bloomington MN|954 Fort Lauderdale FL
970 Fort Collins CO|971 Portland OR|972 Dallas TX|973 Newark NJ|980 Charlotte NC
"""

CA_AREA_CODES = """
204 Winnipeg MB|226 London ON|236 Vancouver BC|250 Victoria BC|289 Hamilton ON
306 Regina SK|403 Calgary AB|416 Toronto ON|418 Quebec City QC|438 Montreal QC
450 Laval QC|506 Moncton NB|514 Montreal QC|519 Windsor ON|587 Edmonton AB
604 Vancouver BC|613 Ottawa ON|647 Toronto ON|709 St. John's NL|780 Edmonton AB
902 Halifax NS|905 Mississauga ON
"""

FIRST_NAMES = (
  "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
  "Richard Susan Joseph Jessica Thomas Sarah Chris Karen Daniel Lisa Matthew Nancy Anthony "
  "Betty Mark Sandra Paul Ashley Steven Emily Andrew Donna Joshua Michelle Kevin Carol Brian "
  "Amanda Ryan Melissa Jacob Deborah Gary Laura Eric Rebecca Jason Sharon Luis Maria Wei Priya "
  "Ahmed Sofia Olivier Chloe Mateo Isabelle Raj Mei Noah Emma Liam Ava Ethan Mia"
).split()

LAST_NAMES = (
  "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
  "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
  "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
  "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Tremblay Gagnon "
  "Roy Cote Bouchard Patel Chen Kim Singh O'Brien"
).split()

COMPANY_WORDS = (
  "Acme Summit Pioneer Apex Bluewater Cedar Harbor Keystone Lakeside Meridian Northstar "
  "Oakridge Pinnacle Redwood Silverline Trident Vertex Granite Evergreen Horizon Liberty "
  "Maple Prairie Sterling Union Westfield"
).split()
COMPANY_KINDS = (
  "Roofing Dental Realty Insurance Solar Logistics Plumbing Motors Foods Legal Health "
  "Capital Media Systems Builders Supply"
).split()
COMPANY_SUFFIXES = ["", "", "", "", " Inc", " LLC", " Co", " Ltd"]

MAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com"]

NOTES = [
  "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
  "Called", "Left VM", "No answer", "Follow up", "Interested", "Hot lead", "Cold",
  "Web form", "Referral", "Trade show", "Callback req", "Not now", "Sent email",
  "Q3 budget", "Demo booked", "Wrong person", "Owner",
]
QUOTED_NOTES = [
  '"Left VM, call back Tue"', '"Busy, try after 5pm"', '"Spoke to assistant, send info"',
  '"Asked for pricing, follow up"', '"Said ""not interested"" for now"', '"Email only, no calls"',
  '"Gatekeeper, ask for ops"', '"Moved, new number below"',
]
MULTILINE_NOTES = [
  '"Spoke to front desk\nManager back Monday"',
  '"Wants a quote,\nsend by Friday"',
  '"Line 1 disconnected\ntry cell"',
]

# Valid-number formats: (npa, exchange, line) -> text.
VALID_FORMATS = [
  (22, lambda a, e, l: f"({a}) {e}-{l}"),
  (22, lambda a, e, l: f"{a}-{e}-{l}"),
  (10, lambda a, e, l: f"{a}.{e}.{l}"),
  (10, lambda a, e, l: f"+1 {a} {e} {l}"),
  (7, lambda a, e, l: f"1-{a}-{e}-{l}"),
  (18, lambda a, e, l: f"{a}{e}{l}"),
  (6, lambda a, e, l: f"{a}{e}{l}.0"),
  (5, lambda a, e, l: f"'{a}{e}{l}"),
]
EXTENSIONS = [" x{}", "x{}", " ext. {}", " ext {}", " #{}"]


def parse_area_codes(text, country):
  codes = []
  for entry in text.replace("\n", "|").split("|"):
    entry = entry.strip()
    if not entry:
      continue
    npa, rest = entry.split(" ", 1)
    city, state = rest.rsplit(" ", 1)
    codes.append((npa, city, state, country))
  return codes


class Generator:
  """Produces CSV lines; all randomness comes from one seeded random.Random."""

  def __init__(self, seed):
    self.rng = random.Random(seed)
    us = parse_area_codes(US_AREA_CODES, "US")
    ca = parse_area_codes(CA_AREA_CODES, "CA")
    # About 90% US, 10% CA among valid numbers.
    self.areas = us + ca
    self.formats = [fmt for weight, fmt in VALID_FORMATS for _ in range(weight)]
    self.format_count = len(VALID_FORMATS)
    self.exchanges = [f"{n}" for n in range(200, 1000) if n % 100 != 11]
    self.companies = [
      (f"{w} {k}{s}", f"{w}{k}".lower() + ".com")
      for w in COMPANY_WORDS for k in COMPANY_KINDS for s in COMPANY_SUFFIXES
    ]
    self.notes = NOTES * 6 + QUOTED_NOTES
    self.seen = []  # (npa, exchange, line, format index) of valid numbers so far

  def valid_phone(self):
    """Returns (phone text, area entry) for a fresh valid number."""
    rng = self.rng
    area = rng.choice(self.areas)
    exchange = rng.choice(self.exchanges)
    line = f"{rng.randrange(10000):04d}"
    if exchange == "555" and line[:2] == "01":
      line = "2" + line[1:]
    index = rng.randrange(len(self.formats))
    fmt = self.formats[index]
    self.seen.append((area, exchange, line, fmt))
    text = fmt(area[0], exchange, line)
    if rng.random() < 0.03:
      text += rng.choice(EXTENSIONS).format(rng.randrange(1, 9999))
    return text, area

  def duplicate_phone(self):
    """An earlier valid number, written in another format."""
    rng = self.rng
    area, exchange, line, used = self.seen[rng.randrange(len(self.seen))]
    fmt = used
    while fmt is used:
      fmt = VALID_FORMATS[rng.randrange(self.format_count)][1]
    return fmt(area[0], exchange, line), area

  def invalid_phone(self):
    rng = self.rng
    area = rng.choice(self.areas)
    npa = area[0]
    exchange = rng.choice(self.exchanges)
    line = f"{rng.randrange(10000):04d}"
    kind = rng.randrange(10)
    if kind == 0:
      return f"{exchange}-{line}", area  # 7 digits, no area code
    if kind == 1:
      return rng.choice(["N/A", "n/a", "none", "TBD", "call office", "-", "unknown"]), area
    if kind == 2:
      return "", area
    if kind == 3:
      return f"{npa}{exchange}{line}{rng.randrange(10, 1000)}", area  # too long
    if kind == 4:
      return f"(123) {exchange}-{line}", area
    if kind == 5:
      return f"999-{exchange}-{line}", area
    if kind == 6:
      return f"{npa}-{rng.randrange(2, 10)}11-{line}", area  # N11 exchange
    if kind == 7:
      return f"({npa}) 555-01{rng.randrange(100):02d}", area  # fictional
    if kind == 8:
      return f"{npa}-{exchange}-{line[:3]}", area  # 9 digits
    return f"+44 20 {rng.randrange(1000, 10000)} {line}", area  # outside NANP

  def lines(self, first_id, count):
    rng = self.rng
    random_ = rng.random
    choice = rng.choice
    first_names, last_names = FIRST_NAMES, LAST_NAMES
    companies, notes = self.companies, self.notes
    out = []
    append = out.append
    for row_id in range(first_id, first_id + count):
      draw = random_()
      if draw < 0.05:
        phone, area = self.invalid_phone()
      elif draw < 0.13 and self.seen:
        phone, area = self.duplicate_phone()
      else:
        phone, area = self.valid_phone()
      first, last = choice(first_names), choice(last_names)
      company, domain = choice(companies)
      if random_() < 0.4:
        domain = choice(MAIL_DOMAINS)
      email = f"{first[0]}{last}@{domain}".lower().replace("'", "")
      note = choice(notes)
      if random_() < 0.0005:
        note = choice(MULTILINE_NOTES)
      append(f"{row_id},{first},{last},{email},{company},{phone},{area[1]},{area[2]},{note}\n")
    return "".join(out)


def main():
  parser = argparse.ArgumentParser(
    description="Write a realistic, messy lead-list CSV (phone is the 6th column).")
  parser.add_argument("--rows", type=int, required=True, help="number of data rows")
  parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
  parser.add_argument("--out", help="output file (default: standard output)")
  args = parser.parse_args()
  if args.rows < 0:
    parser.error("--rows must be 0 or more")

  generator = Generator(args.seed)
  stream = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout
  try:
    stream.write("id,first_name,last_name,email,company,phone,city,state,notes\n")
    block = 20_000
    for start in range(0, args.rows, block):
      stream.write(generator.lines(start + 1, min(block, args.rows - start)))
  except BrokenPipeError:
    # A reader such as `head` closed the pipe: stop quietly.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
  finally:
    if args.out:
      stream.close()
  return 0


if __name__ == "__main__":
  sys.exit(main())
