"""What the parse stages read besides the article, loaded once per process into one object."""
from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from geomap.data import WEIGHTS_FILE
from geomap.gazetteer import Gazetteer
from geomap.gazetteer.lexicon import Lexicon
from geomap.gazetteer.morphology import Morphology
from geomap.gazetteer.theatres import Theatres
from geomap.languages import CYRILLIC

if TYPE_CHECKING:
    from geomap.stages.events import Vocabulary


@dataclass(frozen=True)
class Resources:
    """The gazetteer (recognition and resolution), the lexicon that tells English names from
    words and the morphology of each Cyrillic language (recognition), each language's event
    triggers and grammar (events), the resolution weights (``data/resolve_weights.yaml``, fitted by
    ``bench/fit_weights.py``) and the theatres an article's words set it in
    (``data/theatres.yaml``; recognition and resolution)."""

    gazetteer: Gazetteer
    lexicon: Lexicon
    morphology: Mapping[str, Morphology]  # by language code (uk, ru); each loads on first use
    weights: Mapping[str, float]
    vocabularies: Mapping[str, Vocabulary]  # by language code; each made on first use
    theatres: Theatres


def load_weights(path: Path = WEIGHTS_FILE) -> dict[str, float]:
    """The weights of resolution's features, by name."""
    with open(path, encoding="utf-8") as f:
        return {name: float(value) for name, value in yaml.safe_load(f).items()}


@cache
def resources() -> Resources:
    """The resources of this process, loaded on first use; kept out of the garbage collector's
    passes from then on (:func:`gc.freeze`), as they live as long as the process."""
    from geomap import gazetteer
    from geomap.gazetteer import lexicon, theatres
    from geomap.stages import events, recognise_cyrillic

    morphology = {lang: Morphology(lang, recognise_cyrillic.CyrillicNames(lang)) for lang in CYRILLIC}
    loaded = Resources(gazetteer.load(), lexicon.load(), morphology, load_weights(),
                       events.Vocabularies(morphology), theatres.load())
    gc.freeze()
    return loaded
