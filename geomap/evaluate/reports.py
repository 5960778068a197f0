"""Score geomap on event reports with analysts' gold (the report form of ACLED-style data).

Report form: one JSON object a line with ``id``, ``text``, ``published`` and ``gold``:
``event_date``, ``type`` (geomap's taxonomy), ``sub_event_type`` (ACLED's), ``admin1_iso``,
``latitude``/``longitude``, ``geo_precision`` (1 town, 2 region, 3 country) and ``also`` (other
places of the same report, any of which is accepted). Each report is parsed as an article
published on its ``published`` day; over the reports:

- *place@25km* — reports precise to a town: some place found within :data:`NEAR_KM` of the gold;
- *oblast* — some place found in the gold's first-level unit (a town in it, or the unit itself);
- *event found* — the report yields an event;
- *type* — its first event (in text order) has the gold type;
- *date* — its first event is dated to the gold day (precision ``day``);
- *event oblast* — one of its events lies in the gold's first-level unit;
- *sub-event* — where geomap gives its first event an ACLED sub-event type, the share that is
  ACLED's.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import InputError
from geomap.geo.distance import km
from geomap.models import Article, Mention

NEAR_KM = 25.0
FIGURES = ("place@25km", "oblast", "event found", "type", "date", "event oblast", "sub-event")


@dataclass
class ReportScores:
    """Hits and totals per figure of :data:`FIGURES`, and a line per failure."""

    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    errors: list[str] = field(default_factory=list)

    def add(self, figure: str, ok: bool) -> None:
        self.hits[figure] += ok
        self.totals[figure] += 1

    def figures(self) -> dict[str, float | None]:
        """Each figure, 0..1 (None where no report counts towards it)."""
        return {f: round(self.hits[f] / self.totals[f], 3) if self.totals[f] else None
                for f in FIGURES}


def is_report_gold(path: Path) -> bool:
    """Whether a gold file is in report form (its first line a report with a ``gold`` event)."""
    try:
        with path.open(encoding="utf-8") as f:
            first = json.loads(f.readline())
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(first, dict) and {"id", "text"} <= first.keys() \
        and isinstance(first.get("gold"), dict) and "event_date" in first["gold"]


def load_gold(path: Path) -> list[dict]:
    """The reports of a report-form gold file."""
    try:
        with path.open(encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(f"{path}: cannot read report gold: {e}") from e
    if not all(isinstance(r, dict) and {"id", "text", "gold"} <= r.keys() for r in rows):
        raise InputError(f"{path}: every line must be a report with id, text and gold")
    return rows


def articles(reports: Iterable[dict]) -> list[Article]:
    """The reports as unparsed articles, each published on its ``published`` day."""
    return [Article(id=r["id"], path="", text=r["text"], sha256="", published=r.get("published"))
            for r in reports]


def _admin1(m: Mention) -> set[str]:
    """The first-level units a mention places the reader in."""
    p = m.place
    if p.admin1:
        return {p.admin1}
    return set(p.admin1_all) if p.feature == "admin1" and len(p.admin1_all) == 1 else set()


def score_report(s: ReportScores, report: dict, article: Article) -> None:
    """Add one parsed report to the scores."""
    from geomap.export.acled import sub_event_type  # here: needed by this figure only

    g = report["gold"]
    also = g.get("also") or []
    points = [(o["latitude"], o["longitude"]) for o in [g, *also] if o.get("latitude") is not None]
    isos = {o.get("admin1_iso") for o in [g, *also]} - {None}
    placed = [m for m in article.mentions if m.place]
    label = f"{report['id']}: {report['text'][:120]}"
    if g.get("geo_precision") == 1 and points:
        near = any(km(la, lo, m.place.lat, m.place.lon) <= NEAR_KM for m in placed for la, lo in points)
        _check(s, "place@25km", near, label, f"{g.get('location')} not within {NEAR_KM:.0f} km")
    if isos:
        _check(s, "oblast", any(isos & _admin1(m) for m in placed), label, f"no place in {sorted(isos)}")
    if not g.get("type"):
        return
    first = article.events[0] if article.events else None
    _check(s, "event found", first is not None, label, "no event")
    _check(s, "type", first is not None and first.type == g["type"], label,
           f"type {first.type if first else None}, gold {g['type']}")
    _check(s, "date", first is not None and first.date_precision == "day"
           and first.date == g.get("event_date"), label,
           f"date {first.date if first else None}, gold {g.get('event_date')}")
    if isos:
        _check(s, "event oblast", any(isos & set(e.admin1) for e in article.events), label,
               f"no event in {sorted(isos)}")
    sub = sub_event_type(first, article.lang) if first else ""
    if sub:
        _check(s, "sub-event", sub == g.get("sub_event_type"), label,
               f"sub-event {sub}, gold {g.get('sub_event_type')}")


def _check(s: ReportScores, figure: str, ok: bool, label: str, why: str) -> None:
    s.add(figure, ok)
    if not ok:
        s.errors.append(f"{figure}: {label} — {why}")


def score(reports: list[dict], parsed: list[Article]) -> ReportScores:
    """Score parsed reports (in the order of ``reports``) against their gold."""
    s = ReportScores()
    for report, article in zip(reports, parsed):
        score_report(s, report, article)
    return s


def evaluate(gold_path: Path, jobs: int = 1) -> ReportScores:
    """Parse every report of a report-form gold file (on ``jobs`` processes) and score it."""
    from geomap.build.parallel import Workers, parse_many

    reports = load_gold(gold_path)
    return score(reports, list(parse_many(articles(reports), Workers(jobs=jobs))))


def report(s: ReportScores, quiet: bool = False) -> str:
    """The failures (unless ``quiet``) and one summary line of figures."""
    figures = s.figures()
    summary = "reports: " + "  ".join(
        f"{name} {'-' if value is None else f'{value:.3f}'} (n {s.totals[name]})"
        for name, value in figures.items())
    return "\n".join(([] if quiet else s.errors) + [summary])
