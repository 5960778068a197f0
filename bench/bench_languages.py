"""Parse speed per character by language: Ukrainian and Russian reports (../shared/eval/
viina_dev.jsonl, VIINA: ODbL, read for evaluation only) against English news (LGL, TR-News,
GeoVirus: ``en``) and against English reports of the same kind and length (ACLED's notes:
``en-reports``; a short text weighs its per-article work more), on unique text: each run is a
fresh process that warms up on the first texts of each set (the dictionaries loaded, no cold
start) and then parses every other text once, so that no run is timed on words its caches have
already seen.

Prints figures; no thresholds. Target (issue 17): Cyrillic within 2x English per character.
Run: .venv/bin/python bench/bench_languages.py [--runs 3]
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
ENGLISH = ("lgl.jsonl", "trnews.jsonl", "geovirus.jsonl")
WARM_UP = 20  # texts of each language parsed before the clock starts
DEFAULT_GC = bool(os.environ.get("GEOMAP_BENCH_DEFAULT_GC"))  # Python's thresholds instead


def texts() -> dict[str, list[str]]:
    """The texts of each language: the VIINA reports by their language, the English corpora."""
    out: dict[str, list[str]] = {"en": []}
    for line in (EVAL / "viina_dev.jsonl").open(encoding="utf-8"):
        if line.strip():
            rec = json.loads(line)
            out.setdefault(rec["lang"], []).append(rec["text"])
    for name in ENGLISH:
        out["en"] += [json.loads(line)["text"] for line in (EVAL / name).open(encoding="utf-8")
                      if line.strip()]
    out["en-reports"] = [json.loads(line)["text"] for line in
                         (EVAL / "acled_dev.jsonl").open(encoding="utf-8") if line.strip()]
    return out


def language(name: str) -> str:
    """The language a set of texts is read in (``en-reports``: English)."""
    return name.split("-")[0]


def cpu_seconds(batch: list[str], lang: str) -> float:
    """CPU time of parsing every text of a batch, each read in ``lang``."""
    from geomap.models import Article
    from geomap.stages.pipeline import parse_article

    start = time.process_time()
    for i, text in enumerate(batch):
        parse_article(Article(id=str(i), path="", text=text, sha256="", lang=lang))
    return time.process_time() - start


def one_run() -> dict[str, float]:
    """Characters per CPU second of each language in this process, each text parsed once, with
    the garbage collector set as the ``geomap`` command sets it."""
    from geomap.cli import YOUNG_OBJECTS_COLLECTED

    if not DEFAULT_GC:
        gc.set_threshold(YOUNG_OBJECTS_COLLECTED)
    by_lang = texts()
    for name, batch in by_lang.items():
        cpu_seconds(batch[:WARM_UP], language(name))
    return {name: sum(map(len, batch[WARM_UP:])) / cpu_seconds(batch[WARM_UP:], language(name))
            for name, batch in by_lang.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)  # a run's process
    args = ap.parse_args()
    if args.one_run:
        print(json.dumps(one_run()))
        return
    rates: dict[str, list[float]] = {}
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, __file__, "--one-run"], capture_output=True,
                             text=True, check=True).stdout
        for lang, rate in json.loads(out.splitlines()[-1]).items():
            rates.setdefault(lang, []).append(rate)
    by_lang = texts()
    for name, found in rates.items():
        batch = by_lang[name][WARM_UP:]
        against = []
        for english in ("en", "en-reports"):
            ratios = [en / rate for en, rate in zip(rates[english], found)]  # within each run
            against.append(f"{statistics.median(ratios):.2f}x {english}'s (runs {min(ratios):.2f}-"
                           f"{max(ratios):.2f}x)")
        print(f"{name}: {len(batch)} texts, {sum(map(len, batch)):,} characters, "
              f"{statistics.median(found) / 1000:.0f}k characters/s CPU (runs {min(found) / 1000:.0f}k-"
              f"{max(found) / 1000:.0f}k); time per character {', '.join(against)}")


if __name__ == "__main__":
    main()
