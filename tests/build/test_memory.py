"""A build holds a batch of parsed articles at a time, not the archive: the peak of what it
allocates barely grows with the number of articles."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from paths import SEEDS

PEAK = """
import sys, tracemalloc
from pathlib import Path
from geomap import build
from geomap.stages.pipeline import warm_up_parse
warm_up_parse()
build.BATCH = 16
tracemalloc.start()
build.build(Path(sys.argv[1]), Path(sys.argv[2]))
print(tracemalloc.get_traced_memory()[1] // 1024)
"""  # the peak of what a build allocates (in KB), the parse stages loaded first; batches of 16
GROWTH_PER_ARTICLE_KB = 8  # a build that held every parsed article grew by about 30 KB each


def write_archive(folder: Path, articles: int) -> None:
    """``articles`` distinct articles recombined from the seeds' paragraphs (each names places
    and has events), numbered so that no two texts are the same."""
    paragraphs = [p for seed in sorted(SEEDS.glob("*.txt"))
                  for p in re.split(r"\n\s*\n", seed.read_text("utf-8")) if len(p) > 80]
    folder.mkdir()
    for n in range(articles):
        chosen = [paragraphs[(n * k + k) % len(paragraphs)] for k in (1, 3, 7)]
        (folder / f"a{n:05d}.txt").write_text(f"Report {n}.\n\n" + "\n\n".join(chosen) + "\n",
                                              "utf-8")


def peak_kb(tmp_path: Path, articles: int) -> int:
    """The peak of what a build of ``articles`` articles allocates, in KB."""
    folder = tmp_path / f"articles{articles}"
    write_archive(folder, articles)
    done = subprocess.run([sys.executable, "-c", PEAK, str(folder),
                           str(tmp_path / f"maps{articles}")],
                          capture_output=True, text=True, check=True, cwd=tmp_path)
    return int(done.stdout.split()[-1])


def test_a_builds_peak_memory_is_bounded_by_its_batch_not_its_archive(tmp_path):
    small, large = peak_kb(tmp_path, 100), peak_kb(tmp_path, 400)
    assert large - small < 300 * GROWTH_PER_ARTICLE_KB, (small, large)
