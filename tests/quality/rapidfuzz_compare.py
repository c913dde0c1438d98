#!/usr/bin/env python3
"""The baseline of the README: RapidFuzz WRatio over the official KldB job
titles, on the same cases as tests/quality.rs (not part of the test suite).

    pip install rapidfuzz
    python3 tests/quality/rapidfuzz_compare.py

A case is a hit when the expected code (5 digits, or the group prefix of an
everyday word) is among the codes of the three best-scoring distinct groups.
"""
import csv
import re
from rapidfuzz import fuzz, process, utils

SOURCE = "occupations/kldb/kldb2010-v2020-gliederung.csv"

def titles():
    rows = csv.reader(open(SOURCE, encoding="utf-8-sig"), delimiter=";")
    next(rows)
    out = []
    for row in rows:
        if row[1] == "5":
            code = row[0].zfill(5)
            for m in re.finditer(r"(?:^|\s)(\d{5})-\d{3} (.*?)(?=\s+\d{5}-\d{3} |$)", row[6]):
                out.append((m.group(2).strip(), code))
    return out

def cases(path):
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        yield cols[0], cols[1]

def top3(query, choices, codes):
    found = []
    for _, _, i in process.extract(query, choices, scorer=fuzz.WRatio,
                                   processor=utils.default_process, limit=60):
        if codes[i] not in found:
            found.append(codes[i])
        if len(found) == 3:
            break
    return found

def main():
    t = titles()
    choices = [x for x, _ in t]
    codes = [c for _, c in t]
    for name in ["kldb_titles", "kldb_titles_heldout", "everyday", "everyday_heldout"]:
        hits = total = 0
        for written, expected in cases(f"tests/quality/{name}.tsv"):
            total += 1
            hits += any(c.startswith(expected) for c in top3(written, choices, codes))
        print(f"{name}: {hits}/{total} = {100 * hits / total:.1f} %")

if __name__ == "__main__":
    main()
