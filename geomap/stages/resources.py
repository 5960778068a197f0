"""What the parse stages read besides the article, loaded once per process into one object."""
from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from geomap.data import WEIGHTS_FILE
from geomap.gazetteer import Gazetteer


@dataclass(frozen=True)
class Resources:
    """The gazetteer (recognition and resolution), the event taxonomy's triggers (events) and the
    resolution weights (``data/resolve_weights.yaml``, fitted by ``bench/fit_weights.py``). The
    word lists of :mod:`geomap.gazetteer.lexicon` are memory-mapped from the cache folder on
    first use."""

    gazetteer: Gazetteer
    weights: Mapping[str, float]
    triggers: Mapping[str, list]  # geomap.stages.events.Trigger by the lemma of its first word


def load_weights(path: Path = WEIGHTS_FILE) -> dict[str, float]:
    """The weights of resolution's features, by name."""
    with open(path, encoding="utf-8") as f:
        return {name: float(value) for name, value in yaml.safe_load(f).items()}


@cache
def resources() -> Resources:
    """The resources of this process, loaded on first use; kept out of the garbage collector's
    passes from then on (:func:`gc.freeze`), as they live as long as the process."""
    from geomap import gazetteer
    from geomap.stages import events

    loaded = Resources(gazetteer.load(), load_weights(), events.triggers_by_first_lemma())
    gc.freeze()
    return loaded
