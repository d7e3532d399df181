"""Entity suggestions: a pluggable recogniser for names, then clusters and nominal mentions.

A recogniser finds name mentions with OntoNotes labels. Two ship: :class:`RuleRecogniser`
(a gazetteer plus capitalization rules; no model, no download) and :class:`SpacyRecogniser`
(any installed spaCy pipeline, ``--model spacy:NAME``, its labels mapped to ours). Whatever
found the names, the same steps follow: clusters by exact and alias match (gazetteer aliases,
"Universal Periodic Review (UPR)", a surname after the full name), nominal mentions from
appositives ("Yuri Karayev, the Belarusian interior minister") and head nouns ("the
council" for "EU Council"), and every other occurrence of a name's words. QIDs are never
guessed: clusters leave ``wikidata`` empty with ``nil_reason = "unsure"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from belnews import __version__
from belnews.corpus import anchors
from belnews.corpus.normalize import Section
from belnews.corpus.preannotate import gazetteer as gz
from belnews.corpus.preannotate.text import sentences
from belnews.errors import Error

LABELS = frozenset(
    [
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    ]
)
#: spaCy/CoNLL labels that are not OntoNotes names, mapped to ours (None: not an entity).
LABEL_MAP: dict[str, str | None] = {
    **{label: label for label in LABELS},
    "PER": "PERSON",
    "PERS": "PERSON",
    "MISC": None,
    "NORP": "NORP",
}
_NOT_NAMES = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "I",
    ]
)
#: Capitalized words that start sentences without being names.
_SENTENCE_WORDS = frozenset(
    [
        "The",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "His",
        "Her",
        "Its",
        "Their",
        "Our",
        "My",
        "Your",
        "Another",
        "Both",
        "All",
        "Some",
        "Many",
        "Most",
        "Much",
        "More",
        "However",
        "Recently",
        "According",
        "As",
        "With",
        "When",
        "While",
        "After",
        "Before",
        "Since",
        "If",
        "In",
        "On",
        "At",
        "For",
        "By",
        "From",
        "To",
        "Of",
        "And",
        "But",
        "Or",
        "So",
        "Yet",
        "Also",
        "Then",
        "There",
        "Here",
        "It",
        "He",
        "She",
        "They",
        "We",
        "You",
        "Who",
        "What",
        "Which",
        "Where",
        "Why",
        "How",
        "One",
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
        "Ten",
        "Thousands",
        "Hundreds",
        "Millions",
        "Dozens",
        "Several",
        "Few",
        "Each",
        "Every",
        "No",
        "Not",
        "Meanwhile",
        "Earlier",
        "Later",
        "Now",
        "Today",
        "Yesterday",
        "Still",
        "Even",
        "Only",
        "Just",
        "Over",
        "Under",
        "About",
        "Around",
        "Despite",
        "During",
        "Unlike",
        "Like",
        "Amid",
        "Among",
        "Once",
    ]
)
_CONNECTORS = frozenset(
    ["of", "for", "de", "del", "der", "van", "von", "al", "bin", "la", "le", "du"]
)
_TOKEN = re.compile(r"[A-Za-z0-9À-ÖØ-öø-ÿĀ-ž][\w.'’-]*[\w]|[A-Za-z0-9]")
_POSSESSIVE = ("'s", "’s")


class RecogniserError(Error, ValueError):
    """A recogniser cannot be set up (unknown name, spaCy missing, pipeline not installed)."""


@dataclass(frozen=True)
class Mention:
    """One mention: ``[start, end)``, its label, its type and the key it clusters by."""

    start: int
    end: int
    label: str
    mention_type: str = "name"
    key: str | None = None


@dataclass
class Cluster:
    """A document-level entity: its label, display name and mentions (in text order)."""

    label: str
    name: str
    key: str
    mentions: list[Mention] = field(default_factory=list)


class Recogniser(Protocol):
    """Finds name mentions in a normalized text. ``method`` is ``rule`` or ``model``."""

    method: str
    annotator: str

    def find(self, text: str, sections: tuple[Section, ...]) -> list[Mention]: ...


# --- the rule recogniser ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    text: str
    initial: bool  # first word of a sentence or of a quotation


def _tokens(text: str, sections: tuple[Section, ...]) -> list[list[_Tok]]:
    """Per section, its word tokens, each marked if it opens a sentence or a quotation."""
    starts = {s.start for s in sentences(text, sections)}
    out: list[list[_Tok]] = []
    for sec in sections:
        row = []
        for m in _TOKEN.finditer(text, sec.start, sec.end):
            before = text[sec.start : m.start()].rstrip()
            initial = m.start() in starts or (bool(before) and before[-1] in '"“:‘(')
            row.append(_Tok(m.start(), m.end(), m.group(), initial))
        out.append(row)
    return out


def _capital(tok: _Tok) -> bool:
    return tok.text[0].isupper() and tok.text not in _NOT_NAMES


def _strip_possessive(tok: _Tok) -> tuple[_Tok, bool]:
    for suffix in _POSSESSIVE:
        if tok.text.endswith(suffix) and len(tok.text) > len(suffix):
            cut = len(tok.text) - len(suffix)
            return _Tok(tok.start, tok.start + cut, tok.text[:cut], tok.initial), True
    return tok, False


def _runs(row: list[_Tok], text: str) -> list[list[_Tok]]:
    """Maximal runs of capitalized tokens (with 'of'-style connectors between them)."""
    runs: list[list[_Tok]] = []
    i = 0
    while i < len(row):
        if not _capital(row[i]):
            i += 1
            continue
        run: list[_Tok] = []
        j = i
        while j < len(row):
            tok = row[j]
            if run and text[run[-1].end : tok.start].strip():
                break  # punctuation between the words
            if _capital(tok):
                tok, possessive = _strip_possessive(tok)
                run.append(tok)
                j += 1
                if possessive:
                    break
            elif (
                run
                and tok.text in _CONNECTORS
                and j + 1 < len(row)
                and _capital(row[j + 1])
                and not text[tok.end : row[j + 1].start].strip()
            ):
                run.append(tok)
                j += 1
            else:
                break
        while run and run[-1].text in _CONNECTORS:
            run.pop()
        if run:
            runs.append(run)
        i = max(j, i + 1)
    return runs


def _head_label(words: list[str]) -> str | None:
    head = words[-1]
    if len(words) > 1 and head in gz.EVENT_HEADS:
        return "EVENT"
    if len(words) > 1 and head in gz.ORG_HEADS:
        return "ORG"
    if len(words) > 1 and head in gz.FAC_HEADS:
        return "FAC"
    if len(words) > 1 and head in gz.LOC_HEADS:
        return "LOC"
    return None


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s+([A-Za-z0-9-]+)", text[end:])
    return m.group(1) if m else ""


def _previous_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z-]+)\s+$", text[:start])
    return m.group(1) if m else ""


class RuleRecogniser:
    """Gazetteer names plus capitalized phrases typed by their last word or their context."""

    method = "rule"
    annotator = f"belnews-preannotate/{__version__}"

    def find(self, text: str, sections: tuple[Section, ...]) -> list[Mention]:
        found: list[Mention] = []
        singles: list[_Tok] = []
        for row in _tokens(text, sections):
            for run in _runs(row, text):
                found.extend(self._run(text, run, singles))
        # a lone capitalized word that is the surname of a person named in full
        persons = {text[m.start : m.end].split()[-1]: m.key for m in found if m.label == "PERSON"}
        for tok in singles:
            if tok.text in persons:
                found.append(Mention(tok.start, tok.end, "PERSON", key=persons[tok.text]))
        return found

    def _run(self, text: str, run: list[_Tok], singles: list[_Tok]) -> list[Mention]:
        words = [t.text for t in run]
        # a sentence-initial function word is not part of a name
        while (
            run and run[0].initial and (run[0].text in _SENTENCE_WORDS or run[0].text in gz.TITLES)
        ):
            run, words = run[1:], words[1:]
        if not run:
            return []
        start, end = run[0].start, run[-1].end
        surface = text[start:end]
        if _previous_word(text, start).lower() in gz.CHANNEL_NOUNS:
            digits = re.match(r" \d{1,3}\b", text[end:])
            if digits:  # "the state-run network Belarus 24": the number is part of the name
                end += digits.end()
                return [Mention(start, end, "ORG", key=text[start:end])]
        if surface in gz.GAZETTEER or (surface.isupper() and surface.title() in gz.GAZETTEER):
            label, key = gz.GAZETTEER.get(surface) or gz.GAZETTEER[surface.title()]
            return [Mention(start, end, label, key=key)]  # "VILNIUS" in a dateline too
        label = _head_label(words)
        if label:
            return [Mention(start, end, label, key=surface)]
        if _next_word(text, end) in gz.FAC_NOUNS:
            end += len(_next_word(text, end)) + 1
            return [Mention(start, end, "FAC", key=text[start:end])]
        return self._split(text, run, singles)

    def _split(self, text: str, run: list[_Tok], singles: list[_Tok]) -> list[Mention]:
        """Gazetteer names inside the run, then what is left as people or organisations."""
        out: list[Mention] = []
        i = 0
        rest: list[_Tok] = []

        def flush() -> None:
            out.extend(self._leftover(text, rest, singles))
            rest.clear()

        while i < len(run):
            for j in range(len(run), i, -1):
                surface = text[run[i].start : run[j - 1].end]
                if surface in gz.GAZETTEER:
                    flush()
                    label, key = gz.GAZETTEER[surface]
                    out.append(Mention(run[i].start, run[j - 1].end, label, key=key))
                    i = j
                    break
            else:
                rest.append(run[i])
                i += 1
        flush()
        return out

    def _leftover(self, text: str, run: list[_Tok], singles: list[_Tok]) -> list[Mention]:
        titled = [k for k, t in enumerate(run) if t.text in gz.TITLES]
        if titled and titled[-1] + 1 < len(run):
            run = run[titled[-1] + 1 :]  # "Foreign Minister Gabrielius Landsbergis"
        while run and run[-1].text in _CONNECTORS:
            run = run[:-1]
        if not run:
            return []
        start, end = run[0].start, run[-1].end
        surface = text[start:end]
        if len(run) == 1:
            tok = run[0]
            if tok.text.isupper() and len(tok.text) >= 2:
                return [Mention(start, end, "ORG", key=surface)]
            if _next_word(text, end) in gz.ORG_NOUNS:
                return [Mention(start, end, "ORG", key=surface)]
            if _previous_word(text, start) in gz.ORG_NOUNS:  # "the rights group Viasna"
                return [Mention(start, end, "ORG", key=surface)]
            if _previous_word(text, start) in gz.PERSON_CUES:
                return [Mention(start, end, "PERSON", key=surface)]
            singles.append(tok)
            return []
        if (
            all(t.text[0].isupper() and t.text.replace("-", "").isalpha() for t in run)
            and len(run) <= 4
        ):
            return [Mention(start, end, "PERSON", key=surface)]
        return []


# --- the spaCy adapter -----------------------------------------------------------------------


class SpacyRecogniser:
    """Runs a spaCy pipeline and keeps its name entities, with labels mapped to OntoNotes.

    ``pipeline`` is the name of an installed pipeline (``en_core_web_sm``) or an ``nlp``
    object (tests build one with an entity ruler, so the real spaCy API runs without weights).
    """

    method = "model"

    def __init__(self, pipeline: Any) -> None:
        if isinstance(pipeline, str):
            spacy = _import_spacy()
            try:
                self.nlp = spacy.load(pipeline)
            except OSError as exc:
                raise RecogniserError(
                    f"spaCy pipeline {pipeline!r} is not installed (python -m spacy download "
                    f"{pipeline}, or pip install the pipeline's package)"
                ) from exc
            name = pipeline
        else:
            self.nlp = pipeline
            meta = getattr(pipeline, "meta", {}) or {}
            name = f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}"
        version = (getattr(self.nlp, "meta", {}) or {}).get("version", "0")
        self.annotator = f"spacy:{name}@{version}"

    def find(self, text: str, sections: tuple[Section, ...]) -> list[Mention]:
        doc = self.nlp(text)
        bounds = [(s.start, s.end) for s in sections]
        out: list[Mention] = []
        for ent in doc.ents:
            label = LABEL_MAP.get(ent.label_)
            if label is None:
                continue
            start, end = _trim_name(text, ent.start_char, ent.end_char)
            if start >= end or not any(a <= start and end <= b for a, b in bounds):
                continue
            out.append(Mention(start, end, label, key=text[start:end]))
        return out


def _import_spacy() -> Any:
    try:
        import spacy
    except ImportError as exc:
        raise RecogniserError(
            "the spaCy recogniser needs spaCy: pip install 'belnews[spacy]'"
        ) from exc
    return spacy


def _trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Names exclude a leading determiner and a trailing possessive (ANNOTATION.md 3.1)."""
    for det in ("the ", "The "):
        if text.startswith(det, start) and end - start > len(det):
            start += len(det)
    for suffix in ("'s", "’s", "'", "’"):
        if text.endswith(suffix, start, end) and end - start > len(suffix):
            end -= len(suffix)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def get_recogniser(spec: str | None) -> Recogniser:
    """``None`` or ``"rules"``: the rule recogniser; ``"spacy:NAME"``: an installed pipeline."""
    if spec in (None, "", "rules"):
        return RuleRecogniser()
    if spec.startswith("spacy:") and spec[6:]:
        return SpacyRecogniser(spec[6:])
    raise RecogniserError(f"unknown model {spec!r}: use 'rules' or 'spacy:PIPELINE_NAME'")


# --- clusters, nominals, propagation --------------------------------------------------------


def _acronyms(text: str, mentions: list[Mention]) -> dict[str, str]:
    """'Universal Periodic Review (UPR)': the acronym's key is the expansion's."""
    out: dict[str, str] = {}
    for m in mentions:
        after = re.match(r"\s*\(([A-Z]{2,8})\)", text[m.end :])
        if after:
            initials = "".join(w[0] for w in text[m.start : m.end].split() if w[0].isupper())
            if initials == after.group(1):
                out[after.group(1)] = m.key or text[m.start : m.end]
    return out


def _crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[0] < a[1] < b[1] or b[0] < a[0] < b[1] < a[1]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _clean(mentions: list[Mention]) -> list[Mention]:
    """No two mentions on one span, none crossing another (the overlap policy)."""
    kept: list[Mention] = []
    for m in sorted(
        mentions, key=lambda m: (m.mention_type != "name", m.start, -(m.end - m.start))
    ):
        span = (m.start, m.end)
        if any((k.start, k.end) == span or _crosses((k.start, k.end), span) for k in kept):
            continue
        if m.mention_type == "name" and any(
            k.mention_type == "name" and _overlaps((k.start, k.end), span) for k in kept
        ):
            continue  # names are maximal and do not nest in other names
        kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end))


def cluster(text: str, sections: tuple[Section, ...], mentions: list[Mention]) -> list[Cluster]:
    """Group mentions by key (exact and alias match), add nominals and repeated names."""
    acronyms = _acronyms(text, mentions)
    mentions = [
        Mention(m.start, m.end, m.label, m.mention_type, acronyms.get(text[m.start : m.end], m.key))
        for m in mentions
    ]
    mentions = _clean(mentions)
    mentions = _clean(mentions + _propagate(text, sections, mentions))
    mentions = _clean(mentions + _nominals(text, sections, mentions))
    clusters: dict[str, Cluster] = {}
    for m in mentions:
        key = m.key or text[m.start : m.end]
        c = clusters.setdefault(key, Cluster(m.label, text[m.start : m.end], key))
        c.mentions.append(Mention(m.start, m.end, c.label, m.mention_type, key))
    for c in clusters.values():
        names = [text[m.start : m.end] for m in c.mentions if m.mention_type == "name"]
        if names:  # the canonical form if it is written, else the longest (not in capitals)
            c.name = (
                c.key if c.key in names else max(names, key=lambda n: (len(n), not n.isupper()))
            )
    return [c for c in clusters.values() if any(m.mention_type == "name" for m in c.mentions)]


def _in_section(sections: tuple[Section, ...], start: int, end: int) -> bool:
    return any(s.start <= start and end <= s.end for s in sections)


def _propagate(text: str, sections: tuple[Section, ...], mentions: list[Mention]) -> list[Mention]:
    """Every whole-word occurrence of a name's words is a mention of the same entity."""
    taken = [(m.start, m.end) for m in mentions]
    out: list[Mention] = []
    seen: set[str] = set()
    for m in mentions:
        surface = text[m.start : m.end]
        if m.mention_type != "name" or surface in seen:
            continue
        seen.add(surface)
        for start in anchors.occurrences(text, surface):
            span = (start, start + len(surface))
            if any(_overlaps(t, span) for t in taken) or not _in_section(sections, *span):
                continue
            out.append(Mention(span[0], span[1], m.label, "name", m.key))
            taken.append(span)
    return out


_APPOSITIVE = re.compile(
    r", ((?:the|a|an) (?:[a-z-]+|[A-Z][a-z]+(?:ian|ese|ish|an))(?: [a-z-]+){0,4}),"
)


def _nominals(text: str, sections: tuple[Section, ...], mentions: list[Mention]) -> list[Mention]:
    """Appositive titles of a person, repeated elsewhere, and 'the <head>' of an organisation."""
    out: list[Mention] = []
    aliases: dict[str, tuple[str, str]] = {}
    for m in mentions:
        if m.label == "PERSON" and m.mention_type == "name":
            ap = _APPOSITIVE.match(text, m.end)
            if ap and any(w in gz.PERSON_CUES for w in ap.group(1).split()):
                aliases.setdefault(ap.group(1), (m.label, m.key or ""))
    for m in mentions:
        words = text[m.start : m.end].split()
        if m.label == "ORG" and len(words) > 1 and words[-1] in gz.ORG_HEADS:
            aliases.setdefault(f"the {words[-1].lower()}", (m.label, m.key or ""))
    for phrase, (label, key) in aliases.items():
        variants = {phrase, phrase[0].upper() + phrase[1:]}
        for variant in variants:
            for start in anchors.occurrences(text, variant):
                end = start + len(variant)
                if _in_section(sections, start, end):
                    out.append(Mention(start, end, label, "nominal", key))
    return out
