"""Events on the seeds against the gold events: recall, precision, type/location/date accuracy,
actors taken for locations, and the events stage's speed.

The gold is ``../shared/eval/seeds.events.gold.json`` where there is one, else the copy in
``tests/fixtures``. Run from the repository root: ``.venv/bin/python bench/bench_events.py``.
"""
from __future__ import annotations

import time
from pathlib import Path

from geomap.build import parse_paths
from geomap.evaluate import events as evaluate_events
from geomap.stages import events
from geomap.stages.resources import resources

ROOT = Path(__file__).resolve().parents[1]
SHARED_GOLD = ROOT.parent / "shared/eval/seeds.events.gold.json"
GOLD = SHARED_GOLD if SHARED_GOLD.is_file() else ROOT / "tests/fixtures/seeds.events.gold.json"
ROUNDS = 20


def events_per_second(articles: list) -> float:
    """Passages per second through the events stage alone (articles already parsed)."""
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for a in articles:
            events.detect(a, resources().vocabularies["en"])
    passages = ROUNDS * sum(len(a.passages) for a in articles)
    return passages / (time.perf_counter() - start)


def main() -> None:
    gold = evaluate_events.load_gold(GOLD)
    articles, _ = parse_paths([ROOT / "seeds"])
    scores = evaluate_events.score(gold, articles)
    print(f"gold: {GOLD}")
    print(evaluate_events.report(scores))
    print(f"events stage: {events_per_second(articles):,.0f} passages/s")


if __name__ == "__main__":
    main()
