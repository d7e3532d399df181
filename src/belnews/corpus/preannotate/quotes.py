"""Quote suggestions: quotation marks, reporting frames and indirect speech, by rule.

Three passes over the normalized text, following ANNOTATION.md section 1:

1. **Marks.** Every quotation mark gets a role: curly and guillemet marks by their shape, a
   straight ``"`` by what stands on either side. Opens and closes pair up within a paragraph;
   a close without an open (``told the BBC: We were … cruelty."``) starts after the colon of
   its frame, and an open without a close runs to the end of the paragraph.
2. **Direct and partial.** A marked stretch with a reporting frame next to it
   (``said, "…"``, ``"…," the minister said``) is direct; a paragraph that is nothing but a
   quote continues the direct quote of the paragraph before; a short stretch inside a
   sentence (``the "brutal crackdown" on``) is partial.
3. **Indirect.** Reporting words (``said that``, ``told X that``, ``urged X to``,
   ``promised to``, ``according to``, ``as per``, ``reportedly``, ``reports of``, passive
   ``was declared``/``condemned as``) take the clause they govern as content; a partial
   inside that content makes the quote mixed and becomes its child.

The result is a list of :class:`Quote` with character spans; the orchestrator turns it into
anchors. Entity clusters, when given, type the source and link the speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from belnews.corpus.marks import QUOTE_MARK_CHARS
from belnews.corpus.normalize import Section
from belnews.corpus.preannotate import gazetteer as gz
from belnews.corpus.preannotate.entities import Cluster
from belnews.corpus.preannotate.text import Sentence, sentences, trim

Span = tuple[int, int]

OPENING = frozenset("“„«")
CLOSING = frozenset("”»")
#: Longest stretch (in words) read as a partial quote rather than a direct one.
PARTIAL_MAX_WORDS = 8

SAY = frozenset(
    [
        "said",
        "says",
        "say",
        "stated",
        "states",
        "claimed",
        "claims",
        "claim",
        "announced",
        "announces",
        "warned",
        "warns",
        "insisted",
        "insists",
        "argued",
        "argues",
        "denied",
        "denies",
        "confirmed",
        "confirms",
        "added",
        "adds",
        "explained",
        "explains",
        "noted",
        "suggested",
        "alleged",
        "alleges",
        "acknowledged",
        "admitted",
        "estimated",
        "predicted",
        "wrote",
        "writes",
        "believe",
        "believes",
        "believed",
        "think",
        "thinks",
        "thought",
        "fear",
        "fears",
        "feared",
        "reported",
        "reports",
        "report",
        "told",
        "tells",
        "tell",
        "shouted",
        "chanted",
        "read",
    ]
)
URGE = frozenset(
    ["urged", "urges", "urge", "asked", "asks", "ordered", "orders", "encouraged", "encourages"]
)
PROMISE = frozenset(
    [
        "promised",
        "promises",
        "promise",
        "pledged",
        "pledges",
        "vowed",
        "vows",
        "threatened",
        "threatens",
        "agreed",
        "refused",
        "offered",
    ]
)
DECLARE = frozenset(
    [
        "declared",
        "declares",
        "called",
        "calls",
        "condemned",
        "condemns",
        "described",
        "labelled",
        "labeled",
        "dubbed",
        "branded",
    ]
)
#: Verbs that report a judgement only with "as": "dismissed the rally as a show".
DISMISS = frozenset(["dismissed", "dismisses", "rejected", "rejects", "denounced", "denounces"])
_REPORTING = SAY | URGE | PROMISE | DECLARE | DISMISS
_TOLD = frozenset(["told", "tells", "tell"])
_CHANTED = frozenset(["shouted", "chanted", "chant", "chants", "shout"])
_WRITTEN = frozenset(["read", "wrote", "writes"])
_BELIEF = frozenset(
    ["believe", "believes", "believed", "think", "thinks", "thought", "fear", "fears", "feared"]
)
_PASSIVE = re.compile(
    r"\b(?:was|were|been|be|is|are|being)(?:\s+(?:widely|also|later|repeatedly|not))?\s*$"
)
_AUX = frozenset(
    [
        "has",
        "have",
        "had",
        "also",
        "widely",
        "will",
        "would",
        "could",
        "may",
        "might",
        "reportedly",
        "previously",
        "recently",
        "then",
        "later",
        "earlier",
        "repeatedly",
        "not",
        "is",
        "was",
        "are",
        "were",
        "been",
        "did",
        "does",
        "do",
        "already",
        "further",
        "again",
        "publicly",
        "separately",
    ]
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_WHEN = (
    rf"(?:(?:on|last|this|early|late|in|by)\s+)*(?:{_DAY}|{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH}"
    r"|today|yesterday|morning|afternoon|evening|night|a statement|a \w+ statement|a post"
    r"|an interview|a speech)(?:\s+(?:morning|afternoon|evening|night))?"
)
_TIME_TAIL = re.compile(rf"(?:,?\s*{_WHEN})+\s*$")
_TIME_HEAD = re.compile(rf"\s*(?:,\s*)?(?:{_WHEN}|also|earlier|later|again|publicly)\b")
_BOUNDARY = re.compile(
    r"(?:[;:]\s*|\b(?:though|although|while|when|because|but|however|whereas|if|since|so|"
    r"after|before|as|then|where)\s+)",
    re.I,
)
_CLAUSE_CUT = re.compile(
    r"(?:;|,\s+(?:though|although|but|while|whereas|however)\b|\s+(?:after|following|amid)\s+)"
)
_CLAUSE_END = re.compile(r"[,;]|\s+(?:after|following|amid)\s+")
_PP_CUT = re.compile(r"\s+(?:at|in|on|during|over)\s+")
_WHAT_END = re.compile(r"[,;]|\s+(?:after|following|amid|upon|from|at|in|on|during)\s+")
_INTRO = frozenset(
    [
        "According",
        "As",
        "With",
        "However",
        "Meanwhile",
        "Also",
        "And",
        "But",
        "So",
        "Then",
        "In",
        "On",
        "After",
    ]
)
_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you"])
_STARTERS = frozenset(
    [
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "there",
        "the",
        "a",
        "an",
        "its",
        "his",
        "her",
        "their",
        "this",
        "these",
        "those",
        "both",
        "all",
        "some",
        "many",
        "most",
        "no",
        "one",
        "two",
        "three",
        "several",
        "police",
        "people",
    ]
)
_TITLES = frozenset(
    [
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "minister",
        "president",
        "official",
        "officials",
        "leader",
        "chief",
        "secretary",
        "ambassador",
        "envoy",
        "director",
        "head",
        "chairman",
        "chairwoman",
        "governor",
        "mayor",
        "prosecutor",
    ]
)
_ORG_WORDS = frozenset(
    [
        "office",
        "council",
        "government",
        "ministry",
        "police",
        "agency",
        "committee",
        "party",
        "group",
        "groups",
        "organisation",
        "organization",
        "centre",
        "center",
    ]
)
_TRAILING = re.compile(
    r"(?:,|(?<=,[\"”]))\s+(?P<src>(?:[A-Z]|the |a |an )[^,;:\"“”]{0,60}?)\s+"
    r"(?P<cue>reported|said|says|added|wrote|reports)"
    r"(?:,\s+(?:as|while|after|before|when|but)\b[^\"“”]*)?\.?$"
)
_ACCORDING = re.compile(r"\b(?:[Aa]ccording to|[Aa]s per)\b")


@dataclass
class Quote:
    """A suggested attribution, as character spans into the normalized text."""

    kind: str
    content: list[Span]
    cue: Span | None = None
    source: Span | None = None
    addressee: Span | None = None
    channel: Span | None = None
    medium: str = "unknown"
    source_kind: str = "none"
    speaker: str | None = None  # a cluster key
    speaker_pronoun: bool = False  # the source is a pronoun resolved to ``speaker``
    parent: int | None = None  # index into the quote list
    note: str | None = None
    marked: bool = field(default=False, repr=False)


@dataclass(frozen=True)
class Marked:
    """A stretch between quotation marks; ``opened``/``closed`` say which marks exist."""

    start: int  # first content character
    end: int  # one past the last content character (before the closing mark)
    mark_start: int  # the opening mark, or ``start`` when it is missing
    mark_end: int  # one past the closing mark, or ``end`` when it is missing
    opened: bool
    closed: bool


# --- pass 1: marks ---------------------------------------------------------------------------


def _role(text: str, i: int, lo: int, hi: int) -> str:
    ch = text[i]
    if ch in OPENING:
        return "open"
    if ch in CLOSING:
        return "close"
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    if (before.isspace() or before in "([{—–-/") and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]—–"):
        return "close"
    return "open" if before.isspace() else "close"


def find_marked(text: str, sections: tuple[Section, ...]) -> list[Marked]:
    """Every quoted stretch, paired within its section (see the module docstring)."""
    out: list[Marked] = []
    for sec in sections:
        pending: int | None = None
        for i in range(sec.start, sec.end):
            if text[i] not in QUOTE_MARK_CHARS:
                continue
            if _role(text, i, sec.start, sec.end) == "open":
                if pending is not None:  # an open never closed: it runs up to this one
                    out.extend(_stretch(text, pending, i, opened=True, closed=False))
                pending = i
            elif pending is not None:
                out.extend(_stretch(text, pending, i, opened=True, closed=True))
                pending = None
            else:
                colon = text.rfind(": ", sec.start, i)
                begin = colon + 1 if colon != -1 else sec.start
                out.extend(_stretch(text, begin - 1, i, opened=False, closed=True))
        if pending is not None:
            out.extend(_stretch(text, pending, sec.end, opened=True, closed=False))
    return out


def _stretch(text: str, open_at: int, close_at: int, *, opened: bool, closed: bool) -> list[Marked]:
    start, end = trim(text, open_at + 1, close_at, strip=" ")
    if end > start and text[end - 1] == "," and closed:
        end -= 1  # the comma inside the closing mark belongs to the frame sentence
    start, end = trim(text, start, end, strip=" ")
    if start >= end:
        return []
    mark_start = open_at if opened else start
    mark_end = close_at + 1 if closed else end
    return [Marked(start, end, mark_start, mark_end, opened, closed)]


# --- sources ---------------------------------------------------------------------------------


def _strip_tail(s: str) -> str:
    while True:
        before = s
        s = _TIME_TAIL.sub("", s).rstrip(" ,")
        words = s.split()
        if words and words[-1].lower() in _AUX:
            s = s[: s.rstrip().rfind(words[-1])].rstrip(" ,")
        if s == before:
            return s


def _is_name(segment: str) -> bool:
    words = segment.split()
    return 0 < len(words) <= 4 and all(w[0].isupper() for w in words)


def find_source(text: str, lo: int, hi: int) -> Span | None:
    """The noun phrase before a reporting word: ``text[lo:hi]`` ends right before the cue."""
    s = _strip_tail(text[lo:hi])
    if not s or re.search(r"\b(?:that|which|who|and|but|or)$", s, re.I):
        return None
    cut = 0
    for m in _BOUNDARY.finditer(s):
        cut = m.end()
    segments = [(cut, len(s))]
    for m in re.finditer(r",\s+", s[cut:]):
        a = cut + m.start()
        segments = [*segments[:-1], (segments[-1][0], a), (cut + m.end(), len(s))]
    a, b = segments[-1]
    last = s[a:b]
    if (
        len(segments) > 1
        and re.match(r"(?:the|a|an)\s", last)
        and _is_name(s[slice(*segments[-2])])
    ):
        a = segments[-2][0]  # "Yuri Karayev, the Belarusian interior minister"
    elif (
        len(segments) > 1
        and _is_name(last)
        and re.match(r"(?:the|a|an)\s", s[segments[-2][0] :], re.I)
        and len(s[slice(*segments[-2])].split()) <= 8
    ):
        a = segments[-2][0]  # "A spokesman for the ministry, Anatoly Glaz"
    elif len(segments) > 1 and re.match(r"(?:and|or)\s", last):
        k = len(segments) - 2
        while (
            k >= 0
            and len(s[slice(*segments[k])].split()) <= 4
            and s[segments[k][0] :].split()[0] not in _INTRO
        ):
            a = segments[k][0]
            k -= 1
    phrase = s[a:b]
    if not re.search(r"\b(?:who|that|which)\b", phrase):
        pp = _PP_CUT.search(phrase)
        if pp and pp.start() > 0:
            b = a + pp.start()
    words = s[a:b].split()
    while words and (words[0] in _INTRO or words[0].lower() in ("and", "but", "so")):
        a = s.index(words[0], a) + len(words[0])
        words = words[1:]
    a, b = trim(s, a, b)
    if a >= b or len(s[a:b].split()) > 12 or not re.search(r"[A-Za-z]", s[a:b]):
        return None
    return lo + a, lo + b


def _clusters_at(clusters: list[Cluster], span: Span) -> list[tuple[Cluster, object]]:
    out = []
    for c in clusters:
        for m in c.mentions:
            if span[0] <= m.start and m.end <= span[1]:
                out.append((c, m))
    return out


def classify_source(text: str, q: Quote, clusters: list[Cluster]) -> None:
    """Fill ``source_kind`` and ``speaker`` from the source's words and the known mentions."""
    if q.source is None:
        q.source_kind, q.speaker = "none", None
        return
    words = text[q.source[0] : q.source[1]]
    lower = words.lower()
    inside = _clusters_at(clusters, q.source)
    exact = [c for c, m in inside if (m.start, m.end) == q.source]  # type: ignore[attr-defined]
    bare = re.sub(r"^(?:the|The)\s+", "", words)
    bare = re.sub(r"(?:\s+(?:" + "|".join(gz.ORG_NOUNS) + r"))+$", "", bare)  # "Viasna centre"
    whole = [
        c
        for c, m in inside
        if text[m.start : m.end] == bare  # type: ignore[attr-defined]
    ]
    tail = [  # "the rights group Viasna": the phrase ends in an organisation's name
        c
        for c, m in inside
        if m.end == q.source[1] and m.mention_type == "name" and c.label in ("ORG", "GPE")  # type: ignore[attr-defined]
    ]
    persons = [c for c, m in inside if c.label == "PERSON" and m.mention_type == "name"]  # type: ignore[attr-defined]
    if lower in _PRONOUNS:
        q.source_kind = "pronoun"
        if lower in ("he", "she"):
            q.speaker = _nearest_person(clusters, q.source[0])
            q.speaker_pronoun = q.speaker is not None
    elif persons:
        q.source_kind = "named_person"
        q.speaker = persons[0].key if len({c.key for c in persons}) == 1 else None
    elif any(w in _TITLES for w in lower.split()) and " and " not in lower:
        q.source_kind = "title_only"
        q.speaker = exact[0].key if exact else None
    elif re.match(r"(?:one|another|a|an|someone|somebody)\b", lower):
        q.source_kind = "anonymous"
    elif whole or exact or tail or lower.split()[-1] in _ORG_WORDS:
        q.source_kind = "organisation"
        hit = whole or exact or tail
        q.speaker = hit[0].key if hit and len({c.key for c in hit}) == 1 else None
    else:
        q.source_kind = "group"


def _nearest_person(clusters: list[Cluster], before: int) -> str | None:
    best: tuple[int, str] | None = None
    for c in clusters:
        if c.label != "PERSON":
            continue
        for m in c.mentions:
            if m.end <= before and (best is None or m.end > best[0]):
                best = (m.end, c.key)
    return best[1] if best else None


# --- pass 2: direct and partial --------------------------------------------------------------


_FRAME_END = re.compile(r"\s*[,:]\s*$")


def _lead_cue(before: str) -> tuple[int, int, int] | None:
    """The reporting word of a frame that ends in ``,`` or ``:`` right before a quote.

    Returns (cue start, cue end, where the words after the cue end); up to five words may
    stand between the cue and the punctuation (``told the network:``).
    """
    frame = _FRAME_END.search(before)
    if frame is None:
        return None
    head = before[: frame.start()]
    found = list(re.finditer(r"[A-Za-z]+", head))
    for k in range(len(found) - 1, max(len(found) - 7, -1), -1):
        w = found[k]
        if w.group().lower() in SAY | URGE:
            if re.search(r"[.;!?\"“”]", head[w.end() :]):
                return None
            return w.start(), w.end(), frame.start()
    return None


def _medium(cue_word: str, sentence: str, source_kind: str = "") -> str:
    cue_word = cue_word.lower()
    if cue_word in _CHANTED:
        return "chanted"
    if cue_word in _WRITTEN or re.search(r"\bstatement\b|\bwrote\b|\btweet", sentence):
        return "written"
    if cue_word in _BELIEF or cue_word in ("reported", "reports", "according", "reportedly"):
        return "unknown"
    if source_kind == "organisation":
        return "unknown"
    if cue_word in SAY or cue_word in URGE:
        return "spoken"
    return "unknown"


def _sentence_of(sents: list[Sentence], pos: int) -> Sentence:
    for s in sents:
        if s.start <= pos < s.end:
            return s
    return min(sents, key=lambda s: abs(s.start - pos))


def _addressee(text: str, start: int, end: int) -> Span | None:
    a, b = trim(text, start, end)
    words = text[a:b].split()
    if a >= b or len(words) > 4:
        return None
    return a, b


def _channel_from(text: str, span: Span | None) -> Span | None:
    """An addressee that is a news outlet is also the channel (``told CNN``)."""
    if span is None:
        return None
    words = text[span[0] : span[1]]
    bare = re.sub(r"^the\s+", "", words)
    if bare in gz.GAZETTEER and gz.GAZETTEER[bare][0] == "ORG":
        return span
    if words.split()[-1].lower() in gz.MEDIA_NOUNS and not words.endswith("s"):
        return span
    return None


def direct_quotes(text: str, sections: tuple[Section, ...], sents: list[Sentence]) -> list[Quote]:
    """Pass 2 (see the module docstring)."""
    quotes: list[Quote] = []
    previous: Quote | None = None
    prev_marked: Marked | None = None
    for m in find_marked(text, sections):
        sec = next(s for s in sections if s.start <= m.start < s.end)
        sent = _sentence_of(sents, m.start)
        lo = sent.start if not m.opened else min(sent.start, m.mark_start)
        before = text[min(lo, m.mark_start) : m.mark_start]
        after = text[m.mark_end : sec.end]
        base = min(lo, m.mark_start)
        lead = _lead_cue(before)
        q: Quote | None = None
        if lead is not None:
            cue = (lead[0] + base, lead[1] + base)
            q = Quote("direct", [(m.start, m.end)], cue=cue)
            q.source = find_source(text, base, cue[0])
            cue_word = text[cue[0] : cue[1]]
            if cue_word.lower() in _TOLD:
                q.addressee = _addressee(text, cue[1], base + lead[2])
                q.channel = _channel_from(text, q.addressee)
            q.medium = _medium(cue_word, text[sent.start : sent.end])
        elif (
            previous is not None
            and prev_marked is not None
            and re.fullmatch(r"\s*(?:and|or|,)\s*", text[prev_marked.mark_end : m.mark_start])
        ):  # "…" and "…": a second slogan of the same frame
            q = Quote(
                "direct",
                [(m.start, m.end)],
                previous.cue,
                previous.source,
                previous.addressee,
                previous.channel,
                previous.medium,
            )
        elif not text[sec.start : m.mark_start].strip() and _trailing_frame(
            text, m, sec, q := Quote("direct", [(m.start, m.end)])
        ):
            pass
        elif (
            not text[sec.start : m.mark_start].strip()
            and not after.strip(' .”"')
            and previous is not None
            and previous.kind == "direct"
            and previous.content[-1][1] < sec.start
        ):  # a paragraph that is only a quote continues the previous speaker's quote
            previous.content.append((m.start, m.end))
            prev_marked = m
            continue
        elif (
            len(text[m.start : m.end].split()) <= PARTIAL_MAX_WORDS
            and text[sent.start : m.mark_start].strip()
        ):
            q = Quote("partial", [(m.start, m.end)], note="verbatim stretch inside a sentence")
        else:
            q = Quote(
                "direct", [(m.start, m.end)], note="no reporting frame found next to the marks"
            )
        q.marked = True
        quotes.append(q)
        previous, prev_marked = q, m
    return quotes


def _trailing_frame(text: str, m: Marked, sec: Section, q: Quote) -> bool:
    """``"…," the minister said`` / ``"…," said the minister``: fill ``q`` and say so."""
    rest_end = text.find(".", m.mark_end, sec.end)
    rest_end = sec.end if rest_end == -1 else rest_end
    rest = text[m.mark_end : rest_end]
    cue = None
    for w in re.finditer(r"[A-Za-z]+", rest):
        if w.group().lower() in SAY and w.start() > 0:
            cue = w
            break
    if cue is None or len(rest[: cue.start()].split()) > 8:
        return False
    base = m.mark_end
    cue_span = (base + cue.start(), base + cue.end())
    head = text[base : cue_span[0]].strip(" ,")
    q.cue = cue_span
    if head:
        q.source = find_source(text, base, cue_span[0])
    else:  # "said the minister"
        tail = re.match(r"\s+((?:the |a )?[^,.;]+)", text[cue_span[1] : rest_end])
        if tail:
            q.source = trim(text, cue_span[1] + tail.start(1), cue_span[1] + tail.end(1))
    after_cue = text[cue_span[1] : rest_end]
    if cue.group().lower() in _TOLD:
        told = re.match(r"\s+([^,;.]+?)(?=\s+(?:on|in|at|that)\b|[,;.]|$)", after_cue)
        if told:
            q.addressee = _addressee(text, cue_span[1] + told.start(1), cue_span[1] + told.end(1))
            q.channel = _channel_from(text, q.addressee)
    according = _ACCORDING.search(text, cue_span[1], rest_end + 1)
    if according:
        q.channel = _name_in(text, according.end(), rest_end)
    q.medium = _medium(cue.group(), text[m.mark_end : rest_end])
    return True


def _name_in(text: str, start: int, end: int) -> Span | None:
    """The last capitalized name in ``text[start:end]`` (``the reports by ANI`` → ``ANI``)."""
    found = None
    for m in re.finditer(r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*", text[start:end]):
        found = (start + m.start(), start + m.end())
    if found is None:
        a, b = trim(text, start, end)
        return (a, b) if a < b else None
    return found


# --- pass 3: indirect ------------------------------------------------------------------------


def _clause_end(text: str, start: int, end: int, pattern: re.Pattern[str] = _CLAUSE_CUT) -> int:
    """Where the clause a reporting word governs ends: before a clause break, a trailing
    frame (", BBC Monitoring reported"), ", according to …", or a second coordinated frame.
    A closing mark stays in (a mixed quote ends after it). -1 when nothing is left."""
    m = pattern.search(text, start, end)
    stop = m.start() if m else end
    trailing = _TRAILING.search(text[start:stop])
    if trailing:
        stop = start + trailing.start()
    acc = re.search(r",\s+according to\b", text[start:stop])
    if acc:
        stop = start + acc.start()
    for m in re.finditer(r"\s+(?:and|but)\s+(?:also\s+)?([a-z]+)\b", text[start:stop]):
        if m.group(1) in _REPORTING:  # "… as a show and warned that …": a second frame
            stop = start + m.start()
            break
    a, b = trim(text, start, stop, strip=" ,;:.")
    return b if b > a else -1


def _keep_mark(text: str, a: int, b: int, stop: int) -> int:
    """Content that ends in a closing mark keeps it (and a comma inside it): ``"unfortunate,"``."""
    if b < stop and text[b] == "," and b + 1 < len(text) and text[b + 1] in '"”':
        return b + 2
    return b


def _masked(pos: int, masks: list[Span]) -> bool:
    return any(a <= pos < b for a, b in masks)


def _after_cue(text: str, pos: int, end: int) -> int:
    """Skip time adverbials and the like between a reporting verb and its clause."""
    while True:
        m = _TIME_HEAD.match(text, pos, end)
        if not m or m.end() == pos:
            return pos
        pos = m.end()


def indirect_quotes(
    text: str, sents: list[Sentence], masks: list[Span], quotes: list[Quote]
) -> list[Quote]:
    """Pass 3 (see the module docstring)."""
    out: list[Quote] = []
    for sent in sents:
        taken: list[Span] = []
        found_here: list[Quote] = []
        for w in re.finditer(r"[A-Za-z]+", text[sent.start : sent.end]):
            cs, ce = sent.start + w.start(), sent.start + w.end()
            if _masked(cs, masks) or _masked(cs, taken):
                continue
            q = _one_cue(text, sent, cs, ce, w.group())
            if q is None:
                continue
            if q.source is None and re.search(
                r"\b(?:and|but)\s+(?:also\s+)?$", text[sent.start : cs]
            ):
                earlier = [p for p in found_here if p.source] + [
                    p for p in quotes if p.source and sent.start <= p.source[0] < cs
                ]
                if earlier:  # "X dismissed … and warned that …": the same speaker
                    q.source = earlier[-1].source
            taken.extend(q.content)
            found_here.append(q)
        # "…, X reported." after a sentence that already has a frame: X is the channel
        trailing = _TRAILING.search(text[sent.start : sent.end])
        if trailing:
            src = (sent.start + trailing.start("src"), sent.start + trailing.end("src"))
            cue = (sent.start + trailing.start("cue"), sent.start + trailing.end("cue"))
            framed = [q for q in found_here if q.cue != cue] + [
                q for q in quotes if q.cue and sent.start <= q.cue[0] < sent.end and q.cue != cue
            ]
            if framed and trailing.group("cue") == "reported":
                for q in framed:
                    q.channel = q.channel or src
            elif not framed and not any(
                a < sent.start + trailing.start() and sent.start < b for a, b in masks
            ):
                a, b = trim(text, sent.start, sent.start + trailing.start(), strip=" ,")
                b = _keep_mark(text, a, b, sent.end)
                if b > a:
                    found_here.append(
                        Quote("indirect", [(a, b)], cue=cue, source=src, medium="unknown")
                    )
        # a leading "According to X," credits a frame of the sentence as its channel
        acc = _ACCORDING.match(text, sent.start)
        if acc:
            comma = text.find(",", acc.end(), sent.end)
            framed = [q for q in found_here if q.cue and q.cue[0] > comma] + [
                q for q in quotes if q.cue and comma < q.cue[0] < sent.end
            ]
            if comma != -1 and framed:
                for q in framed:
                    q.channel = q.channel or _name_in(text, acc.end(), comma)
            elif comma != -1:
                end = _clause_end(text, comma + 1, sent.end)
                src = trim(text, acc.end(), comma)
                if end > comma and src[0] < src[1]:
                    found_here.append(
                        Quote(
                            "indirect",
                            [trim(text, comma + 1, end)],
                            cue=(acc.start(), acc.end()),
                            source=src,
                            medium="unknown",
                        )
                    )
        out.extend(found_here)
    return out


def _one_cue(text: str, sent: Sentence, cs: int, ce: int, word: str) -> Quote | None:
    lw = word.lower()
    left = text[sent.start : cs]
    end = sent.end
    if lw == "reportedly":
        a, b = trim(text, sent.start, cs)
        c, d = trim(text, ce, end, strip=" ,;:.")
        if a < b and c < d:
            return Quote("indirect", [(a, b), (c, d)], cue=(cs, ce), medium="unknown")
        return None
    if (
        lw in ("reports", "report")
        and re.search(r"\b(?:of|after|amid|following|despite|the)\s+$", left)
        and text.startswith(" of ", ce)
    ):
        return _complement(text, ce + 4, end, cs, ce, None, _PP_CUT)
    if lw in ("reported",) and text.startswith(" of ", ce):
        src = find_source(text, sent.start, cs)
        return _complement(text, ce + 4, end, cs, ce, src, _PP_CUT)
    if lw == "accused" and text.startswith(" of ", ce):
        return _complement(text, ce + 4, end, cs, ce, None, _PP_CUT)
    what = re.search(r"\bwhat\s+([^,;]{1,40}?)\s+$", left)
    if lw in SAY and what:
        cop = re.match(r"\s+(?:was|were|is|are)\s+", text[ce:end])
        if cop:
            src = (sent.start + what.start(1), sent.start + what.end(1))
            q = _complement(text, ce + cop.end(), end, cs, ce, src, _WHAT_END)
            return q
    if lw in _TOLD:
        m = re.match(r"\s+([^,;:.\"“”]+?)\s+that\s+", text[ce:end])
        if not m:
            return None
        q = _complement(text, ce + m.end(), end, cs, ce, find_source(text, sent.start, cs))
        if q:
            q.addressee = _addressee(text, ce + m.start(1), ce + m.end(1))
            q.medium = "spoken"
        return q
    if lw in SAY and lw not in ("read",):
        pos = _after_cue(text, ce, end)
        rest = text[pos:end]
        if re.match(r"\s*that\s+", rest):
            start = pos + re.match(r"\s*that\s+", rest).end()  # type: ignore[union-attr]
        else:
            nxt = re.match(r"\s+([A-Za-z0-9]+)", rest)
            if not nxt or not (
                nxt.group(1).lower() in _STARTERS
                or nxt.group(1)[0].isdigit()
                or nxt.group(1).endswith("ing")
                or nxt.group(1)[0].isupper()
            ):
                return None
            start = pos + nxt.start(1)
        return _complement(text, start, end, cs, ce, find_source(text, sent.start, cs))
    if lw in URGE:
        m = re.match(r"\s+((?:[^,;.\"“”\s]+\s+){0,5}?)to\s+", text[ce:end])
        if not m or not m.group(1).strip():
            return None
        q = _complement(text, ce + m.end(), end, cs, ce, find_source(text, sent.start, cs))
        if q:
            q.addressee = trim(text, ce + m.start(1), ce + m.end(1))
            q.medium = "spoken"
        return q
    if lw in PROMISE:
        m = re.match(r"\s+(?:that\s+)?(?=(?:never\s+|not\s+)?to\s|\w)", text[ce:end])
        if not m or not re.match(r"\s+(?:that\s+|(?:never\s+|not\s+)?to\s)", text[ce:end]):
            return None
        src = (
            None
            if re.search(r"\bto\s*$", left) and not re.search(r"\b(?:has|have|had)\s+\w*\s*$", left)
            else find_source(text, sent.start, cs)
        )
        if re.search(r"\bby\s+\w+\s+to\s*$", left):
            src = None
        return _complement(text, ce + m.end(), end, cs, ce, src, _CLAUSE_END)
    if lw in DISMISS:
        as_ = re.match(r"\s+(?:[^,;.\s\"“”]+\s+){0,4}?as\s+", text[ce:end])
        if not as_:
            return None
        src = None if _PASSIVE.search(left) else find_source(text, sent.start, cs)
        return _complement(text, ce + as_.end(), end, cs, ce, src, _CLAUSE_END)
    if lw in DECLARE:
        passive = bool(_PASSIVE.search(left))
        start = ce
        as_ = re.match(r"\s+as\s+", text[ce:end])
        if as_ and lw != "called":
            start = ce + as_.end()
        if lw in ("called", "calls") and re.match(r"\s+(?:on|for|off|in)\b", text[ce:end]):
            return None
        src = None if passive else find_source(text, sent.start, cs)
        if lw in ("called", "calls") and passive:
            return None  # "what is now called violence" names, it does not report
        return _complement(text, start, end, cs, ce, src, _CLAUSE_END)
    return None


def _complement(
    text: str,
    start: int,
    end: int,
    cs: int,
    ce: int,
    source: Span | None,
    cut: re.Pattern[str] = _CLAUSE_CUT,
) -> Quote | None:
    stop = _clause_end(text, start, end, cut)
    if stop == -1:
        return None
    a, b = trim(text, start, stop, strip=" ,;:.")
    b = _keep_mark(text, a, b, end)
    if a >= b or len(text[a:b].split()) < 1:
        return None
    return Quote("indirect", [(a, b)], cue=(cs, ce), source=source)


# --- all passes ------------------------------------------------------------------------------


def _nests(inner: Span, outer: Span) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _crosses(a: Span, b: Span) -> bool:
    return a[0] < b[0] < a[1] < b[1] or b[0] < a[0] < b[1] < a[1]


def suggest_quotes(
    text: str, sections: tuple[Section, ...], clusters: list[Cluster] | None = None
) -> list[Quote]:
    """Every quote the rules find, in text order, with parents, kinds and speakers set."""
    clusters = clusters or []
    sents = sentences(text, sections)
    direct = direct_quotes(text, sections, sents)
    masks = [span for q in direct if q.kind == "direct" for span in q.content]
    indirect = indirect_quotes(text, sents, masks, direct)
    quotes = direct + indirect
    for q in indirect:
        if q.medium == "unknown" and q.cue is not None:
            q.medium = _medium(text[q.cue[0] : q.cue[1]], "", "")
            if text[q.cue[0] : q.cue[1]].lower() in ("reported", "reports", "according", "as"):
                q.medium = "unknown"
    # drop what the overlap policy forbids: identical or crossing contents
    kept: list[Quote] = []
    for q in sorted(quotes, key=lambda q: (q.content[0][0], -q.content[0][1])):
        spans = [s for k in kept for s in k.content]
        if any(s == c or _crosses(s, c) for s in spans for c in q.content):
            continue
        kept.append(q)
    kept.sort(key=lambda q: q.content[0])
    for q in kept:
        if q.kind != "partial":
            continue
        parents = [
            j
            for j, p in enumerate(kept)
            if p.kind in ("indirect", "mixed") and any(_nests(q.content[0], c) for c in p.content)
        ]
        if parents:
            j = parents[-1]
            kept[j].kind = "mixed"
            q.parent = j
            q.note = None
    for q in kept:
        if q.kind != "partial" or q.parent is None:
            classify_source(text, q, clusters)
            if q.source_kind == "organisation" and q.medium == "spoken" and q.cue:
                q.medium = _medium(text[q.cue[0] : q.cue[1]], "", "organisation")
    for q in kept:
        if q.parent is not None:
            p = kept[q.parent]
            q.cue, q.source, q.source_kind, q.speaker = p.cue, p.source, p.source_kind, p.speaker
            q.addressee, q.channel, q.medium = p.addressee, p.channel, p.medium
    return _collapse(text, kept)


def _collapse(text: str, quotes: list[Quote]) -> list[Quote]:
    """A frame whose whole complement is one quotation ('dismissed it as "a show"') reports
    that quotation directly: keep the quotation as a direct quote, drop the mixed shell."""
    drop: set[int] = set()
    for j, p in enumerate(quotes):
        kids = [q for q in quotes if q.parent == j]
        if p.kind != "mixed" or len(kids) != 1 or len(p.content) != 1:
            continue
        a, b = p.content[0]
        inner = trim(text, a + 1, b - 1, strip=" ,")
        if (
            text[a] in QUOTE_MARK_CHARS
            and text[b - 1] in QUOTE_MARK_CHARS
            and kids[0].content == [inner]
        ):
            kids[0].kind, kids[0].parent, kids[0].note = "direct", None, None
            drop.add(j)
    if not drop:
        return quotes
    index = {old: new for new, old in enumerate(k for k in range(len(quotes)) if k not in drop)}
    out = [q for k, q in enumerate(quotes) if k not in drop]
    for q in out:
        q.parent = index.get(q.parent) if q.parent is not None else None
    return out
