#!/usr/bin/env python3
"""Writes a do-not-call list in the FTC/DNCL full-list layout (`AAA,NNNNNNN` per line) for benchmarks.

    Scripts/gen-dnc-list.py --numbers 50000000 --seed 7 --out .build-tools/bench/dnc-50m.txt

The numbers fall on the same real area codes as Scripts/gen-phonelist.py, so a generated lead list
and a generated DNC list overlap as real ones do. Exchanges 200-999; stdlib only; fixed seed.
"""
import argparse
import importlib.util
import os
import random
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("gen_phonelist", os.path.join(here, "gen-phonelist.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--numbers", type=int, default=50_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    codes = [entry[0] for entry in gen.parse_area_codes(gen.US_AREA_CODES, "US")] + \
            [entry[0] for entry in gen.parse_area_codes(gen.CA_AREA_CODES, "CA")]
    print(f"gen-dnc-list: {args.numbers:,} numbers over {len(codes)} area codes -> {args.out}", file=sys.stderr)
    with open(args.out, "w", encoding="ascii", newline="\n") as out:
        left = args.numbers
        while left > 0:
            n = min(left, 1_000_000)
            lines = [f"{rng.choice(codes)},{rng.randint(2_000_000, 9_999_999)}\n" for _ in range(n)]
            out.write("".join(lines))
            left -= n


if __name__ == "__main__":
    main()
