"""Parse speed: cold start of `geomap parse` on one article, index load, and articles/s.

Prints figures; no thresholds. Targets (issue 6): cold start under 2x `import geopandas, folium`.
Run: .venv/bin/python bench/bench_parse.py
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bytecode import compile_geomap

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "003_18cfb9e21a9eeed5.txt"


def wall(cmd: list[str], runs: int = 5) -> float:
    """Median wall time of a command, in seconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    from geomap import gazetteer
    from geomap.build import read_all
    from geomap.stages.pipeline import parse_text

    compile_geomap()  # as installed geomap, geopandas and folium have it (bench/bytecode.py)
    t = time.perf_counter()
    gazetteer.load()
    print(f"gazetteer load (cached index, in process): {time.perf_counter() - t:.2f} s")
    base = wall([sys.executable, "-c", "import geopandas, folium"])
    cold = wall([sys.executable, "-m", "geomap", "parse", str(SEED)])
    print(f"python -c 'import geopandas, folium': {base:.2f} s")
    print(f"geomap parse one article (cold process): {cold:.2f} s = {cold / base:.2f}x the import")
    articles, _ = read_all(sorted((ROOT / "seeds").glob("*.txt")))
    texts = [a for a in articles] * 50
    t = time.perf_counter()
    for a in texts:
        parse_text(a.text, a.id)
    dt = time.perf_counter() - t
    print(f"parse throughput on the seeds x50: {len(texts) / dt:.0f} articles/s "
          f"({sum(len(a.text) for a in texts) / dt / 1e3:.0f} k chars/s)")


if __name__ == "__main__":
    main()
