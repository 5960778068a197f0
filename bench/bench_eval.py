"""Geoparsing quality on LGL, TR-News and GeoVirus: P/R/F1, acc@161, error km, AUC, articles/s.

The corpora are read from ``../shared/eval/`` (never copied into the project) and parsed in memory;
the scoring is ``geomap.evaluate.mentions`` (the rules of ``../shared/eval/score.py``). Prints figures and
the most frequent errors per corpus, to guide improvement; no thresholds (targets, a later issue:
F1 >= 0.80 and acc@161 >= 0.85 per corpus).
Run from the repository root: ``.venv/bin/python bench/bench_eval.py [--top N] [--limit N]
[--failures FILE]``; ``--failures`` writes every miss, false positive and wrong resolution as a JSON
line with its sentence, the gold point and the chosen place, to sort into kinds of error.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from geomap import gazetteer
from geomap.evaluate import mentions as evaluate

EVAL_DIR = Path(__file__).resolve().parents[2] / "shared/eval"
CORPORA = {"LGL": "lgl.jsonl", "TR-News": "trnews.jsonl", "GeoVirus": "geovirus.jsonl"}


def timed_predict(gold: list[evaluate.GoldDoc]) -> tuple[dict[str, list[dict]], float]:
    """geomap's predictions for the gold texts, and articles parsed per second."""
    start = time.perf_counter()
    preds = evaluate.predict(gold, EVAL_DIR)
    return preds, len(gold) / (time.perf_counter() - start)


def figures(r: evaluate.Result, rate: float) -> str:
    """One line of the headline figures."""
    d = r.to_dict()
    return (f"P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}  "
            f"acc@161 {d['resolution_accuracy']:.3f}  end-to-end {d['end_to_end']:.3f}  "
            f"mean_km {d.get('mean_km', '-')}  median_km {d.get('median_km', '-')}  "
            f"AUC {d.get('auc', '-')}  |  {r.documents} articles, {rate:.1f} articles/s")


def top_surfaces(errors: list[evaluate.SpanError], n: int) -> str:
    """The n most frequent surface forms of a list of misses or false positives."""
    counts = Counter(e.text for e in errors)
    return ", ".join(f"{text} ({k})" for text, k in counts.most_common(n))


def top_wrong(wrong: list[evaluate.WrongResolution], n: int) -> list[str]:
    """The n most frequent (gold surface, predicted place) confusions, with their median km."""
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for w in wrong:
        groups[(str(w.text), ", ".join(w.predicted))].append(w.km if w.km is not None else 0.0)
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:n]
    return [f"{len(kms):3d}x {text!r} -> {pred}  (median {statistics.median(kms):.0f} km)"
            for (text, pred), kms in ranked]


def _around(text: str, start: int, end: int, width: int = 80) -> str:
    """The text around [start, end), the span in brackets, on one line."""
    before, after = text[max(0, start - width):start], text[end:end + width]
    return " ".join(f"{before}[{text[start:end]}]{after}".split())


def _place(pred: dict) -> dict:
    keys = ("text", "start", "name", "feature", "country", "admin1", "lat", "lon", "population")
    return {k: pred.get(k) for k in keys}


def failures(corpus: str, gold: list[evaluate.GoldDoc],
             preds: dict[str, list[dict]]) -> list[dict]:
    """Every error of a corpus as a record: ``miss`` (a required place not found), ``false
    positive`` (a prediction credited to no place) and ``wrong`` (found, over 161 km off)."""
    out = []
    for doc in gold:
        text, mine = doc.text or "", preds.get(doc.article, [])
        for p in mine:
            if evaluate.credit_span(p, doc.spans) is None:
                out.append({"corpus": corpus, "article": doc.article, "kind": "false positive",
                            "context": _around(text, p["start"], p["end"]), **_place(p)})
        for g in doc.spans:
            if not g.required:
                continue
            hits = [p for p in mine if evaluate.credit_span(p, doc.spans) is g]
            base = {"corpus": corpus, "article": doc.article, "text": g.text, "start": g.start,
                    "gold": [g.lat, g.lon], "context": _around(text, g.start, g.end)}
            if not hits:
                out.append({**base, "kind": "miss"})
            elif g.lat is not None and g.lon is not None:
                off = evaluate.nearest_km(g.lat, g.lon, hits)
                if off is None or off > evaluate.ACC_KM:
                    out.append({**base, "kind": "wrong", "km": None if off is None else round(off),
                                "predicted": [_place(p) for p in hits]})
    return out


def bench_corpus(name: str, path: Path, top: int, limit: int | None,
                 dump: list[dict] | None = None) -> None:
    """Parse one corpus, score it and print figures and error lists (and add its errors to
    ``dump`` when given)."""
    gold = evaluate.load_gold(path, limit)
    preds, rate = timed_predict(gold)
    r = evaluate.score(gold, preds)
    if dump is not None:
        dump.extend(failures(name, gold, preds))
    print(f"== {name}: {figures(r, rate)}")
    print(f"  false positives ({len(r.false_positives)}), top {top}: "
          f"{top_surfaces(r.false_positives, top)}")
    print(f"  misses ({len(r.misses)}), top {top}: {top_surfaces(r.misses, top)}")
    print(f"  wrong resolutions ({len(r.wrong)}), top {top}:")
    for line in top_wrong(r.wrong, top):
        print(f"    {line}")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=15, help="error surfaces listed per corpus")
    ap.add_argument("--limit", type=int, default=None, help="first N articles of each corpus")
    ap.add_argument("--failures", type=Path, default=None,
                    help="write every error as a JSON line to this file")
    args = ap.parse_args(argv)
    missing = [f for f in CORPORA.values() if not (EVAL_DIR / f).exists()]
    if missing:
        print(f"corpora not found in {EVAL_DIR}: {', '.join(missing)}", file=sys.stderr)
        return 1
    start = time.perf_counter()
    gazetteer.load()
    print(f"gazetteer load: {time.perf_counter() - start:.2f} s (not counted in articles/s)")
    dump: list[dict] | None = [] if args.failures else None
    for name, file in CORPORA.items():
        bench_corpus(name, EVAL_DIR / file, args.top, args.limit, dump)
    if args.failures and dump is not None:
        args.failures.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dump),
                                 encoding="utf-8")
        print(f"{len(dump)} errors written to {args.failures}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
