"""The event types, read from their one home, ``data/event_types.yaml``, into typed records: how
the events stage finds each type (its triggers), which types a correction may set, how the map
and the reader pages show it (label, colour, glyph). Adding a type is editing that file only.

>>> event_types()["shelling"].glyph
'S'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from geomap.data import TAXONOMY_FILE
from geomap.errors import DataError
from geomap.languages import LANGUAGES

FALLBACK = "other"  # the type a corrected event of a type this file lacks shows as
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class EventType:
    """One event type: its name (the events' ``type``), how it is shown, what it means and the
    trigger phrases (lemmas, with their weights) that signal it in each language."""

    name: str
    label: str
    colour: str
    glyph: str
    description: str
    triggers: Mapping[str, tuple[tuple[str, float], ...]]  # by language code (geomap.languages)
    acled_type: str = "Strategic developments"  # ACLED's event type for it
    acled_sub_types: tuple[tuple[str, Mapping[str, tuple[str, ...]]], ...] = ()  # ACLED's
    # sub-event types, each with the trigger phrases that say it in each language
    toll: Mapping[str, frozenset[str]] = field(default_factory=dict)  # the triggers that only
    # tell a toll (killed, civilians), by language: see data/event_types.yaml


@cache
def event_types() -> dict[str, EventType]:
    """The event types of the package's ``data/event_types.yaml``, in its order (loaded once)."""
    return load(TAXONOMY_FILE)


def load(path: Path) -> dict[str, EventType]:
    """The event types of a taxonomy file, by name, in the file's order; a type without its
    label, colour or glyph, or a file without :data:`FALLBACK`, is a :class:`DataError`."""
    try:
        with open(path, encoding="utf-8") as f:
            spec = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as e:
        raise DataError(f"{path}: cannot read the event types: {e}") from e
    if not isinstance(spec, dict) or FALLBACK not in spec:
        raise DataError(f"{path}: the event types must be a mapping that has {FALLBACK!r}")
    return {str(name): _event_type(path, str(name), entry) for name, entry in spec.items()}


def _event_type(path: Path, name: str, entry: Any) -> EventType:
    """One entry of the taxonomy file as an :class:`EventType`, checked."""
    if not isinstance(entry, dict):
        raise DataError(f"{path}: event type {name!r} must be a mapping")
    missing = [key for key in ("label", "colour", "glyph") if not entry.get(key)]
    if missing:
        raise DataError(f"{path}: event type {name!r} has no {' or '.join(missing)} (the map "
                        "and the reader pages show every type by its label, colour and glyph)")
    if not _COLOUR.fullmatch(str(entry["colour"])):
        raise DataError(f"{path}: event type {name!r}: colour must be #rrggbb, "
                        f"not {entry['colour']!r}")
    acled = entry.get("acled") or {}
    triggers = _by_language(path, f"event type {name!r}: triggers", entry.get("triggers"))
    return EventType(name, str(entry["label"]), str(entry["colour"]), str(entry["glyph"]),
                     str(entry.get("description") or "").strip(),
                     {lang: tuple(_trigger(path, name, item) for item in items)
                      for lang, items in triggers.items()},
                     str(acled.get("event_type") or EventType.acled_type),
                     tuple((str(sub), {lang: tuple(map(str, phrases)) for lang, phrases in
                                       _by_language(path, f"{name!r}: {sub}", spec).items()})
                           for sub, spec in (acled.get("sub_event_types") or {}).items()),
                     {lang: frozenset(map(str, phrases)) for lang, phrases in
                      _by_language(path, f"event type {name!r}: toll", entry.get("toll")).items()})


def _by_language(path: Path, what: str, spec: Any) -> dict[str, list]:
    """A mapping of language codes (those of :data:`geomap.languages.LANGUAGES`) to lists, as
    written for triggers and sub-event phrases; none is an empty mapping."""
    if spec is None:
        return {}
    if not isinstance(spec, dict) or not all(isinstance(v, list) for v in spec.values()):
        raise DataError(f"{path}: {what} must be a mapping of language codes "
                        f"({', '.join(LANGUAGES)}) to lists, not {spec!r}")
    unknown = [str(lang) for lang in spec if lang not in LANGUAGES]
    if unknown:
        raise DataError(f"{path}: {what}: unknown language {', '.join(unknown)}; geomap reads "
                        f"{', '.join(LANGUAGES)}")
    return {str(lang): items for lang, items in spec.items()}


def _trigger(path: Path, name: str, item: Any) -> tuple[str, float]:
    """A trigger as ``(phrase, weight)``: a plain phrase weighs 1."""
    if isinstance(item, str) and item.strip():
        return item, 1.0
    if (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)
            and isinstance(item[1], int | float)):
        return item[0], float(item[1])
    raise DataError(f"{path}: event type {name!r}: a trigger is a phrase or [phrase, weight], "
                    f"not {item!r}")
