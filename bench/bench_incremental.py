"""Incremental builds on a synthetic archive: full build, add one article (after the others by
name, and one before them), a correction, nothing changed; wall and CPU seconds of each.

Targets (issue 6): adding one article and rebuilding costs <= 5% of the full build; rebuilding
with nothing changed <= 2%; peak memory under 1 GB. Each build is a `geomap build` process, as a
user runs it; peak memory is the largest resident size of those processes. Then articles are
added one at a time to a warm process, as `geomap watch` builds.

Run: .venv/bin/python bench/bench_incremental.py [-n 5000] [--sentences 8] [--jobs 1] [--repeat 3]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from bytecode import compile_geomap
from make_archive import make_archive


CPU: list[float] = []  # CPU seconds of each build process, in order


def timed_build(articles: Path, out: Path, jobs: int) -> tuple[float, dict]:
    """Wall time and JSON summary of one `geomap build`; its CPU seconds (user and system, its
    workers' included) are added to ``CPU``."""
    before, t = _children_cpu(), time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "geomap", "build", "--articles", str(articles),
                        "--out", str(out), "--json", "--jobs", str(jobs)],
                       capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    CPU.append(_children_cpu() - before)
    return wall, json.loads(r.stdout)


def _children_cpu() -> float:
    """User and system seconds of the child processes waited for so far (theirs included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu(last: int) -> str:
    """The CPU seconds of the ``last`` builds."""
    return ", ".join(f"{c:.2f}" for c in CPU[-last:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--sentences", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="add-one and unchanged builds")
    args = parser.parse_args()
    compile_geomap()  # as an installed geomap has it (bench/bytecode.py)
    with tempfile.TemporaryDirectory() as tmp:
        articles, out = Path(tmp) / "articles", Path(tmp) / "maps"
        make_archive(articles, args.n, args.sentences, dt.date(2022, 2, 24), dt.date(2023, 12, 31),
                     corpora=True)
        full, s = timed_build(articles, out, args.jobs)
        print(f"full build of {s['articles']} articles ({s['mentions']} mentions, --jobs "
              f"{args.jobs}): {full:.1f} s, CPU {CPU[-1]:.1f} s")
        adds = []
        for i in range(args.repeat):
            (articles / f"zz_new{i}.txt").write_text(
                f"Shelling hit Kharkiv and Izium on Friday ({i}).\n", "utf-8")
            added, s = timed_build(articles, out, args.jobs)
            assert s["parsed"] == 1, s
            adds.append(added)
        print(f"add one article and rebuild, {args.repeat} times: "
              f"{', '.join(f'{t:.2f}' for t in adds)} s; median {median(adds):.2f} s = "
              f"{100 * median(adds) / full:.1f}% (target <= 5%); CPU {_cpu(args.repeat)} s")
        corrected = corrected_builds(articles, out, args.jobs)
        print("a correction (geomap correct) and rebuild: "
              + "; ".join(f"{what}: {t:.2f} s = {100 * t / full:.1f}%, {pages} pages rendered"
                          for what, (t, pages) in corrected.items()))
        same = [timed_build(articles, out, args.jobs)[0] for _ in range(args.repeat)]
        print(f"rebuild, nothing changed, {args.repeat} times: "
              f"{', '.join(f'{t:.2f}' for t in same)} s; median {median(same):.2f} s = "
              f"{100 * median(same) / full:.1f}% (target <= 2%); CPU {_cpu(args.repeat)} s")
        (articles / "0000_first.txt").write_text("Fighting near Bakhmut on Monday.\n", "utf-8")
        first, s = timed_build(articles, out, args.jobs)
        assert s["parsed"] == 1, s
        print(f"add one article before the others by name (outputs written whole): "
              f"{first:.2f} s = {100 * first / full:.1f}%; CPU {CPU[-1]:.2f} s")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory of a build process: {peak:.0f} MB (target < 1024 MB)")
        warm = watched_adds(articles, out, args.jobs)
        print(f"add one article in a warm process (geomap watch), first and next: "
              f"{', '.join(f'{t:.2f}' for t in warm)} s = "
              f"{', '.join(f'{100 * t / full:.1f}' for t in warm)}%; peak memory "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def corrected_builds(articles: Path, out: Path, jobs: int) -> dict[str, tuple[float, int]]:
    """Wall time of the build after a correction of one article's place, then after one of a
    place in every article, and how many reader pages each rendered again."""
    times = {}
    for what, args in (("one article", ["Kharkiv", "--to", "49.99,36.23", "--article",
                                        "zz_new0.txt"]),
                       ("every article naming Izium", ["Izium", "--to", "49.21,37.26"])):
        subprocess.run([sys.executable, "-m", "geomap", "correct", *args, "--out", str(out)],
                       capture_output=True, text=True, check=True)
        before = {p: p.stat().st_ino for p in (out / "articles").glob("*.html")}
        took, s = timed_build(articles, out, jobs)
        assert s["parsed"] == 0, s
        times[what] = took, sum(p.stat().st_ino != i for p, i in before.items())
    return times


def watched_adds(articles: Path, out: Path, jobs: int, adds: int = 4) -> list[float]:
    """Wall times of builds after adding one article each, in this process, as `geomap watch`
    runs them (its first build finds nothing changed, then it loads what a build needs)."""
    from geomap import watch
    from geomap.build.parallel import Workers

    options = {"workers": Workers(jobs=jobs)}
    watch.first_build(articles, out, options)
    times = []
    for i in range(adds):
        (articles / f"zz_watched{i}.txt").write_text(f"Shelling hit Izium and Kupiansk ({i}).\n",
                                                     "utf-8")
        t = time.perf_counter()
        report = watch.build_once(articles, out, options)
        times.append(time.perf_counter() - t)
        assert not isinstance(report, Exception) and report.parsed == 1, report
    return times


if __name__ == "__main__":
    main()
