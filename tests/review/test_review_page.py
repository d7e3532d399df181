"""The review page, in Python (the span tree, escaping) and in a real headless Chromium.

The browser is Debian's ``chromium`` (never downloaded): set BELNEWS_CHROMIUM to use another
binary. Without a browser binary the browser tests are skipped, except under CI (CI is set),
where they fail, so a missing package cannot silently turn them off.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_builders import cluster, figure, mention, quote, record

from belnews.review.html import (
    LAYER_ORDER,
    Mark,
    build_tree,
    figure_reading,
    render_page,
    render_tree,
)
from belnews.review.page import write_review

ROOT = Path(__file__).resolve().parents[2]
SEED = "002_a7d1dc08e0c5cbcf"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

NASTY = (
    '<script>window.pwned = 1</script> Ann &amp; "Bob" said: "It costs <b>5</b> & more."\n\n'
    "<img src=x onerror=\"window.pwned = 2\"> Ann left."
)


def seed_record() -> dict:
    return json.loads((ROOT / "corpus" / "records" / f"{SEED}.json").read_text(encoding="utf-8"))


def nasty_record() -> dict:
    t = NASTY
    note = '</script><script>window.pwned = 3</script><!-- "&amp;'
    return record(
        "nasty",
        t,
        quotes=[quote(t, "q1", "It costs <b>5</b> & more.", cue="said", source='Ann &amp; "Bob"',
                      source_kind="group", note=note)],
        figures=[figure(t, "f1", "5", value="5", asserted_by="q1", note=note)],
        entities=[
            mention(t, "m1", "<script>", "PRODUCT", "c1", note=note),
            mention(t, "m2", "Ann", "PERSON", "c2"),
            mention(t, "m3", "Ann &amp;", "ORG", "c3", mention_type="nominal"),
            mention(t, "m4", "Ann", "PERSON", "c2", 2),
        ],
        clusters=[cluster("c1", "PRODUCT", "<script>"), cluster("c2", "PERSON", "Ann"),
                  cluster("c3", "ORG", "Ann &amp;")],
    )


# --------------------------------------------------------------------------- without a browser


def test_crossing_spans_are_split_into_pieces() -> None:
    text = "abcdefghij"
    marks = [
        Mark("A", "A", "quotes", 0, 5, ("q",)),
        Mark("B", "B", "entities", 3, 8, ("ent",)),
        Mark("C", "C", "entities", 3, 4, ("ent",)),
    ]
    html = render_tree(text, build_tree(len(text), marks))
    # B crosses A's end: one piece inside A (3-5), one after it (5-8); C nests in B's first.
    assert html == (
        '<span class="mk q last first" data-uid="A" data-ann="A" data-start="0" data-end="5">abc'
        '<span class="mk ent first" data-uid="B" data-ann="B" data-start="3" data-end="5" '
        'style="padding-bottom:5px">'
        '<span class="mk ent last first" data-uid="C" data-ann="C" data-start="3" data-end="4" '
        'style="padding-bottom:1px">d</span>e</span></span>'
        '<span class="mk ent last" data-uid="B" data-ann="B" data-start="5" data-end="8" '
        'style="padding-bottom:1px">fgh</span>ij'
    )


def test_figure_readings() -> None:
    assert figure_reading({"value": "6000", "comparator": "gte"}) == "≥6000"
    assert figure_reading({"value": "80", "comparator": "eq", "unit": "%"}) == "80%"
    assert figure_reading({"value": None, "low": "1", "high": "2", "comparator": "eq",
                           "unit": "d", "iso": None}) == "1–2 d"
    assert figure_reading({"value": None, "comparator": "eq", "iso": "T06:00"}) == "T06:00"
    assert figure_reading({"value": None, "comparator": "eq", "kind": "vague"}) == "vague"


def test_article_text_is_escaped_in_the_html() -> None:
    page = render_page(nasty_record())
    body = page.split('<article id="text"', 1)[1].split("</article>", 1)[0]
    assert "<script>" not in body and "<img" not in body and "<b>" not in body
    assert "&lt;script&gt;</span>window.pwned = 1&lt;/script&gt;" in body
    assert "&amp;amp;" in body and "&lt;b&gt;5&lt;/b&gt;" not in body  # 5 is a figure
    assert "&lt;img src=x onerror" in body
    # The annotation data cannot close its <script> element early.
    data = page.split('id="ann-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data
    # Only two script elements: the JSON data and the page's own script.
    assert page.count("<script") == 2


def test_page_needs_no_network() -> None:
    rec = seed_record()
    rec["metadata"]["url"] = {"value": None, "inferred": False, "evidence": "not in the test"}
    page = render_page(rec)
    for needle in ("http:", "https:", "://", "@import", " src=", "url(", "<link"):
        assert needle not in page, needle
    assert "default-src &#x27;none&#x27;" in page  # escaped inside the attribute


# --------------------------------------------------------------------------- in Chromium


def chromium_path() -> str | None:
    path = os.environ.get("BELNEWS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


@pytest.fixture(name="browser", scope="module")
def _browser() -> Iterator[object]:
    playwright = pytest.importorskip("playwright.sync_api")
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("no chromium binary: apt-get install chromium (or set BELNEWS_CHROMIUM)")
        pytest.skip("no chromium binary (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(name="open_page")
def _open_page(browser: object, tmp_path: Path) -> Iterator[object]:
    """Open a record's page from a file:// URL; fail on any script error or request."""
    opened = []

    def open_(rec: dict, silver: dict | None = None, name: str = "page.html") -> object:
        path = tmp_path / name
        path.write_text(render_page(rec, silver), encoding="utf-8")
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.errors = []  # type: ignore[attr-defined]
        page.requests = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error"
                else None)
        page.on("request", lambda req: page.requests.append(req.url))
        page.goto(path.as_uri())
        opened.append(page)
        return page

    yield open_
    for page in opened:
        assert page.errors == []
        assert all(url.startswith("file://") for url in page.requests), page.requests
        page.close()


def marked_pieces(page: object) -> list[dict]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#text .mk')).map(e => ({
            uid: e.dataset.uid, start: +e.dataset.start, end: +e.dataset.end,
            text: e.textContent}))"""
    )


def expected_spans(rec: dict) -> dict[str, str]:
    """uid -> span text for every span the page marks."""
    out = {}
    for q in rec["quotes"]:
        for n, frag in enumerate(q["content"]):
            out[f"{q['id']}.c{n}"] = frag["text"]
        for role, short in (("cue", "cue"), ("source", "src"), ("addressee", "to"),
                            ("channel", "via"), ("time", "when"), ("place", "where")):
            if q.get(role):
                out[f"{q['id']}.{short}"] = q[role]["text"]
    for a in rec["figures"] + rec["entities"]:
        out[a["id"]] = a["text"]
    return out


def check_marks(page: object, rec: dict) -> None:
    text = rec["text"]
    pieces = marked_pieces(page)
    assert pieces
    for piece in pieces:
        assert piece["text"] == text[piece["start"] : piece["end"]], piece
    joined: dict[str, list[dict]] = {}
    for piece in pieces:
        joined.setdefault(piece["uid"], []).append(piece)
    expected = expected_spans(rec)
    assert set(joined) == set(expected)
    for uid, parts in joined.items():
        parts.sort(key=lambda p: p["start"])
        for left, right in itertools.pairwise(parts):
            assert left["end"] == right["start"]  # pieces of one span are contiguous
        assert "".join(p["text"] for p in parts) == expected[uid]
    # The page shows the whole text, unchanged.
    assert page.text_content("#text") == text


def panel(page: object) -> dict[str, str]:
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll('#panel-fields tr')).map(
            tr => [tr.dataset.field, tr.children[1].textContent])"""
    )
    return dict(rows)


def test_seed_page_marks_click_toggle_screenshot(open_page, tmp_path: Path) -> None:
    rec = seed_record()
    page = open_page(rec)
    check_marks(page, rec)

    # Click a figure: the panel shows its attributes.
    fig = next(f for f in rec["figures"] if f["text"] == "At least 6,000")
    page.click(f'#text [data-uid="{fig["id"]}"] >> nth=0')
    assert page.text_content("#panel-title") == f"figure {fig['id']} (count): ≥6000"
    fields = panel(page)
    assert fields["value"] == "6000"
    assert fields["comparator"] == "gte"
    assert fields["text"] == "At least 6,000"
    assert fields["status"] == "gold"

    # Click a quote's cue: the quote is selected and its content and source are linked.
    q = next(q for q in rec["quotes"] if q["cue"] and q["source"] and q["kind"] == "direct")
    page.click(f'#text [data-uid="{q["id"]}.cue"]')
    assert page.text_content("#panel-title").startswith(f"quote {q['id']} (direct)")
    selected = page.evaluate(
        "() => Array.from(document.querySelectorAll('#text .sel')).map(e => e.dataset.uid)"
    )
    assert f"{q['id']}.c0" in selected and f"{q['id']}.src" in selected
    assert panel(page)["source"].startswith(f"«{q['source']['text']}»")

    # Toggle the quote layer off: quote marks lose their colour, the text stays.
    content = f'#text [data-uid="{q["id"]}.c0"] >> nth=0'
    colour = "e => getComputedStyle(e).backgroundColor"
    assert page.eval_on_selector(content, colour) != "rgba(0, 0, 0, 0)"
    page.uncheck("#toggle-quotes")
    assert page.eval_on_selector("body", "b => b.classList.contains('hide-quotes')")
    assert page.eval_on_selector(content, colour) == "rgba(0, 0, 0, 0)"
    assert page.text_content("#text") == rec["text"]
    page.check("#toggle-quotes")
    assert page.eval_on_selector(content, colour) != "rgba(0, 0, 0, 0)"

    shot = tmp_path / "review.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000


def test_hostile_text_shows_as_text(open_page) -> None:
    rec = nasty_record()
    page = open_page(rec)
    assert page.evaluate("() => window.pwned") is None
    check_marks(page, rec)
    assert page.evaluate("() => document.querySelectorAll('#text script, #text img, #text b')"
                         ".length") == 0
    page.click('#text [data-uid="m1"]')
    fields = panel(page)
    assert fields["text"] == "<script>"
    assert fields["note"] == '</script><script>window.pwned = 3</script><!-- "&amp;'
    # «Ann» sits in the nominal mention «Ann &amp;», inside the quote's source: a click on it
    # selects the innermost span and offers the ones around it.
    page.click('#text [data-uid="m2"]')
    assert page.text_content("#panel-title") == "mention m2 (PERSON, name)"
    assert "mention m3 (ORG, nominal)" in page.text_content("#panel-stack")
    page.click("#panel-stack button >> text=quote q1")
    assert panel(page)["source"] == '«Ann &amp; "Bob"» [34, 49)'
    assert page.evaluate("() => window.pwned") is None


def test_nested_and_crossing_spans_across_layers(open_page) -> None:
    t = "The minister of Belarus said the prices rose by 5 percent in Minsk."
    rec = record(
        "nest",
        t,
        quotes=[
            quote(t, "q1", "the prices rose by 5 percent", kind="indirect", cue="said",
                  source="The minister of Belarus"),
            # crosses the figure below: starts inside it
            quote(t, "q2", "percent in Minsk", kind="partial", parent="q1"),
        ],
        figures=[figure(t, "f1", "5 percent", kind="percent", value="5", unit="%")],
        entities=[
            mention(t, "m1", "The minister of Belarus", "PERSON", "c1", mention_type="nominal"),
            mention(t, "m2", "Belarus", "GPE", "c2"),
            mention(t, "m3", "Minsk", "GPE", "c3",
                    origin={"method": "model", "annotator": "m", "status": "silver"}),
        ],
        clusters=[cluster("c1", "PERSON", "minister"), cluster("c2", "GPE", "Belarus"),
                  cluster("c3", "GPE", "Minsk")],
    )
    page = open_page(rec)
    check_marks(page, rec)
    # A silver suggestion looks different from gold: dashed, not solid.
    border = "e => getComputedStyle(e).borderBottomStyle"
    assert page.eval_on_selector('#text [data-uid="m3"]', border) == "dashed"
    assert page.eval_on_selector('#text [data-uid="m2"]', border) == "solid"
    # The nested mention sits inside the source and the outer mention; clicking it selects it
    # and offers the spans around it.
    page.click('#text [data-uid="m2"]')
    assert page.text_content("#panel-title") == "mention m2 (GPE, name)"
    stack = page.text_content("#panel-stack")
    assert "mention m1" in stack and "quote q1" in stack


def test_silver_against_gold_shows_what_a_person_changed(open_page, tmp_path: Path) -> None:
    gold = seed_record()
    silver = copy.deepcopy(gold)
    for layer in ("quotes", "figures", "entities"):
        for a in silver[layer]:
            a["origin"] = {"method": "rule", "annotator": "test-rules", "status": "silver"}
    fig = next(f for f in silver["figures"] if f["text"] == "At least 6,000")
    fig["comparator"] = "eq"  # a person corrected it to gte
    added = silver["entities"].pop()  # the machine missed it, a person added it
    # The machine proposed «Thursday» as an organisation; a person removed it.
    silver["entities"].append(
        mention(gold["text"], "m999", "Thursday", "ORG", silver["entities"][0]["cluster"],
                origin={"method": "rule", "annotator": "test-rules", "status": "silver"})
    )
    page = open_page(gold, silver, name="diff.html")
    total = len(gold["quotes"]) + len(gold["figures"]) + len(gold["entities"])
    assert page.text_content("#change-counts") == (
        f"{total - 2} accepted, 1 changed, 1 added, 1 rejected "
        "(silver suggestions against this record)"
    )
    page.click(f'#text [data-uid="{fig["id"]}"] >> nth=0')
    changed = page.evaluate(
        """() => Array.from(document.querySelectorAll('#panel-changed tr')).map(
            tr => Array.from(tr.children).map(td => td.textContent))"""
    )
    assert changed == [["comparator", "eq", "gte"]]
    items = page.text_content("#changes")
    assert f"entities {added['id']} added: added by a person" in items
    assert "entities m999 rejected: suggestion removed by a person" in items
    assert page.text_content('#text [data-uid="silver:m999"]') == "Thursday"
    page.click("#changes button >> text=entities m999")
    assert page.text_content("#panel-title") == "mention m999 (ORG, name) (rejected suggestion)"
    page.screenshot(path=str(tmp_path / "diff.png"))
    if os.environ.get("BELNEWS_SCREENSHOTS"):  # for a person to look at
        page.click(f'#text [data-uid="{fig["id"]}"] >> nth=0')
        page.screenshot(path=os.environ["BELNEWS_SCREENSHOTS"] + "/diff.png")


def test_rejected_suggestion_is_marked_and_toggled(open_page) -> None:
    t = "Ann Lee met Bob in Rome."
    gold = record("r", t, entities=[mention(t, "m1", "Ann Lee", "PERSON", "c1")],
                  clusters=[cluster("c1", "PERSON", "Ann Lee")])
    silver = copy.deepcopy(gold)
    silver["entities"].append(mention(t, "m2", "Rome", "GPE", "c2",
                                      origin={"method": "rule", "annotator": "x",
                                              "status": "silver"}))
    silver["clusters"].append(cluster("c2", "GPE", "Rome"))
    page = open_page(gold, silver)
    counts = page.text_content("#change-counts")
    assert counts.startswith("1 accepted, 0 changed, 0 added, 1 rejected")
    rejected = page.eval_on_selector('#text [data-uid="silver:m2"]', "e => e.className")
    assert "rej" in rejected.split()
    assert page.text_content('#text [data-uid="silver:m2"]') == "Rome"
    page.click('#text [data-uid="silver:m2"]')
    assert page.text_content("#panel-title") == "mention m2 (GPE, name) (rejected suggestion)"
    page.uncheck("#toggle-rejected")
    style = page.eval_on_selector('#text [data-uid="silver:m2"]', "e => getComputedStyle(e)"
                                  ".textDecorationLine")
    assert style == "none"


def test_write_review_by_id_and_by_file(tmp_path: Path) -> None:
    out = write_review(SEED, out=tmp_path / "a" / "page.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    path = tmp_path / "rec.json"
    path.write_text(json.dumps(nasty_record()), encoding="utf-8")
    out = write_review(str(path), out=tmp_path / "b.html", silver=path)
    assert "0 changed, 0 added, 0 rejected" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b.html", "rec.json"]


class _Pieces(HTMLParser):
    """Collects (data-start, data-end, text inside) for every marked element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[int, int, list[str]]] = []
        self.pieces: list[tuple[int, int, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.open.append((int(a["data-start"]), int(a["data-end"]), []))

    def handle_endtag(self, tag: str) -> None:
        start, end, parts = self.open.pop()
        self.pieces.append((start, end, "".join(parts)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for _, _, parts in self.open:
            parts.append(data)


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet="ab<>&\"' \n", min_size=1, max_size=30),
    st.lists(st.tuples(st.integers(0, 29), st.integers(1, 30), st.sampled_from(list(LAYER_ORDER))),
             max_size=12),
)
def test_any_spans_render_as_pieces_of_their_own_text(text: str, spans: list) -> None:
    marks = [
        Mark(f"u{n}", f"u{n}", layer, s, min(len(text), s + length), ("x",))
        for n, (s, length, layer) in enumerate(spans)
        if s < len(text)
    ]
    parser = _Pieces()
    parser.feed(render_tree(text, build_tree(len(text), marks)))
    parser.close()
    assert "".join(parser.text) == text
    assert not parser.open
    for start, end, inside in parser.pieces:
        assert inside == text[start:end]
    assert len(parser.pieces) >= len(marks)
