"""A dump of everything geomap writes for a set of article folders, to tell whether a change of
code changed any output byte (restructurings must not).

    .venv/bin/python bench/golden.py DUMP [FOLDER...]     # write the dump of the folders
    .venv/bin/python bench/golden.py DUMP --check          # compare the same folders with DUMP

With no FOLDER, the seeds and the dev corpora of ``../shared/eval`` (LGL, TR-News, GeoVirus,
ACLED) are written out as article folders first. For each folder: ``geomap parse --format
jsonl`` and ``--format geojson``, a ``geomap build`` (every output file but the catalog, whose
SQLite pages hold timestamps) and every ``geomap export`` layer and text format. The dump keeps
each output's SHA-256 (and the parse output itself, to show a difference).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT.parent / "shared/eval"
CORPORA = ("lgl.jsonl", "trnews.jsonl", "geovirus.jsonl", "acled_dev.jsonl")
LAYERS = ("mentions", "places", "events", "regions")
TEXT_FORMATS = ("geojson", "geojsonseq", "csv", "jsonl")  # jsonl: mentions and events only
GEOMAP = [sys.executable, "-m", "geomap"]


def run(*args: str) -> bytes:
    """The standard output of a geomap command (exit 0 or 3: built, some files skipped)."""
    done = subprocess.run([*GEOMAP, *args], capture_output=True, cwd=ROOT)
    if done.returncode not in (0, 3):
        raise SystemExit(f"geomap {' '.join(args)}: exit {done.returncode}\n"
                         f"{done.stderr.decode()}")
    return done.stdout


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dump_folder(folder: Path, work: Path) -> dict:
    """Every output of geomap for one folder of articles, by name: its digest."""
    out: dict[str, str] = {}
    parse = run("parse", str(folder), "--format", "jsonl")
    out["parse.jsonl"] = digest(parse)
    out["parse.geojson"] = digest(run("parse", str(folder), "--format", "geojson"))
    maps = work / "maps"
    shutil.rmtree(maps, ignore_errors=True)
    run("build", "--articles", str(folder), "--out", str(maps))
    for path in sorted(maps.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".geojson"):
            out[f"build/{path.relative_to(maps)}"] = digest(path.read_bytes())
    for layer in LAYERS:
        for fmt in TEXT_FORMATS if layer in ("mentions", "events") else TEXT_FORMATS[:3]:
            out[f"export/{layer}.{fmt}"] = digest(run(
                "export", "--articles", str(folder), "--out", str(maps), "--layer", layer,
                "--format", fmt))
    return {"digests": out, "parse": parse.decode("utf-8").splitlines()}


def default_folders(work: Path) -> list[Path]:
    """The seeds and the dev corpora written as article folders."""
    folders = [ROOT / "seeds"]
    for corpus in CORPORA:
        folder = work / corpus.removesuffix(".jsonl")
        subprocess.run([sys.executable, str(EVAL_DIR / "split_corpus.py"), str(EVAL_DIR / corpus),
                        str(folder)], check=True, capture_output=True)
        folders.append(folder)
    return folders


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dump", type=Path)
    ap.add_argument("folders", type=Path, nargs="*")
    ap.add_argument("--check", action="store_true", help="compare with the dump instead")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folders = args.folders or default_folders(work)
        dump = {folder.name: dump_folder(folder, work / folder.name) for folder in folders}
    if not args.check:
        args.dump.write_text(json.dumps(dump, indent=1), "utf-8")
        print(f"{sum(len(d['digests']) for d in dump.values())} outputs of {len(dump)} folders "
              f"written to {args.dump}")
        return
    before = json.loads(args.dump.read_text("utf-8"))
    differ = [(name, key) for name, d in dump.items() for key, value in d["digests"].items()
              if before.get(name, {}).get("digests", {}).get(key) != value]
    for name, key in differ:
        print(f"differs: {name}/{key}")
        if key == "parse.jsonl":
            old, new = set(before[name]["parse"]), set(dump[name]["parse"])
            for line in sorted(old - new)[:5]:
                print(f"  - {line}")
            for line in sorted(new - old)[:5]:
                print(f"  + {line}")
    print(f"{len(differ)} of {sum(len(d['digests']) for d in dump.values())} outputs differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
