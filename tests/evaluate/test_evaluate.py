"""``geomap eval``: the seeds meet issue 2's bar, and the scoring rules on small hand-made files."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from paths import ROOT

from geomap.cli import cli

SEEDS_GOLD = ROOT / "tests/fixtures/seeds.gold.jsonl"
KHARKIV = (49.9935, 36.2304)
KM_PER_DEG_LAT = 111.195


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    """Write records as JSON Lines; returns the path."""
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def run_eval(*args: str) -> tuple[int, str]:
    """Exit code and standard output of ``geomap eval ARGS``."""
    result = CliRunner().invoke(cli, ["eval", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def eval_json(gold: Path, pred: Path | None = None, *extra: str) -> dict[str, Any]:
    """The JSON result of ``geomap eval``."""
    code, out = run_eval(gold, *([pred] if pred else []), "--json", *extra)
    assert code == 0, out
    return json.loads(out)


def seeds_gold(tmp_path: Path, mentions: list[dict[str, Any]], article: str = "a.txt") -> Path:
    return write_jsonl(tmp_path / "gold.jsonl", [{"article": article, "mentions": mentions}])


def pred(start: int, end: int, **fields: Any) -> dict[str, Any]:
    """A prediction record for article ``a.txt``."""
    return {"article": "a.txt", "start": start, "end": end, "text": "x" * (end - start)} | fields


def city(lat: float, lon: float, admin1: list[str] | None = None) -> dict[str, Any]:
    return {"level": "city", "country": "UA", "lat": lat, "lon": lon, "admin1": admin1 or []}


# --- the seeds, parsed by geomap -------------------------------------------------------------

def test_seeds_meet_issue_2_bar() -> None:
    r = eval_json(SEEDS_GOLD, None, "--articles", str(ROOT / "seeds"))
    assert r["precision"] >= 0.95
    assert r["recall"] >= 0.97
    assert r["resolution_accuracy"] >= 0.97
    assert r["end_to_end_strict"] >= 0.90


def test_summary_line_format_and_limit() -> None:
    code, out = run_eval(SEEDS_GOLD, "--articles", ROOT / "seeds", "--limit", "1", "--quiet")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("precision ") and " strict " in lines[0]
    assert eval_json(SEEDS_GOLD, None, "--articles", str(ROOT / "seeds"), "--limit", "1")[
        "required"] < eval_json(SEEDS_GOLD, None, "--articles", str(ROOT / "seeds"))["required"]


# --- recognition rules -----------------------------------------------------------------------

def test_prediction_too_long_is_not_credited(tmp_path: Path) -> None:
    gold = seeds_gold(tmp_path, [{"start": 0, "end": 4, "text": "Kyiv", "place": True,
                                  "required": True}])
    ok = eval_json(gold, write_jsonl(tmp_path / "ok.jsonl", [pred(0, 18)]))  # 2 * 4 + 10
    assert (ok["precision"], ok["recall"]) == (1.0, 1.0)
    long = eval_json(gold, write_jsonl(tmp_path / "long.jsonl", [pred(0, 19)]))
    assert (long["precision"], long["recall"]) == (0.0, 0.0)
    assert long["false_positives"] == ["a.txt:0 'xxxxxxxxxxxxxxxxxxx'"]
    assert long["misses"] == ["a.txt:0 'Kyiv'"]


def test_optional_span_excuses_a_prediction_without_counting_for_recall(tmp_path: Path) -> None:
    gold = seeds_gold(tmp_path, [
        {"start": 0, "end": 4, "text": "Kyiv", "place": True, "required": True},
        {"start": 10, "end": 17, "text": "Kremlin", "place": True, "required": False},
        {"start": 20, "end": 27, "text": "Russian", "place": False, "required": False}])
    r = eval_json(gold, write_jsonl(tmp_path / "p.jsonl", [pred(10, 17), pred(20, 27)]))
    assert r["predicted"] == 2 and r["precision"] == 0.5  # the demonym is a false positive
    assert r["required"] == 1 and r["recall"] == 0.0
    assert r["false_positives"] == ["a.txt:20 'xxxxxxx'"]


def test_required_place_wins_the_credit_over_an_optional_one(tmp_path: Path) -> None:
    gold = seeds_gold(tmp_path, [
        {"start": 0, "end": 10, "text": "Kyiv Oblast", "place": True, "required": False},
        {"start": 0, "end": 4, "text": "Kyiv", "place": True, "required": True}])
    r = eval_json(gold, write_jsonl(tmp_path / "p.jsonl", [pred(0, 10)]))
    assert (r["precision"], r["recall"]) == (1.0, 1.0)


# --- resolution rules ------------------------------------------------------------------------

def test_wrong_admin1_is_a_wrong_resolution(tmp_path: Path) -> None:
    exp = {"level": "region", "country": "UA", "admin1": ["UA-14"]}
    gold = seeds_gold(tmp_path, [{"start": 0, "end": 7, "text": "Donetsk", "place": True,
                                  "required": True, "expect": exp}])
    wrong = pred(0, 7, name="Luhansk", feature="admin1", country="UA", admin1="UA-09")
    r = eval_json(gold, write_jsonl(tmp_path / "w.jsonl", [wrong]))
    assert (r["recall"], r["resolution_accuracy"], r["end_to_end"]) == (1.0, 0.0, 0.0)
    assert r["wrong_resolution"] == ["a.txt:0 'Donetsk' -> Luhansk/admin1/UA/UA-09"]
    covering = pred(0, 7, name="Donbas", feature="region", country="UA", admin1=None,
                    admin1_all=["UA-09", "UA-14"])
    assert eval_json(gold, write_jsonl(tmp_path / "c.jsonl", [covering]))["end_to_end_strict"] == 1.0


def test_region_resolved_to_a_point_fails_strict_only(tmp_path: Path) -> None:
    exp = {"level": "region", "country": "UA", "admin1": ["UA-14"]}
    gold = seeds_gold(tmp_path, [{"start": 0, "end": 7, "text": "Donetsk", "place": True,
                                  "required": True, "expect": exp}])
    point = pred(0, 7, name="Donetsk", feature="city", country="UA", admin1="UA-14",
                 lat=48.0, lon=37.8)
    r = eval_json(gold, write_jsonl(tmp_path / "p.jsonl", [point]))
    assert (r["resolution_accuracy"], r["end_to_end_strict"]) == (1.0, 0.0)


def test_city_30_km_off_is_wrong_and_20_km_off_is_right(tmp_path: Path) -> None:
    lat, lon = KHARKIV
    gold = seeds_gold(tmp_path, [{"start": 0, "end": 7, "text": "Kharkiv", "place": True,
                                  "required": True, "expect": city(lat, lon, ["UA-63"])}])
    far = pred(0, 7, name="Kharkiv", feature="city", country="UA", admin1="UA-63",
               lat=lat + 30 / KM_PER_DEG_LAT, lon=lon)
    r = eval_json(gold, write_jsonl(tmp_path / "far.jsonl", [far]))
    assert r["resolution_accuracy"] == 0.0
    assert r["wrong_resolution"] == ["a.txt:0 'Kharkiv' -> Kharkiv/city/UA/UA-63 (30 km)"]
    near = far | {"lat": lat + 20 / KM_PER_DEG_LAT}
    assert eval_json(gold, write_jsonl(tmp_path / "near.jsonl", [near]))["resolution_accuracy"] == 1.0


# --- corpus form -----------------------------------------------------------------------------

def corpus_doc(text: str, toponyms: list[dict[str, Any]]) -> dict[str, Any]:
    return {"doc_id": "7", "text": text, "toponyms": toponyms}


def test_corpus_form_acc_at_161_and_distances(tmp_path: Path) -> None:
    lat, lon = KHARKIV
    gold = write_jsonl(tmp_path / "gold.jsonl", [corpus_doc("x" * 60, [
        {"start": 0, "end": 5, "name": "Alpha", "type": "Toponym", "lat": lat, "lon": lon},
        {"start": 10, "end": 15, "name": "Bravo", "type": "Toponym", "lat": lat, "lon": lon},
        {"start": 20, "end": 25, "name": "Delta", "type": "Toponym", "lat": lat, "lon": lon},
        {"start": 30, "end": 36, "name": "French", "type": "Demonym", "lat": None, "lon": None},
        {"start": 40, "end": 45, "name": "Gulf", "type": "Toponym", "lat": None, "lon": None},
        {"start": 50, "end": 55, "name": "Bogus", "span_ok": False}])])
    near = {"article": "7.txt", "start": 0, "end": 5, "lat": lat + 100 / KM_PER_DEG_LAT, "lon": lon}
    far = {"article": "corpus/7.txt", "start": 10, "end": 15, "lat": lat + 500 / KM_PER_DEG_LAT,
           "lon": lon, "name": "Bravo", "feature": "city", "country": "RU", "admin1": None}
    demonym = {"article": "7.txt", "start": 30, "end": 36, "lat": 46.0, "lon": 2.0}
    bogus = {"article": "7.txt", "start": 50, "end": 55, "lat": 0.0, "lon": 0.0}
    r = eval_json(gold, write_jsonl(tmp_path / "p.jsonl", [near, far, demonym, bogus]))
    assert (r["predicted"], r["precision"]) == (4, 0.5)
    assert (r["required"], r["recall"]) == (3, round(2 / 3, 4))  # "Gulf" has no point: optional
    assert (r["judged"], r["gradable"]) == (2, 3)
    assert (r["resolution_accuracy"], r["end_to_end"]) == (0.5, round(1 / 3, 4))
    assert (r["mean_km"], r["median_km"]) == (300.0, 300.0)
    assert r["auc"] == pytest.approx((math.log1p(100) + math.log1p(500))
                                     / 2 / math.log(20039), abs=1e-4)
    assert r["wrong_resolution"] == ["7.txt:10 'Bravo' -> Bravo/city/RU/None (500 km)"]
    assert r["misses"] == ["7.txt:20 'Delta'"]
    code, out = run_eval(gold, tmp_path / "p.jsonl", "--quiet")
    assert out == "precision 0.500 recall 0.667 f1 0.571 resolution 0.500 end-to-end 0.333 " \
                  f"mean_km 300.0 median_km 300.0 auc {r['auc']}\n"


def test_corpus_form_without_predictions_parses_the_gold_texts(tmp_path: Path) -> None:
    text = "Shelling hit Kharkiv overnight."
    gold = write_jsonl(tmp_path / "gold.jsonl", [corpus_doc(text, [
        {"start": 13, "end": 20, "name": "Kharkiv", "type": "Toponym", "lat": KHARKIV[0],
         "lon": KHARKIV[1]}])])
    r = eval_json(gold)
    assert (r["precision"], r["recall"], r["resolution_accuracy"]) == (1.0, 1.0, 1.0)
    assert r["median_km"] < 161


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("content, message", [
    ("{not json\n", "not JSON"),
    ('{"article": "a.txt"}\n', "neither seeds form"),
    ('{"article": "a.txt", "mentions": [{"start": "0", "end": 4}]}\n', "start/end"),
    ('{"doc_id": "1", "toponyms": [{"start": 0, "end": 4, "lat": 1.0, "lon": null}]}\n', "lat and lon"),
    ("", "no gold documents"),
])
def test_bad_gold_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(gold), "--quiet"])
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


def test_missing_gold_and_missing_article(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1 and "cannot read" in result.stderr
    gold = seeds_gold(tmp_path, [])
    result = CliRunner().invoke(cli, ["eval", str(gold), "--articles", str(tmp_path)])
    assert result.exit_code == 1 and "a.txt" in result.stderr
