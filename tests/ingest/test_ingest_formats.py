"""Every input read faithfully (issue 20): Markdown rendered, PDF and Word reports, legacy
encodings checked or forced, and nothing silently ignored. Each test makes its files the way a
user's tools would (python-docx, chromium printing a report), reads or builds them with the real
pipeline and checks the places found, the offsets and the reader page."""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geomap import ingest
from geomap.build import build
from geomap.build.catalog import GeoPackageCatalog
from geomap.errors import InputError
from geomap.ingest import read_article, scan_folder
from geomap.models import Article
from geomap.render.pages import page_name
from geomap.stages.pipeline import parse_article

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

MARKDOWN = """---
title: Field notes
published: 2022-09-20
---
# Notes from the south

Shelling hit the centre of **Mykolaiv** overnight, and *Kherson* was without power,
[Reuters](https://www.reuters.com/world/) reported. <script>window.__pwned = 1</script>

- Convoys reached **Zaporizhzhia** on Monday.
"""
# Read by geomap before issue 20 as ISO-8859-2: «» became Ť ť, © Š, ® Ž, ± ą.
CP1252 = ("The governor said «Mykolaiv was shelled again», about 20 km ± 2 from the front. "
          "© 2022 Ukrinform ®")
CP1251 = ("Shelling hit Kharkiv overnight. Residents wrote «Харків тримається» on the walls of "
          "the school, the mayor said in Kyiv.")
MENU = ("<html><head><title>Kyiv Post</title></head><body><nav><ul>"
        "<li><a href='/'>Home</a></li><li><a href='/ukraine'>Ukraine</a></li>"
        "<li><a href='/kharkiv'>Kharkiv</a></li><li><a href='/about'>About us</a></li>"
        "</ul></nav><footer>© 2022 Kyiv Post</footer></body></html>")
COOKIES = ("<html><head><title>Before you continue</title></head><body><div id='cookie-banner'>"
           "We use cookies to improve your experience on our site. Accept all cookies</div>"
           "</body></html>")


def mention_texts(article: Article) -> set[str]:
    return {m.text for m in article.mentions if m.place}


def offsets_hold(article: Article) -> bool:
    return bool(article.mentions) and all(article.text[m.start:m.end] == m.text
                                          for m in article.mentions)


def page_of(out: Path, article_id: str) -> str:
    return (out / "articles" / page_name(article_id)).read_text("utf-8")


def geomap(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True, text=True)


def write_docx(path: Path) -> None:
    """A weekly update as Word writes one: a title, a heading, bold runs, a table."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Weekly update 7"
    document.add_heading("Fighting in Donbas", level=1)
    paragraph = document.add_paragraph("Fighting continued near ")
    paragraph.add_run("Bakhmut").bold = True
    paragraph.add_run(", and shelling was reported in Kramatorsk.")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "Town", (0, 1): "What happened", (1, 0): "Izium",
                             (1, 1): "A mass grave was found"}.items():
        table.cell(row, col).text = text
    document.add_paragraph("Aid convoys reached Kharkiv on Friday.")
    document.save(str(path))


# --- Markdown ---------------------------------------------------------------------------------

def test_markdown_is_read_as_its_rendered_text_and_places_in_emphasis_are_found(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(MARKDOWN, "utf-8")
    article = parse_article(read_article(path))
    assert article.text.startswith("Notes from the south\n\nShelling hit the centre of Mykolaiv")
    assert "**" not in article.text and "](" not in article.text and "#" not in article.text
    assert "<script>" not in article.text
    assert {"Mykolaiv", "Kherson", "Zaporizhzhia"} <= mention_texts(article)
    assert offsets_hold(article)
    assert (article.title, article.published) == ("Field notes", "2022-09-20")
    styles = {(article.text[s.start:s.end], s.kind, s.href) for s in article.styles}
    assert {("Notes from the south", "h1", None), ("Mykolaiv", "strong", None),
            ("Kherson", "em", None),
            ("Reuters", "link", "https://www.reuters.com/world/")} <= styles


def test_the_reader_page_of_markdown_shows_it_rendered_and_links_its_places(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    articles.mkdir()
    (articles / "notes.md").write_text(MARKDOWN, "utf-8")
    build(articles, out)
    page = page_of(out, "notes.md")
    assert '<span class="h1">Notes from the south</span>' in page
    assert '<strong><a class="place" href="../index.html#' in page
    assert '<mark>Mykolaiv</mark></a></strong>' in page
    assert ('<a class="link" href="https://www.reuters.com/world/" rel="noopener noreferrer">'
            'Reuters</a>') in page
    assert "**" not in page and "<script>" not in page and "__pwned" not in page


SOURCED = """---
title: Notes
---
# Shelling near **Kharkiv**

Shelling hit the centre of **Mykolaiv** overnight, and *Kherson* &amp; Odesa were without
power, [officials in Dnipro](https://example.org/dnipro "Dnipro (city)") said. Trains left
`Lviv` late.

1. Convoys reached **Zaporizhzhia** on Monday.
   - a school was hit in _Kramatorsk_

| Town | What happened |
|------|---------------|
| Izium | a mass grave &amp; ruins near Izium |

Fighting continued near Kryvyi **Rih**, and in Bakhmut\\.
"""
SOURCED_PLACES = {"Kharkiv", "Mykolaiv", "Kherson", "Odesa", "Dnipro", "Lviv", "Zaporizhzhia",
                  "Kramatorsk", "Izium", "Kryvyi Rih", "Bakhmut"}


def markup_dropped(source: str) -> str:
    """A stretch of Markdown without its emphasis and code markers."""
    return re.sub(r"[*_`]", "", source)


def assert_in_source(records: list[dict], source: str) -> None:
    """Each record's source offsets hold the name, exactly but for markup inside it."""
    for rec in records:
        inside = source[rec["source_start"]:rec["source_end"]]
        assert markup_dropped(inside) == rec["text"], (rec["text"], inside)
        assert inside == rec["text"] or rec["text"] == "Kryvyi Rih"  # "Kryvyi **Rih"


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_markdown_mentions_say_where_they_are_in_the_file(tmp_path, line_end):
    path = tmp_path / "notes.md"
    path.write_bytes(("\ufeff" + SOURCED.replace("\n", line_end)).encode("utf-8"))
    r = geomap("parse", str(path), "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert SOURCED_PLACES <= {rec["text"] for rec in records}
    assert_in_source(records, path.read_bytes().decode("utf-8-sig"))
    text = read_article(path).text
    assert all(text[rec["start"]:rec["end"]] == rec["text"] for rec in records)


def test_source_offsets_are_kept_by_the_catalog_and_are_none_where_the_file_is_no_text(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    articles.mkdir()
    (articles / "notes.md").write_text(SOURCED, "utf-8")
    (articles / "wire.txt").write_text("Shelling hit Izium.\n", "utf-8")
    write_docx(articles / "update.docx")
    build(articles, out)
    features = json.loads((out / "mentions.geojson").read_text("utf-8"))["features"]
    built = [f["properties"] for f in features]
    r = geomap("export", "--articles", str(articles), "--out", str(out), "--format", "jsonl")
    exported = [json.loads(line) for line in r.stdout.splitlines()]  # parses from the catalog
    assert r.returncode == 0 and exported
    for records in (built, exported):
        by_article = {a: [rec for rec in records if rec["article"] == a]
                      for a in ("notes.md", "wire.txt", "update.docx")}
        assert_in_source(by_article["notes.md"], SOURCED)
        assert [(rec["source_start"], rec["source_end"]) for rec in by_article["wire.txt"]] == [
            (13, 18)]
        assert by_article["update.docx"] and all(
            rec["source_start"] is rec["source_end"] is None for rec in by_article["update.docx"])


def test_a_link_around_a_place_leaves_the_place_its_map_link(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("Strikes hit [the port of Odesa](https://example.org/odesa) at night.\n",
                    "utf-8")
    article = parse_article(read_article(path))
    from geomap.render.pages import marked_text

    html = str(marked_text(article))
    assert ('<a class="link" href="https://example.org/odesa" rel="noopener noreferrer">the port '
            'of </a><a class="place"') in html
    assert html.count("<a ") == html.count("</a>") == 2


# --- Word -------------------------------------------------------------------------------------

def test_a_word_document_gives_its_paragraphs_headings_and_tables_in_order(tmp_path):
    path = tmp_path / "update.docx"
    write_docx(path)
    article = parse_article(read_article(path))
    assert article.text == ("Fighting in Donbas\n\nFighting continued near Bakhmut, and shelling "
                            "was reported in Kramatorsk.\n\nTown\tWhat happened\nIzium\tA mass "
                            "grave was found\n\nAid convoys reached Kharkiv on Friday.")
    assert {"Donbas", "Bakhmut", "Kramatorsk", "Izium", "Kharkiv"} <= mention_texts(article)
    assert offsets_hold(article)
    assert article.title == "Weekly update 7" and article.published is None
    kinds = {(article.text[s.start:s.end], s.kind) for s in article.styles}
    assert {("Fighting in Donbas", "h1"), ("Bakhmut", "strong")} <= kinds


def test_a_file_named_docx_that_is_not_one_is_refused_by_name(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=r"broken\.docx: not a readable Word document"):
        read_article(path)


# --- encodings --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, encoding", [(CP1252, "cp1252"), (CP1251, "cp1251")])
def test_a_legacy_encoding_is_detected_checked_and_named(tmp_path, caplog, text, encoding):
    path = tmp_path / "old.txt"
    path.write_bytes(text.encode(encoding))
    with caplog.at_level(logging.WARNING, logger="geomap"):
        article = parse_article(read_article(path))
    assert article.text == text
    assert f"old.txt: not UTF-8; read as {encoding} (detected" in caplog.text
    places = {"Mykolaiv"} if encoding == "cp1252" else {"Kharkiv", "Kyiv"}
    assert places <= mention_texts(article) and offsets_hold(article)


def test_a_sidecar_encoding_forces_the_decoding_without_a_warning(tmp_path, caplog):
    path = tmp_path / "old.txt"
    path.write_bytes(CP1251.encode("cp1251"))
    (tmp_path / "old.yaml").write_text("encoding: cp1252\n", "utf-8")
    with caplog.at_level(logging.WARNING, logger="geomap"):
        article = read_article(path, encoding="koi8_r")  # the sidecar wins over --encoding
    assert article.text == CP1251.encode("cp1251").decode("cp1252") and caplog.text == ""


def test_an_encoding_given_that_cannot_read_the_file_refuses_it_by_name(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes(CP1251.encode("cp1251"))
    with pytest.raises(InputError, match=r"old\.txt: not UTF-8, nor ascii as given"):
        read_article(path, encoding="ascii")
    (tmp_path / "old.yaml").write_text("encoding: klingon\n", "utf-8")
    with pytest.raises(InputError, match=r"old\.yaml: unknown encoding 'klingon'"):
        read_article(path)


def test_utf8_files_are_read_as_utf8_whatever_encoding_is_given(tmp_path):
    path = tmp_path / "new.txt"
    path.write_text(CP1251, "utf-8")
    assert read_article(path, encoding="cp1252").text == CP1251


def test_a_build_with_another_encoding_reads_the_legacy_files_again(tmp_path):
    articles, out = tmp_path / "articles", tmp_path / "maps"
    articles.mkdir()
    (articles / "old.txt").write_bytes(CP1251.encode("cp1251"))
    (articles / "new.txt").write_text("Shelling hit Izium.\n", "utf-8")
    build(articles, out)
    assert "Харків" in page_of(out, "old.txt")
    report = build(articles, out, encoding="cp1252")
    assert report.parsed == 1  # the UTF-8 file is the same article
    assert "Õàðê³â" in page_of(out, "old.txt")
    assert build(articles, out, encoding="cp1252").outputs == []


def test_the_encoding_option_is_checked_before_anything_is_read():
    r = geomap("parse", "seeds", "--encoding", "klingon")
    assert r.returncode == 2 and "unknown encoding 'klingon'" in r.stderr


# --- HTML that is no article ------------------------------------------------------------------

@pytest.mark.parametrize("html", [MENU, COOKIES])
def test_a_page_of_only_a_menu_or_boilerplate_is_refused_by_name(tmp_path, html):
    path = tmp_path / "page.html"
    path.write_text(html, "utf-8")
    with pytest.raises(InputError, match=r"page\.html: only a menu or boilerplate"):
        read_article(path)


def test_an_article_page_with_a_menu_is_read(tmp_path):
    body = "<p>Russian forces shelled Kharkiv overnight, officials in the city said.</p>" * 3
    path = tmp_path / "a.html"
    path.write_text(MENU.replace("</nav>", f"</nav><article>{body}</article>"), "utf-8")
    assert "Kharkiv overnight" in read_article(path).text


# --- what is not an article -------------------------------------------------------------------

def test_files_of_other_types_are_listed_once_by_type(tmp_path, caplog):
    for name in ("a.txt", "b.xlsx", "c.zip", "d.XLSX", ".hidden", "corrections.csv", "a.yaml"):
        (tmp_path / name).write_text("Kyiv.", "utf-8")
    with caplog.at_level(logging.WARNING, logger="geomap"):
        paths, _ = scan_folder(tmp_path)
    assert [p.name for p in paths] == ["a.txt"]
    assert caplog.messages == [f"{tmp_path}: ignored: 3 files of types .xlsx, .zip (articles "
                               "are .docx, .htm, .html, .markdown, .md, .pdf, .text, .txt)"]


def test_export_of_an_article_that_does_not_exist_is_an_error_naming_those_that_do(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in ("kyiv.txt", "izium.txt"):
        (articles / name).write_text(f"Shelling hit {name[:-4].title()}.\n", "utf-8")
    r = geomap("export", "--articles", str(articles), "--out", str(tmp_path / "maps"),
               "--article", "nosuch", "--article", "kyiv")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.strip() == ("error: --article nosuch: no such article; the articles are "
                                "izium.txt, kyiv.txt")


# --- PDF (printed by chromium) ----------------------------------------------------------------

REPORT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Daily report 12</title>
<style>body { font: 12pt serif; } .narrow { width: 3.2em; } h2 { break-before: page; }</style>
</head><body>
<h1>Daily report 12</h1>
<p>The mission recorded shelling in Kharkiv oblast overnight; residents of the city described
damage to homes and to a school near the centre.</p>
<p class="narrow">Rockets struck the port of Myko&shy;laiv before dawn.</p>
<p>Monitors could not reach the line of contact because of mines on the roads.</p>
<h2>Section two</h2>
<p>Humanitarian convoys reached Izium, where a mass grave had been found in September.</p>
<h2>Section three</h2>
<p>In Kramatorsk, the railway station was closed for the day after an alert.</p>
</body></html>"""
HEADER = ('<div style="font-size:9px; width:100%; text-align:center">Special Monitoring Mission'
          ' — Daily report</div>')
FOOTER = ('<div style="font-size:9px; width:100%; text-align:center">Page <span class="pageNumber">'
          '</span> of <span class="totalPages"></span></div>')


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A report and a scan (a page with no text) printed to PDF by Debian's chromium."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    folder = tmp_path_factory.mktemp("pdf")
    pdfs = {"report": folder / "report.pdf", "scan": folder / "scan.pdf"}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.set_content(REPORT)
        page.pdf(path=str(pdfs["report"]), format="A5", display_header_footer=True,
                 header_template=HEADER, footer_template=FOOTER,
                 margin={"top": "2cm", "bottom": "2cm", "left": "1.5cm", "right": "1.5cm"})
        page.set_content('<div style="width:10cm; height:14cm; background:#555"></div>')
        page.pdf(path=str(pdfs["scan"]), format="A5")
        browser.close()
    return pdfs


@pytest.mark.browser
def test_a_pdf_report_is_read_in_order_without_running_lines_and_hyphens(printed):
    article = parse_article(read_article(printed["report"]))
    text = article.text
    assert text.startswith("Daily report 12\n\nThe mission recorded shelling in Kharkiv oblast")
    assert "Rockets struck the port of Mykolaiv before dawn." in text
    assert "Special Monitoring Mission" not in text and "Page 1 of 3" not in text
    assert text.index("Kharkiv") < text.index("Mykolaiv") < text.index("Izium") \
        < text.index("Kramatorsk")
    assert {"Kharkiv", "Mykolaiv", "Izium", "Kramatorsk"} <= mention_texts(article)
    assert offsets_hold(article)
    assert len(article.pages) == 3
    assert [article.page_of(text.index(w)) for w in ("Mykolaiv", "Izium", "Kramatorsk")] == [1, 2, 3]
    assert article.title == "Daily report 12"
    today = dt.datetime.now(dt.timezone.utc).date()
    assert dt.date.fromisoformat(article.published) in (today, today - dt.timedelta(days=1))


@pytest.mark.browser
def test_a_sidecar_wins_over_the_metadata_of_a_pdf(printed, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(printed["report"].read_bytes())
    (tmp_path / "report.yaml").write_text("title: OSCE SMM daily report\n", "utf-8")
    article = read_article(path)
    assert article.title == "OSCE SMM daily report"
    today = dt.datetime.now(dt.timezone.utc).date()
    assert dt.date.fromisoformat(article.published) in (today, today - dt.timedelta(days=1))


@pytest.mark.browser
def test_a_pdf_without_a_text_layer_is_refused_by_name(printed):
    with pytest.raises(InputError, match=r"scan\.pdf: no text layer; run OCR first"):
        read_article(printed["scan"])


@pytest.mark.browser
def test_a_damaged_pdf_is_refused_by_name(tmp_path, printed):
    path = tmp_path / "cut.pdf"
    path.write_bytes(printed["report"].read_bytes()[:300])
    with pytest.raises(InputError, match=r"cut\.pdf: "):
        read_article(path)


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory: pytest.TempPathFactory, printed) -> Path:
    """A folder of articles of every kind, good and bad, and a few files that are none."""
    folder = tmp_path_factory.mktemp("articles")
    for name, path in printed.items():
        (folder / f"{name}.pdf").write_bytes(path.read_bytes())
    (folder / "notes.md").write_text(MARKDOWN, "utf-8")
    write_docx(folder / "update.docx")
    (folder / "west.txt").write_bytes(CP1252.encode("cp1252"))
    (folder / "east.txt").write_bytes(CP1251.encode("cp1251"))
    (folder / "menu.html").write_text(MENU, "utf-8")
    (folder / "figures.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "photos.zip").write_bytes(b"PK\x03\x04")
    return folder


@pytest.mark.browser
def test_geomap_build_maps_every_kind_and_names_what_it_refused(every_kind, tmp_path):
    out = tmp_path / "maps"
    r = geomap("build", "--articles", str(every_kind), "--out", str(out), "--json")
    assert r.returncode == 3, r.stderr
    summary = json.loads(r.stdout)
    assert summary["articles"] == 5
    assert sorted((Path(s["file"]).name, s["reason"].split(": ", 1)[1])
                  for s in summary["skipped"]) == [
        ("menu.html", "only a menu or boilerplate in the HTML (links, navigation, notices), no "
                      "article text"),
        ("scan.pdf", "no text layer; run OCR first (e.g. ocrmypdf), then read its output")]
    assert r.stderr.count("ignored: 2 files of types .xlsx, .zip") == 1
    assert "west.txt: not UTF-8; read as cp1252" in r.stderr
    assert "east.txt: not UTF-8; read as cp1251" in r.stderr
    features = json.loads((out / "mentions.geojson").read_text("utf-8"))["features"]
    found = {(f["properties"]["article"], f["properties"]["text"]) for f in features}
    assert {("report.pdf", "Mykolaiv"), ("report.pdf", "Izium"), ("notes.md", "Mykolaiv"),
            ("update.docx", "Bakhmut"), ("west.txt", "Mykolaiv"),
            ("east.txt", "Kharkiv")} <= found
    with GeoPackageCatalog(out / "catalog.gpkg") as catalog:
        stored = catalog.load()
    for f in features:
        p = f["properties"]
        assert stored[p["article"]].text[p["start"]:p["end"]] == p["text"]


# geomap build, saying last on stderr whether the build process itself imported pdfminer
BUILD_TELLING_IF_PDFMINER_WAS_IMPORTED = """
import sys
from geomap.cli import cli
try:
    cli(sys.argv[1:])
finally:
    print("pdfminer imported:", "pdfminer" in sys.modules, file=sys.stderr)
"""


@pytest.mark.browser
def test_with_two_jobs_files_are_read_on_the_workers_and_the_outputs_are_the_same(every_kind,
                                                                                  tmp_path):
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"maps-{jobs}"
        runs[jobs] = subprocess.run(
            [sys.executable, "-c", BUILD_TELLING_IF_PDFMINER_WAS_IMPORTED, "build", "--articles",
             str(every_kind), "--out", str(out), "--json", "-j", jobs],
            capture_output=True, text=True)
        assert runs[jobs].returncode == 3, runs[jobs].stderr
    one, two = (runs[j].stderr.splitlines() for j in ("1", "2"))
    assert one[-1] == "pdfminer imported: True" and two[-1] == "pdfminer imported: False"
    assert one[:-1] == two[:-1]  # the same warnings (encodings detected…), in the same order
    assert "west.txt: not UTF-8; read as cp1252" in runs["2"].stderr
    assert json.loads(runs["1"].stdout) == json.loads(runs["2"].stdout)
    written = {jobs: {p.relative_to(tmp_path / f"maps-{jobs}"): p.read_bytes()
                      for p in (tmp_path / f"maps-{jobs}").rglob("*")
                      if p.is_file() and p.suffix in (".html", ".geojson", ".pdf")}
               for jobs in ("1", "2")}
    assert Path("articles/report.pdf") in written["1"] and written["1"] == written["2"]


@pytest.mark.browser
def test_the_reader_page_of_a_pdf_links_each_passage_to_its_page(every_kind, tmp_path):
    out = tmp_path / "maps"
    build(every_kind, out)
    assert (out / "articles" / "report.pdf").read_bytes() == (every_kind / "report.pdf").read_bytes()
    page = page_of(out, "report.pdf")
    assert '<a class="document" href="report.pdf">PDF, 3 pages ↗</a>' in page
    assert page.count('class="pdf-page new"') == 3
    passage = page[page.rindex('<span class="passage"', 0, page.index("Humanitarian convoys")):]
    passage_id = re.match(r'<span class="passage" id="(p\d+)">', passage).group(1)
    assert passage.split(">", 1)[1].startswith('<a class="pdf-page" href="report.pdf#page=2"')
    assert '<a class="pdf-page new" href="report.pdf#page=2" title="page 2 of the PDF">p.&nbsp;2</a>' \
        'Section two' in page
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        reader = browser.new_page()
        errors = []
        reader.on("pageerror", lambda e: errors.append(str(e)))
        reader.goto((out / "articles" / page_name("report.pdf")).as_uri() + f"#{passage_id}")
        target = reader.locator(".passage:target .pdf-page")
        assert target.is_visible()
        href = target.evaluate("a => a.href")
        browser.close()
    assert href.endswith("/articles/report.pdf#page=2") and errors == []


@pytest.mark.browser
def test_the_reader_pages_of_word_and_legacy_encoded_files_show_them_as_written(every_kind,
                                                                              tmp_path):
    out = tmp_path / "maps"
    build(every_kind, out)
    word = page_of(out, "update.docx")
    assert '<span class="h1">Fighting in ' in word and '<strong><a class="place"' in word
    assert "<mark>Bakhmut</mark></a></strong>" in word and "<mark>Izium</mark>" in word
    west, east = page_of(out, "west.txt"), page_of(out, "east.txt")
    assert "«" in west and "±" in west and "Ť" not in west and "Харків тримається" in east


@pytest.mark.browser
def test_pages_rendered_again_from_the_catalog_keep_their_styles_and_pdf(every_kind, tmp_path):
    out = tmp_path / "maps"
    build(every_kind, out)
    before = page_of(out, "notes.md")
    (every_kind / ingest.CORRECTIONS_FILE).write_text("article,passage,mention,event,field,value\n",
                                                     "utf-8")
    try:
        report = build(every_kind, out)
    finally:
        (every_kind / ingest.CORRECTIONS_FILE).unlink()
    assert report.parsed == 0
    assert page_of(out, "notes.md") == before and "<strong>" in before
    assert (out / "articles" / "report.pdf").exists()
    (every_kind / "report.pdf").rename(every_kind / "report.pdf.bak")
    try:
        build(every_kind, out)
        assert not (out / "articles" / "report.pdf").exists()
        assert not (out / "articles" / page_name("report.pdf")).exists()
    finally:
        (every_kind / "report.pdf.bak").rename(every_kind / "report.pdf")
