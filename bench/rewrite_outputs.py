"""Write a build folder's outputs again from its stored fragments, as a build writes them
(:func:`geomap.build.outputs.write`), into another folder: the map as one file or split
(``--map-files``), with no article parsed or read. The map pages so written of one build's
fragments hold the same data, to compare the two shapes of the map in the browser
(``bench_bigmap.py``); the fragments are those of the code that built the folder.

Run: .venv/bin/python bench/rewrite_outputs.py BUILD DEST one|split
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from geomap.build import fragments, outputs
from geomap.build.staging import Staging


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("build", type=Path, help="a build folder (geomap build --out)")
    parser.add_argument("dest", type=Path, help="where to write the outputs")
    parser.add_argument("shape", choices=["one", "split"], help="the map as one file or split")
    args = parser.parse_args()
    began = time.perf_counter()
    with fragments.Store(args.build / fragments.FILE) as store:
        ids = [article_id for article_id, _ in store.record()["articles"]]
        assembly = fragments.Assembly(ids)
        outputs.start(assembly, store, ids, None)
        with Staging(args.dest) as staging:
            outputs.write(staging, assembly, store, None, args.shape == "split")
            staging.commit([])
    print(f"{len(ids)} articles' outputs written into {args.dest} in "
          f"{time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
