"""A synthetic archive for scale tests: N articles made of the seeds' real sentences, shuffled.

Each article takes ``--sentences`` sentences drawn at random from the seeds (so its places, events
and passages are real ones), a title from its first sentence and a publication date between
``--start`` and ``--end``. The same arguments always write the same files.

With ``--corpora`` the sentences come from the dev corpora's texts instead
(``../shared/eval/{lgl,trnews,geovirus}.jsonl``, read in place, never copied into the repo).

Run: .venv/bin/python bench/make_archive.py OUT [-n 10000] [--sentences 3] [--seed 1] [--corpora]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

import yaml

from geomap import ingest
from geomap.stages import split

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT.parent / "shared" / "eval" / f"{name}.jsonl" for name in ("lgl", "trnews", "geovirus")]
TITLE_CHARS = 80


def seed_sentences(folder: Path = ROOT / "seeds") -> list[str]:
    """Every sentence of the seed articles, in file order."""
    out = []
    for path in sorted(folder.glob("*.txt")):
        text = ingest.read_article(path).text
        out.extend(" ".join(text[p.start:p.end].split()) for p in split.split(text))
    return [s for s in out if s]


def corpus_texts(paths: list[Path] = CORPORA) -> list[str]:
    """The article texts of the dev corpora (JSON Lines with a ``text`` field)."""
    texts = []
    for path in paths:
        with path.open(encoding="utf-8") as lines:  # not splitlines(): texts hold U+2028
            texts.extend(json.loads(line)["text"] for line in lines if line.strip())
    return texts


def corpus_sentences(paths: list[Path] = CORPORA) -> list[str]:
    """Every sentence of the dev corpora's texts."""
    out = []
    for text in corpus_texts(paths):
        out.extend(" ".join(text[p.start:p.end].split()) for p in split.split(text))
    return [s for s in out if s]


def make_archive(out: Path, n: int, sentences: int, start: dt.date, end: dt.date,
                 seed: int = 1, corpora: bool = False) -> list[Path]:
    """Write ``n`` articles (``.txt`` plus a ``.yaml`` sidecar) into ``out``; return the texts."""
    pool = corpus_sentences() if corpora else seed_sentences()
    rng = random.Random(seed)
    days = (end - start).days
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(n):
        body = rng.sample(pool, min(sentences, len(pool)))
        published = start + dt.timedelta(days=rng.randint(0, days))
        title = body[0] if len(body[0]) <= TITLE_CHARS else body[0][:TITLE_CHARS - 1] + "…"
        path = out / f"synthetic_{i:06d}.txt"
        path.write_text("\n\n".join(body) + "\n", encoding="utf-8")
        meta = {"title": title, "source": "synthetic", "published": published.isoformat()}
        path.with_suffix(".yaml").write_text(yaml.safe_dump(meta, allow_unicode=True),
                                             encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2022, 2, 24))
    parser.add_argument("--end", type=dt.date.fromisoformat, default=dt.date(2023, 12, 31))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpora", action="store_true", help="Sentences of the dev corpora.")
    args = parser.parse_args()
    paths = make_archive(args.out, args.n, args.sentences, args.start, args.end, args.seed,
                         args.corpora)
    print(f"{len(paths)} articles in {args.out}")


if __name__ == "__main__":
    main()
