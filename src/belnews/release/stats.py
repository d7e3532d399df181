"""Corpus statistics as plain data, and their text/Markdown renderings.

DATASHEET.md embeds the Markdown between ``<!-- stats:begin -->`` and ``<!-- stats:end -->``;
a test regenerates it and fails when the document is stale.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from belnews import __version__

BEGIN, END = "<!-- stats:begin -->", "<!-- stats:end -->"


def _token_class(ch: str) -> int:
    """The ASCII byte that stands for a non-ASCII character in :func:`count_tokens`: the
    tokenizer only asks whether a character is a word character, a space, or ’."""
    if ch == "’":
        return ord("'")
    if ch.isalnum() or ch == "_":
        return ord("a")
    return ord(" ") if ch.isspace() else ord("#")


def _ascii_classes() -> Any:
    """For each byte value below 128: 0 word character, 1 space, 2 ``-`` or ``'``, 3 other."""
    import numpy as np

    kind = np.full(256, 3, dtype=np.uint8)
    for c in range(128):
        if chr(c).isalnum() or chr(c) == "_":
            kind[c] = 0
        elif chr(c).isspace():
            kind[c] = 1
        elif chr(c) in "-'":
            kind[c] = 2
    return kind


def count_tokens(text: Any) -> int:
    """``sum(len(TOKEN_PATTERN.findall(t)) for t in text)`` over an Arrow string array,
    without a Python loop over the texts (a test compares the two on random text).

    The tokenizer makes one token of each run of word characters, merging two runs joined
    by one of ``-'’``, and one token of every other character that is not a space; then it
    splits a final clitic off a word. So the count is: word runs + other characters - twice
    the joining characters + the words split (:func:`_clitic_splits`). Each non-ASCII
    character is first replaced by an ASCII one of the same class (word, space, ’, other),
    classified by Python itself.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from belnews.check.columns import _decode_at, _string_bytes

    text = text.cast(pa.string())
    if not len(text):
        return 0
    raw, offsets = _string_bytes(text)
    buf = raw[offsets[0] : offsets[-1]]
    starts = offsets[:-1] - offsets[0]
    if len(buf) and int(buf.max()) >= 0x80:
        lead = np.flatnonzero(buf >= 0xC0)
        distinct, where = np.unique(_decode_at(buf, lead), return_inverse=True)
        classes = np.array([_token_class(chr(c)) for c in distinct.tolist()], dtype=np.uint8)
        mapped = buf.copy()
        mapped[lead] = classes[where]
        buf = mapped[(buf < 0x80) | (buf >= 0xC0)]  # one byte per character now
        lengths = np.asarray(pc.utf8_length(pc.fill_null(text, "")), dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    if not len(buf):
        return 0
    kind = _ascii_classes()[buf]  # 0 word, 1 space, 2 joiner, 3 other
    word = kind == 0
    first = np.zeros(len(buf), dtype=bool)
    first[starts[starts < len(buf)]] = True  # a text's first character
    ends = np.concatenate((starts[1:], [len(buf)]))
    last = np.zeros(len(buf), dtype=bool)
    last[ends[ends > starts] - 1] = True  # a text's last character
    prev_word = np.concatenate(([False], word[:-1])) & ~first
    next_word = np.concatenate((word[1:], [False])) & ~last
    runs = int(np.count_nonzero(word & ~prev_word))
    other = int(np.count_nonzero(kind >= 2))
    joined = (kind == 2) & prev_word & next_word
    joins = int(np.count_nonzero(joined))
    return runs + other - 2 * joins + _clitic_splits(buf, word, prev_word, next_word, joined)


def _clitic_splits(buf: Any, word: Any, prev_word: Any, next_word: Any, joined: Any) -> int:
    """How many words end in a clitic that the tokenizer splits off (``'s``, ``n't``, …).

    Each such split turns one joined word into two tokens. A split needs an apostrophe that
    joins two runs, the run after it being the word's last (no join right after it) and
    exactly a clitic, or ``t`` after an ``n`` that ends a run of two or more characters.
    """
    import numpy as np

    from belnews.corpus.tokens import CLITICS

    at = np.flatnonzero(joined & (buf == ord("'")))  # ’ was mapped to '
    if not len(at):
        return 0
    last_chars = np.flatnonzero(word & ~next_word)  # the last character of every run
    end = last_chars[np.searchsorted(last_chars, at + 1)]  # of the run after each apostrophe
    size = end - at
    after = np.concatenate((joined[1:], [False]))
    final = ~after[end]  # no join follows: the word's last run
    lower = buf | 0x20  # ASCII letters to lower case; word characters stay apart from them
    one = lower[at + 1]
    two = np.where(size >= 2, lower[np.minimum(at + 2, len(buf) - 1)], 0)
    clitic = np.zeros(len(at), dtype=bool)
    for c in CLITICS:
        if len(c) == 1:
            clitic |= (size == 1) & (one == ord(c))
        else:
            clitic |= (size == 2) & (one == ord(c[0])) & (two == ord(c[1]))
    nt = (size == 1) & (one == ord("t")) & (lower[at - 1] == ord("n")) & prev_word[at - 1]
    return int(np.count_nonzero(final & (clitic | nt)))


class Stats:
    """Accumulates the statistics record by record (memory does not grow with the corpus)."""

    def __init__(self) -> None:
        self.articles = self.characters = self.tokens = 0
        self.counters: dict[str, Counter[str]] = {
            name: Counter()
            for name in (
                "sections",
                "removed",
                "quote_kind",
                "source_kind",
                "figure_kind",
                "mention_type",
                "label",
                "nil_reason",
            )
        }
        self.numbers: Counter[str] = Counter()

    def add(self, record: dict[str, Any]) -> None:
        from belnews.corpus.tokens import TOKEN_PATTERN

        c, n = self.counters, self.numbers
        self.articles += 1
        self.characters += len(record["text"])
        self.tokens += len(TOKEN_PATTERN.findall(record["text"]))
        c["sections"].update(s["type"] for s in record["sections"])
        c["removed"].update(x["rule"] for x in record["provenance"]["removed"])
        for q in record["quotes"]:
            c["quote_kind"][q["kind"]] += 1
            c["source_kind"][q["source_kind"]] += 1
            n["with_speaker"] += q["speaker"] is not None
            n["likely_translated"] += q["likely_translated"]
            n["repeats"] += bool(q["repeats"])
        for f in record["figures"]:
            c["figure_kind"][f["kind"]] += 1
            n["asserted"] += f["asserted_by"] is not None
        for m in record["entities"]:
            c["mention_type"][m["mention_type"]] += 1
            if m["mention_type"] == "name":
                c["label"][m["label"]] += 1
        for cl in record["clusters"]:
            n["clusters"] += 1
            if cl["wikidata"] is None:
                c["nil_reason"][cl["nil_reason"]] += 1
            else:
                n["linked"] += 1

    def add_table(self, articles: Any) -> None:
        """Add a whole Arrow table of records at once (the same counts as :meth:`add`).

        Tokens are counted by :func:`count_tokens`.
        """
        import pyarrow.compute as pc

        from belnews.schema.arrow import struct_rows

        articles = struct_rows(articles)
        field = pc.struct_field
        c, n = self.counters, self.numbers

        def tally(counter: Counter[str], values: Any) -> None:
            for item in pc.value_counts(values.drop_null()).to_pylist():
                counter[item["values"]] += item["counts"]

        def present(values: Any) -> int:
            return len(values) - values.null_count

        text = field(articles, "text")
        self.articles += len(articles)
        self.characters += int(pc.sum(pc.utf8_length(text)).as_py() or 0)
        self.tokens += count_tokens(text)
        tally(c["sections"], field(field(articles, "sections").flatten(), "type"))
        removed = field(field(articles, "provenance"), "removed").flatten()
        tally(c["removed"], field(removed, "rule"))
        quotes = field(articles, "quotes").flatten()
        tally(c["quote_kind"], field(quotes, "kind"))
        tally(c["source_kind"], field(quotes, "source_kind"))
        n["with_speaker"] += present(field(quotes, "speaker"))
        n["likely_translated"] += int(pc.sum(field(quotes, "likely_translated")).as_py() or 0)
        lengths = pc.list_value_length(field(quotes, "repeats"))
        n["repeats"] += int(pc.sum(pc.greater(lengths, 0)).as_py() or 0)
        figures = field(articles, "figures").flatten()
        tally(c["figure_kind"], field(figures, "kind"))
        n["asserted"] += present(field(figures, "asserted_by"))
        mentions = field(articles, "entities").flatten()
        kinds = field(mentions, "mention_type")
        tally(c["mention_type"], kinds)
        tally(c["label"], field(mentions, "label").filter(pc.equal(kinds, "name")))
        clusters = field(articles, "clusters").flatten()
        n["clusters"] += len(clusters)
        linked = present(field(clusters, "wikidata"))
        n["linked"] += linked
        unlinked = pc.is_null(field(clusters, "wikidata"))
        tally(c["nil_reason"], field(clusters, "nil_reason").filter(unlinked))

    def merge(self, other: Stats) -> None:
        """Add the counts of another accumulator (e.g. one filled in a worker process)."""
        self.articles += other.articles
        self.characters += other.characters
        self.tokens += other.tokens
        for name, counter in other.counters.items():
            self.counters[name].update(counter)
        self.numbers.update(other.numbers)

    def result(self) -> dict[str, Any]:
        c, n = self.counters, self.numbers

        def counts(name: str) -> dict[str, int]:
            return dict(sorted(c[name].items()))

        return {
            "corpus_version": __version__,
            "articles": self.articles,
            "characters": self.characters,
            "tokens": self.tokens,
            "sections": counts("sections"),
            "removed_segments": counts("removed"),
            "quotes": {
                "total": sum(c["quote_kind"].values()),
                "by_kind": counts("quote_kind"),
                "by_source_kind": counts("source_kind"),
                "with_speaker": n["with_speaker"],
                "likely_translated": n["likely_translated"],
                "repeats": n["repeats"],
            },
            "figures": {
                "total": sum(c["figure_kind"].values()),
                "by_kind": counts("figure_kind"),
                "asserted_by_a_source": n["asserted"],
            },
            "entities": {
                "mentions": sum(c["mention_type"].values()),
                "by_mention_type": counts("mention_type"),
                "names_by_label": counts("label"),
            },
            "clusters": {
                "total": n["clusters"],
                "wikidata_linked": n["linked"],
                "by_nil_reason": counts("nil_reason"),
            },
        }


def compute(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Counts over records: articles, tokens, sections, quotes, figures, entities, clusters."""
    from belnews.corpus.records import fields_of

    stats = Stats()
    for record in records:
        with fields_of(record, "stats"):
            stats.add(record)
    return stats.result()


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


def rows(stats: dict[str, Any]) -> list[tuple[str, str]]:
    """(measure, value) rows shared by the text and Markdown renderings."""
    q, f, e, c = stats["quotes"], stats["figures"], stats["entities"], stats["clusters"]
    return [
        ("corpus version", stats["corpus_version"]),
        ("articles", str(stats["articles"])),
        ("characters", str(stats["characters"])),
        ("tokens (belnews.simple_tokenize)", str(stats["tokens"])),
        ("sections", _pairs(stats["sections"])),
        ("removed boilerplate segments", _pairs(stats["removed_segments"])),
        ("quotes", str(q["total"])),
        ("quotes by kind", _pairs(q["by_kind"])),
        ("quotes by source kind", _pairs(q["by_source_kind"])),
        ("quotes linked to a speaker cluster", str(q["with_speaker"])),
        ("quotes likely translated", str(q["likely_translated"])),
        ("quotes repeating another quote", str(q["repeats"])),
        ("figures", str(f["total"])),
        ("figures by kind", _pairs(f["by_kind"])),
        ("figures asserted by a quote or entity", str(f["asserted_by_a_source"])),
        ("entity mentions", str(e["mentions"])),
        ("entity mentions by type", _pairs(e["by_mention_type"])),
        ("named mentions by label", _pairs(e["names_by_label"])),
        ("entity clusters", str(c["total"])),
        ("clusters linked to Wikidata", str(c["wikidata_linked"])),
        ("clusters without a QID, by reason", _pairs(c["by_nil_reason"])),
    ]


def to_markdown(stats: dict[str, Any]) -> str:
    lines = ["| measure | value |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in rows(stats)]
    return "\n".join(lines) + "\n"


def to_text(stats: dict[str, Any]) -> str:
    table = rows(stats)
    width = max(len(k) for k, _ in table)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in table) + "\n"


def with_block(document: str, name: str, markdown: str) -> str:
    """Replace the generated block ``<!-- name:begin -->`` … ``<!-- name:end -->`` of a
    document (the statistics here; the score tables of :mod:`belnews.review.tables`)."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if not pattern.search(document):
        raise ValueError(f"the document has no {begin} … {end} block")
    return pattern.sub(lambda _m: f"{begin}\n{markdown}{end}", document, count=1)


def with_stats(document: str, markdown: str) -> str:
    """Replace the block between the stats markers of a document."""
    return with_block(document, "stats", markdown)
