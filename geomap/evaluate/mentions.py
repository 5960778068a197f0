"""Score place mentions against gold annotations: recognition, resolution and the errors.

Two gold forms, one JSON object per article and line:

* seeds form: ``{"article": "000_x.txt", "mentions": [{start, end, text, place, required,
  expect: {level: country|region|city, country, admin1: [ISO 3166-2], lat, lon}}]}``
* corpus form: ``{"doc_id": "17", "text": ..., "toponyms": [{start, end, name, type, lat, lon,
  span_ok}]}``; the article is called ``DOC_ID.txt``.

Predictions are mention records (the ``geomap parse --format jsonl`` contract). The rules are
those of the project's yardstick (``../shared/eval/score.py``):

* a prediction matches the gold spans it overlaps and is credited to one of them: a required place
  first, then the largest overlap, then the shortest span; it is credited only if it is at most
  twice that span's length plus 10 characters, and only to a place (not a demonym, say);
* precision counts credited predictions, recall the required places credited with one;
* resolution is judged on the found required places that carry a reference, end-to-end over all
  of those (found or not). Seeds form: same country, predicted admin1 in the gold set, a city
  within 25 km, and ``strict`` wants regions and countries resolved to areas. Corpus form:
  acc@161 km, mean/median error and AUC (mean of ln(1+km)/ln(20039)).
"""
from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geomap.errors import GeomapError
from geomap.geo.distance import km
from geomap.kinds import AREAS

CITY_KM = 25.0
ACC_KM = 161.0
HALF_CIRCUMFERENCE_KM = 20039.0  # the error of a place resolved to nothing
NOT_PLACE_TYPES = frozenset({"Non_Toponym", "Demonym", "Homonym", "Language"})
SEEDS, CORPUS = "seeds", "corpus"


class EvalError(GeomapError):
    """A gold or prediction file that cannot be read or does not have the expected shape."""


# --- data ------------------------------------------------------------------------------------

@dataclass
class GoldSpan:
    """One annotated span; ``required`` places count for recall, the others only excuse a match."""

    start: int
    end: int
    text: str | None
    place: bool
    required: bool
    expect: dict[str, Any] | None = None  # seeds form: the reference resolution
    lat: float | None = None  # corpus form: the reference point
    lon: float | None = None

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def gradable(self) -> bool:
        """Whether the span carries a reference its resolution can be judged against."""
        return self.lat is not None or bool(self.expect)


@dataclass
class GoldDoc:
    """The gold of one article; ``text`` is set for the corpus form only."""

    article: str
    form: str
    spans: list[GoldSpan]
    text: str | None = None


@dataclass
class SpanError:
    """A gold place no prediction found (a miss), or a prediction of no gold place."""

    article: str
    start: int
    text: str | None

    def __str__(self) -> str:
        return f"{self.article}:{self.start} {self.text!r}"


@dataclass
class WrongResolution:
    """A found place resolved wrongly; ``km`` is the best predicted point's distance, if known."""

    article: str
    start: int
    text: str | None
    predicted: list[str]
    km: float | None = None

    def __str__(self) -> str:
        dist = "" if self.km is None else f" ({self.km:.0f} km)"
        return f"{self.article}:{self.start} {self.text!r} -> {', '.join(self.predicted)}{dist}"


@dataclass
class Result:
    """Counts, figures and errors of one evaluation; ``to_dict`` gives score.py's JSON."""

    documents: int = 0
    predicted: int = 0
    credited: int = 0
    required: int = 0
    found: int = 0
    judged: int = 0
    correct: int = 0
    correct_strict: int = 0
    gradable: int = 0
    errors_km: list[float] = field(default_factory=list)
    misses: list[SpanError] = field(default_factory=list)
    false_positives: list[SpanError] = field(default_factory=list)
    wrong: list[WrongResolution] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _ratio(self.credited, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.found, self.required)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def has_distances(self) -> bool:
        """True when points were judged (corpus form): report km figures instead of strict."""
        return bool(self.errors_km)

    def to_dict(self) -> dict[str, Any]:
        """The figures rounded as score.py rounds them, then the error lines."""
        r: dict[str, Any] = {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "f1": round(self.f1, 4), "resolution_accuracy": round(_ratio(self.correct, self.judged), 4),
            "end_to_end": round(_ratio(self.correct, self.gradable), 4),
            "required": self.required, "predicted": self.predicted, "judged": self.judged,
            "gradable": self.gradable}
        if self.has_distances:
            r |= distance_figures(self.errors_km)
        else:
            r["end_to_end_strict"] = round(_ratio(self.correct_strict, self.gradable), 4)
        r["misses"] = [str(e) for e in self.misses]
        r["false_positives"] = [str(e) for e in self.false_positives]
        r["wrong_resolution"] = [str(e) for e in self.wrong]
        return r


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


# --- geometry --------------------------------------------------------------------------------

def pred_point(pred: dict[str, Any]) -> tuple[float, float] | None:
    """A prediction's (lat, lon), or None when it has no usable point."""
    try:
        return float(pred["lat"]), float(pred["lon"])
    except (KeyError, TypeError, ValueError):
        return None


def nearest_km(lat: float, lon: float, preds: Iterable[dict[str, Any]]) -> float | None:
    """Distance from (lat, lon) to the nearest predicted point, None if none has a point."""
    dists = [km(lat, lon, *pt) for pt in map(pred_point, preds) if pt]
    return min(dists) if dists else None


def distance_figures(errors_km: list[float]) -> dict[str, float]:
    """Mean and median error (km) and AUC of the error curve, rounded as score.py does."""
    auc = statistics.fmean(math.log1p(e) / math.log(HALF_CIRCUMFERENCE_KM) for e in errors_km)
    return {"mean_km": round(statistics.fmean(errors_km), 1),
            "median_km": round(statistics.median(errors_km), 1), "auc": round(auc, 4)}


# --- loading ---------------------------------------------------------------------------------

def _json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed object) for each non-blank line; raises EvalError with the place."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = list(f)
    except (OSError, UnicodeDecodeError) as e:
        raise EvalError(f"{path}: cannot read: {getattr(e, 'strerror', None) or e}") from e
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as e:
                raise EvalError(f"{path}:{n}: not JSON: {e.msg}") from e


def _offsets(obj: dict[str, Any], where: str) -> tuple[int, int]:
    start, end = obj.get("start"), obj.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) \
            or isinstance(end, bool) or start > end:
        raise EvalError(f"{where}: start/end must be integers with start <= end")
    return start, end


def _check_expect(exp: Any, where: str) -> dict[str, Any] | None:
    """A seeds ``expect`` block, checked for the fields its level needs."""
    if not exp:
        return None
    if not isinstance(exp, dict) or not isinstance(exp.get("country"), str) or "level" not in exp:
        raise EvalError(f"{where}: expect needs a level and a country code")
    if exp["level"] == "city" and pred_point(exp) is None:
        raise EvalError(f"{where}: a city expect needs lat and lon")
    if not isinstance(exp.get("admin1") or [], list):
        raise EvalError(f"{where}: expect admin1 must be a list of ISO 3166-2 codes")
    return exp


def _seeds_span(m: Any, where: str) -> GoldSpan:
    if not isinstance(m, dict):
        raise EvalError(f"{where}: a mention must be an object")
    start, end = _offsets(m, where)
    place = bool(m.get("place"))
    return GoldSpan(start, end, m.get("text"), place, place and bool(m.get("required")),
                    expect=_check_expect(m.get("expect"), where))


def _corpus_span(t: Any, where: str) -> GoldSpan | None:
    """A corpus toponym as a gold span; None for a span the annotators marked as unreliable."""
    if not isinstance(t, dict):
        raise EvalError(f"{where}: a toponym must be an object")
    if t.get("span_ok") is False:
        return None
    start, end = _offsets(t, where)
    lat, lon, typ = t.get("lat"), t.get("lon"), t.get("type")
    if (lat is None) != (lon is None) or (lat is not None and pred_point(t) is None):
        raise EvalError(f"{where}: lat and lon must both be numbers or both be null")
    place = typ not in NOT_PLACE_TYPES
    has_point = lat is not None
    return GoldSpan(start, end, t.get("name"), place, place and (has_point or typ is None),
                    lat=float(lat) if has_point else None, lon=float(lon) if has_point else None)


def _gold_doc(rec: Any, where: str) -> GoldDoc:
    """One gold line in either form."""
    if isinstance(rec, dict) and isinstance(rec.get("mentions"), list) and "article" in rec:
        spans = [_seeds_span(m, f"{where} mention {i}") for i, m in enumerate(rec["mentions"])]
        return GoldDoc(str(rec["article"]), SEEDS, spans)
    if isinstance(rec, dict) and isinstance(rec.get("toponyms"), list) and "doc_id" in rec:
        spans = [_corpus_span(t, f"{where} toponym {i}") for i, t in enumerate(rec["toponyms"])]
        text = rec.get("text")
        return GoldDoc(f'{rec["doc_id"]}.txt', CORPUS, [s for s in spans if s],
                       text if isinstance(text, str) else None)
    raise EvalError(f"{where}: neither seeds form (article, mentions) nor corpus form "
                    "(doc_id, toponyms)")


def load_gold(path: Path, limit: int | None = None) -> list[GoldDoc]:
    """The gold documents of a file, in order (a repeated article keeps its last annotation)."""
    docs: dict[str, GoldDoc] = {}
    for n, rec in _json_lines(path):
        if limit is not None and len(docs) >= limit:
            break
        doc = _gold_doc(rec, f"{path}:{n}")
        docs[doc.article] = doc
    if not docs:
        raise EvalError(f"{path}: no gold documents")
    return list(docs.values())


def article_key(name: Any) -> str:
    """The file name a prediction's ``article`` refers to (a path is reduced to its last part)."""
    return str(name if name is not None else "").rsplit("/", 1)[-1]


def group_predictions(records: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Mention records grouped by article file name."""
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in records:
        by_article[article_key(rec.get("article"))].append(rec)
    return by_article


def load_predictions(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Mention records of a JSONL file, grouped by article; each needs integer offsets."""
    records = []
    for n, rec in _json_lines(path):
        if not isinstance(rec, dict):
            raise EvalError(f"{path}:{n}: a prediction must be a JSON object")
        _offsets(rec, f"{path}:{n}")
        records.append(rec)
    return group_predictions(records)


# --- scoring ---------------------------------------------------------------------------------

def seeds_correct(exp: dict[str, Any], pred: dict[str, Any], strict: bool = False) -> bool:
    """Whether a prediction resolves a seeds-form place as expected."""
    if (pred.get("country") or "").upper() != exp["country"]:
        return False
    level = exp["level"]
    if level == "country":
        return not strict or pred.get("feature") == "country"
    wanted = set(exp.get("admin1") or [])
    got = {pred.get("admin1")} | set(pred.get("admin1_all") or [])
    if wanted and not wanted & got:
        return False
    if level == "city":
        pt = pred_point(pred)
        return pt is not None and km(exp["lat"], exp["lon"], *pt) <= CITY_KM
    if level == "region" and strict:
        return pred.get("feature") in AREAS
    return True


def _overlap(pred: dict[str, Any], span: GoldSpan) -> int:
    return min(pred["end"], span.end) - max(pred["start"], span.start)


def credit_span(pred: dict[str, Any], spans: list[GoldSpan]) -> GoldSpan | None:
    """The gold place a prediction is credited to, or None (a false positive)."""
    touching = [g for g in spans if pred["start"] < g.end and g.start < pred["end"]]
    if not touching:
        return None
    best = max(touching, key=lambda g: (g.required, g.place, _overlap(pred, g), -g.length))
    too_long = pred["end"] - pred["start"] > 2 * best.length + 10
    return best if best.place and not too_long else None


def _describe(preds: list[dict[str, Any]]) -> list[str]:
    return [f'{p.get("name")}/{p.get("feature")}/{p.get("country")}/{p.get("admin1")}' for p in preds]


def _judge_seeds(doc: GoldDoc, g: GoldSpan, hits: list[dict[str, Any]], r: Result) -> None:
    exp = g.expect
    if not exp:
        return
    r.judged += 1
    if any(seeds_correct(exp, p) for p in hits):
        r.correct += 1
        r.correct_strict += any(seeds_correct(exp, p, strict=True) for p in hits)
        return
    km = nearest_km(exp["lat"], exp["lon"], hits) if exp.get("level") == "city" else None
    r.wrong.append(WrongResolution(doc.article, g.start, g.text, _describe(hits), km))


def _judge_corpus(doc: GoldDoc, g: GoldSpan, hits: list[dict[str, Any]], r: Result) -> None:
    if g.lat is None or g.lon is None:
        return
    r.judged += 1
    km = nearest_km(g.lat, g.lon, hits)
    err = HALF_CIRCUMFERENCE_KM if km is None else km
    r.errors_km.append(err)
    if err <= ACC_KM:
        r.correct += 1
    else:
        r.wrong.append(WrongResolution(doc.article, g.start, g.text, _describe(hits), err))


def score_document(doc: GoldDoc, preds: list[dict[str, Any]], r: Result) -> None:
    """Add one article's counts and errors to ``r``."""
    r.documents += 1
    r.predicted += len(preds)
    credited: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in preds:
        g = credit_span(p, doc.spans)
        if g is None:
            r.false_positives.append(SpanError(doc.article, p["start"], p.get("text")))
        else:
            r.credited += 1
            credited[id(g)].append(p)
    for g in doc.spans:
        if not g.required:
            continue
        r.required += 1
        r.gradable += g.gradable
        hits = credited.get(id(g), [])
        if not hits:
            r.misses.append(SpanError(doc.article, g.start, g.text))
            continue
        r.found += 1
        (_judge_seeds if doc.form == SEEDS else _judge_corpus)(doc, g, hits, r)


def score(gold: list[GoldDoc], preds: dict[str, list[dict[str, Any]]]) -> Result:
    """Score predictions (grouped by article) against gold documents."""
    r = Result()
    for doc in gold:
        score_document(doc, preds.get(doc.article, []), r)
    return r


# --- running geomap on the gold --------------------------------------------------------------

def parse_doc(doc: GoldDoc, articles_dir: Path) -> list[dict[str, Any]]:
    """geomap's mention records for one gold document (its own text, or its article file)."""
    from geomap import ingest
    from geomap.stages.pipeline import parse_article, parse_text

    if doc.form == CORPUS:
        if doc.text is None:
            raise EvalError(f"{doc.article}: corpus-form gold without a text to parse")
        article = parse_text(doc.text, article_id=doc.article)
    else:
        article = parse_article(ingest.read_article(articles_dir / doc.article))
    return [article.record(m) for m in article.mentions if m.place]


def predict(gold: list[GoldDoc], articles_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Run geomap on every gold document; mention records grouped by article."""
    return group_predictions(rec for doc in gold for rec in parse_doc(doc, articles_dir))


def evaluate(gold_path: Path, pred_path: Path | None = None, articles_dir: Path = Path("seeds"),
             limit: int | None = None) -> Result:
    """Score a predictions file, or geomap itself when there is none, on (the first N of) a gold."""
    gold = load_gold(gold_path, limit)
    preds = load_predictions(pred_path) if pred_path is not None else predict(gold, articles_dir)
    return score(gold, preds)


# --- reporting -------------------------------------------------------------------------------

def error_lines(r: Result) -> list[str]:
    """One line per miss, false positive and wrong resolution, as score.py prints them."""
    return ([f"miss: {e}" for e in r.misses] + [f"false positive: {e}" for e in r.false_positives]
            + [f"wrong place: {e}" for e in r.wrong])


def summary_line(r: Result) -> str:
    """The one-line summary, in score.py's format."""
    d = r.to_dict()
    extra = (f' mean_km {d["mean_km"]} median_km {d["median_km"]} auc {d["auc"]}' if r.has_distances
             else f' strict {d["end_to_end_strict"]:.3f}')
    return (f'precision {d["precision"]:.3f} recall {d["recall"]:.3f} f1 {d["f1"]:.3f} '
            f'resolution {d["resolution_accuracy"]:.3f} end-to-end {d["end_to_end"]:.3f}{extra}')


def report(r: Result, quiet: bool = False, as_json: bool = False) -> str:
    """What ``geomap eval`` prints: the JSON result, or the error lines and the summary."""
    if as_json:
        return json.dumps(r.to_dict(), indent=1, ensure_ascii=False)
    return "\n".join(([] if quiet else error_lines(r)) + [summary_line(r)])
