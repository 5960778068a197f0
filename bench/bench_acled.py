"""geomap on analysts' event reports: ``../shared/eval/acled_dev.jsonl`` (ACLED's Ukraine notes,
never copied here), scored by :mod:`geomap.evaluate.reports` on both halves of a fixed split.

The split is by the report id's SHA-1 (even: *tune*, the half rules were tuned on; odd:
*held*, the half held back), so the held-back figures say how the rules carry to reports they
were not written for. Run from the repository root: ``.venv/bin/python bench/bench_acled.py
[GOLD] [-j N] [--failures N]``.
"""
from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

from geomap.build.parallel import Workers, parse_many
from geomap.evaluate import reports as evaluate_reports

GOLD = Path(__file__).resolve().parents[2] / "shared/eval/acled_dev.jsonl"


def half(report_id: str) -> str:
    """The half of the split a report belongs to: ``tune`` or ``held``."""
    return "held" if int(hashlib.sha1(report_id.encode()).hexdigest(), 16) % 2 else "tune"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", nargs="?", type=Path, default=GOLD)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--failures", type=int, default=0, help="failures to print per half")
    a = ap.parse_args()
    reports = evaluate_reports.load_gold(a.gold)
    start = time.perf_counter()
    parsed = list(parse_many(evaluate_reports.articles(reports), Workers(jobs=a.jobs)))
    rate = len(parsed) / (time.perf_counter() - start)
    print(f"{a.gold}: {len(reports)} reports, parsed at {rate:.0f} reports/s ({a.jobs} processes)")
    for name in ("tune", "held"):
        pairs = [(r, p) for r, p in zip(reports, parsed) if half(r["id"]) == name]
        scores = evaluate_reports.score([r for r, _ in pairs], [p for _, p in pairs])
        for line in scores.errors[:a.failures]:
            print(line)
        print(f"{name:5s} ({len(pairs)}) " + evaluate_reports.report(scores, quiet=True))


if __name__ == "__main__":
    main()
