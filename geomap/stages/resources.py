"""What the parse stages read besides the article, loaded once per process into one object."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from geomap.data import WEIGHTS_FILE
from geomap.gazetteer import Gazetteer
from geomap.gazetteer.lexicon import Lexicon
from geomap.gazetteer.morphology import Morphology
from geomap.gazetteer.theatres import Theatres
from geomap.languages import CYRILLIC


@dataclass(frozen=True)
class Resources:
    """The gazetteer (recognition and resolution), the lexicon that tells English names from
    words and the morphology of each Cyrillic language (recognition), the event taxonomy's
    triggers (events), the resolution weights (``data/resolve_weights.yaml``, fitted by
    ``bench/fit_weights.py``) and the theatres an article's words set it in
    (``data/theatres.yaml``; recognition and resolution)."""

    gazetteer: Gazetteer
    lexicon: Lexicon
    morphology: Mapping[str, Morphology]  # by language code (uk, ru); each loads on first use
    weights: Mapping[str, float]
    triggers: Mapping[str, list]  # geomap.stages.events.Trigger by the lemma of its first word
    theatres: Theatres


def load_weights(path: Path = WEIGHTS_FILE) -> dict[str, float]:
    """The weights of resolution's features, by name."""
    with open(path, encoding="utf-8") as f:
        return {name: float(value) for name, value in yaml.safe_load(f).items()}


@cache
def resources() -> Resources:
    """The resources of this process, loaded on first use."""
    from geomap import gazetteer
    from geomap.gazetteer import lexicon, theatres
    from geomap.stages import events

    return Resources(gazetteer.load(), lexicon.load(), {lang: Morphology(lang) for lang in CYRILLIC},
                     load_weights(), events.triggers_by_first_lemma(), theatres.load())
