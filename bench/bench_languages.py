"""Parse speed per character by language: Ukrainian and Russian reports (../shared/eval/
viina_dev.jsonl, VIINA: ODbL, read for evaluation only) against English news (LGL, TR-News,
GeoVirus), in one process after a warm-up (the dictionaries loaded, no cold start).

Prints figures; no thresholds. Target (issue 17): Cyrillic within 2x English per character.
Run: .venv/bin/python bench/bench_languages.py [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
ENGLISH = ("lgl.jsonl", "trnews.jsonl", "geovirus.jsonl")


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
    return out


def cpu_seconds(batch: list[str], lang: str) -> float:
    """CPU time of parsing every text of a batch, each read in ``lang``."""
    from geomap.models import Article
    from geomap.stages.pipeline import parse_article

    start = time.process_time()
    for i, text in enumerate(batch):
        parse_article(Article(id=str(i), path="", text=text, sha256="", lang=lang))
    return time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    by_lang = texts()
    for lang, batch in by_lang.items():
        cpu_seconds(batch[:20], lang)  # warm-up: dictionaries and caches of the first words
    rates: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for lang, batch in by_lang.items():
            chars = sum(map(len, batch))
            rates.setdefault(lang, []).append(chars / cpu_seconds(batch, lang))
    english = statistics.median(rates["en"])
    for lang, found in rates.items():
        print(f"{lang}: {len(by_lang[lang])} texts, {sum(map(len, by_lang[lang])):,} characters, "
              f"{statistics.median(found) / 1000:.0f}k characters/s CPU (runs {min(found) / 1000:.0f}k-"
              f"{max(found) / 1000:.0f}k), {english / statistics.median(found):.2f}x English's time "
              f"per character")


if __name__ == "__main__":
    main()
