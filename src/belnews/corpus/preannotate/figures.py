"""Figure suggestions: numbers in digits and words, with their normalized reading.

One ordered list of patterns (times, dates, money, percentages, ranges, durations and
quantities, vague amounts, ordinals, plain counts), each of which claims its span so that no
two figures overlap. The readings follow ANNOTATION.md section 2: ``value`` as a decimal
string, ``low``/``high`` for ranges, a comparator from the words in front ("at least" gte,
"over" gt, "around" approx), UCUM units, and ISO 8601 for dates (``--11-02``), times
(``T06:00``) and durations (``P26Y``).

Libraries were tried first: quantulum3 reads "6 a.m." as six years, "fourth one crawl" as a
speed and knows no comparators or dates; dateparser's ``search_dates`` finds "We" and
"80% of the" as dates. Neither earns a dependency for this, so the rules are written here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from belnews.corpus.normalize import Section

_UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "hundredth": 100,
    "thousandth": 1000,
}
MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
#: unit word -> (kind, UCUM code, ISO 8601 designator or None)
UNITS = {
    **{w: ("duration", "a", "Y") for w in ("year", "years", "yr", "yrs")},
    **{w: ("duration", "mo", "M") for w in ("month", "months")},
    **{w: ("duration", "wk", "W") for w in ("week", "weeks")},
    **{w: ("duration", "d", "D") for w in ("day", "days")},
    **{w: ("duration", "h", "TH") for w in ("hour", "hours")},
    **{w: ("duration", "min", "TM") for w in ("minute", "minutes")},
    **{w: ("duration", "s", "TS") for w in ("second", "seconds")},
    **{w: ("quantity", "m", None) for w in ("meter", "meters", "metre", "metres")},
    **{
        w: ("quantity", "km", None)
        for w in ("km", "kilometer", "kilometers", "kilometre", "kilometres")
    },
    **{
        w: ("quantity", "cm", None)
        for w in ("cm", "centimeter", "centimeters", "centimetre", "centimetres")
    },
    **{w: ("quantity", "[mi_i]", None) for w in ("mile", "miles")},
    **{w: ("quantity", "[ft_i]", None) for w in ("foot", "feet", "ft")},
    **{w: ("quantity", "[in_i]", None) for w in ("inch", "inches")},
    **{w: ("quantity", "kg", None) for w in ("kg", "kilogram", "kilograms", "kilo", "kilos")},
    **{w: ("quantity", "t", None) for w in ("tonne", "tonnes", "ton", "tons")},
    **{w: ("quantity", "L", None) for w in ("litre", "litres", "liter", "liters")},
}
CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB"}
CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
}
COMPARATORS = {
    "at least": "gte",
    "no fewer than": "gte",
    "no less than": "gte",
    "at most": "lte",
    "up to": "lte",
    "no more than": "lte",
    "more than": "gt",
    "over": "gt",
    "above": "gt",
    "in excess of": "gt",
    "less than": "lt",
    "fewer than": "lt",
    "under": "lt",
    "below": "lt",
    "around": "approx",
    "about": "approx",
    "approximately": "approx",
    "roughly": "approx",
    "nearly": "approx",
    "almost": "approx",
    "some": "approx",
    "an estimated": "approx",
    "as many as": "approx",
    "close to": "approx",
}
VAGUE = (
    "tens of thousands",
    "hundreds of thousands",
    "thousands",
    "hundreds",
    "millions",
    "billions",
    "dozens",
    "scores",
)
_STOP = frozenset(
    [
        "were",
        "was",
        "had",
        "have",
        "has",
        "are",
        "is",
        "be",
        "been",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "the",
        "a",
        "an",
        "who",
        "which",
        "that",
        "from",
        "with",
        "more",
        "less",
        "than",
        "times",
        "per",
        "percent",
        "a.m",
        "p.m",
        "also",
        "would",
        "them",
        "us",
        "whom",
        "they",
        "it",
        "those",
        "these",
        "will",
        "could",
        "may",
        "might",
        "can",
        "did",
        "do",
        "does",
        "wide",
        "long",
        "tall",
        "high",
        "old",
        "deep",
        "more",
    ]
)


def _alt(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


_NW = _alt(_UNITS_WORDS)
_WORDNUM = rf"(?:{_NW})(?:[\s-](?:{_NW}|{_alt(_SCALES)}|and))*(?<!and)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = rf"(?:(?:{_DIGITS})(?:\s+(?:{_alt(_SCALES)}))?|{_WORDNUM}|a\s+dozen)"
_CMP = rf"(?P<cmp>{_alt(COMPARATORS)})\s+"
_MON = _alt([m.capitalize() for m in MONTHS])

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("time", re.compile(r"\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>[ap]\.m\.|[ap]m\b)", re.I)),
    ("time", re.compile(r"\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)\b")),
    (
        "date",
        re.compile(
            rf"\b(?P<mon>{_MON})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
        ),
    ),
    (
        "date",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MON})\b\.?(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
        ),
    ),
    ("date", re.compile(rf"\b(?P<mon>{_MON})\s+(?P<y>(?:19|20)\d\d)\b")),
    (
        "money",
        re.compile(
            rf"(?:{_CMP})?(?P<cur>[$€£₽])\s?(?P<num>{_DIGITS})(?:\s?(?P<sc>million|billion|trillion|bn|m)\b)?",
            re.I,
        ),
    ),
    (
        "money",
        re.compile(
            rf"(?:\b{_CMP})?\b(?P<num>{_NUMBER})\s+(?P<curw>{_alt(CURRENCY_WORDS)})\b", re.I
        ),
    ),
    (
        "percent",
        re.compile(
            rf"(?:\b{_CMP})?(?<![\w.])(?P<num>{_NUMBER})\s?(?:%|percent\b|per cent\b)", re.I
        ),
    ),
    (
        "range",
        re.compile(
            rf"\b(?P<lo>a|an|one|{_NUMBER})\s+(?P<unit>{_alt(UNITS)})\s+or\s+(?P<hi>{_NUMBER})\b",
            re.I,
        ),
    ),
    (
        "range",
        re.compile(
            rf"\b(?:between\s+)?(?P<lo>{_NUMBER})\s*(?:-|–|to|and)\s*(?P<hi>{_NUMBER})[\s-](?P<unit>{_alt(UNITS)})\b",
            re.I,
        ),
    ),
    (
        "crange",
        re.compile(
            rf"\b(?:(?P<btw>between)\s+)?(?P<lo>{_DIGITS})\s*(?:-|–|(?(btw)and|to))\s*"
            rf"(?P<hi>{_DIGITS})(?![\w%]|[.,]\d)(?!\s?%)",
            re.I,
        ),
    ),
    (
        "unit",
        re.compile(
            rf"(?:\b{_CMP})?(?<![\w.,])(?P<num>{_NUMBER})[\s-](?P<unit>{_alt(UNITS)})\b", re.I
        ),
    ),
    ("vague", re.compile(rf"\b(?P<vague>{_alt(VAGUE)})\b", re.I)),
    ("ordinal", re.compile(rf"\b(?P<ord>{_alt(_ORDINALS)}|\d+(?:st|nd|rd|th))\b", re.I)),
    ("year", re.compile(r"(?<![\w.,$€£])(?P<y>(?:19|20)\d\d)\b(?![.,]\d|\s?%)")),
    ("count", re.compile(rf"(?:\b{_CMP})?(?<![\w.,$€£])(?P<num>{_NUMBER})(?![\w%])(?!\.\d)", re.I)),
)


@dataclass(frozen=True)
class Figure:
    """A suggested figure: its span and reading, plus the measured span if one is found."""

    start: int
    end: int
    kind: str
    value: str | None = None
    low: str | None = None
    high: str | None = None
    comparator: str = "eq"
    unit: str | None = None
    iso: str | None = None
    anchor: str | None = None
    measured_entity: tuple[int, int] | None = None
    note: str | None = None


def word_number(words: str) -> Decimal | None:
    """'twenty-five' -> 25, 'two hundred' -> 200, '5 million' -> 5000000, 'a dozen' -> 12."""
    words = words.lower().replace(",", "")
    if re.fullmatch(r"a\s+dozen", words):
        return Decimal(12)
    total, current = Decimal(0), Decimal(0)
    seen = False
    for token in re.split(r"[\s-]+", words):
        if token == "and" or not token:
            continue
        if re.fullmatch(r"\d+(?:\.\d+)?", token):
            current += Decimal(token)
        elif token in _UNITS_WORDS:
            current += _UNITS_WORDS[token]
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in _SCALES:
            total += (current or 1) * _SCALES[token]
            current = Decimal(0)
        elif token in ("a", "an"):
            current += 1
        else:
            return None
        seen = True
    return total + current if seen else None


def decimal_string(number: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 6000, 1.5."""
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _iso_duration(value: Decimal, designator: str) -> str:
    amount = decimal_string(value)
    return f"PT{amount}{designator[1]}" if designator.startswith("T") else f"P{amount}{designator}"


def _read(kind: str, m: re.Match[str]) -> dict[str, object] | None:
    """The reading of one match, or None when the pattern matched something that is not one."""
    groups = m.groupdict()
    cmp_ = COMPARATORS.get((groups.get("cmp") or "").lower(), "eq")
    if kind == "time":
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
        ap = (groups.get("ap") or "").lower().replace(".", "")
        if ap == "pm" and hour < 12:
            hour += 12
        if ap == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            return None
        return {"kind": "time", "iso": f"T{hour:02d}:{minute:02d}"}
    if kind == "date":
        month = MONTHS[m.group("mon").lower()]
        day, year = groups.get("d"), groups.get("y")
        if day is not None and not 1 <= int(day) <= 31:
            return None
        if day is None:
            return {"kind": "date", "iso": f"{year}-{month:02d}"}
        iso = f"{year}-{month:02d}-{int(day):02d}" if year else f"--{month:02d}-{int(day):02d}"
        return {"kind": "date", "iso": iso}
    if kind == "year":
        return {"kind": "date", "iso": m.group("y")}
    if kind == "money":
        number = word_number(m.group("num"))
        if number is None:
            return None
        scale = (groups.get("sc") or "").lower()
        number *= {
            "million": 10**6,
            "m": 10**6,
            "billion": 10**9,
            "bn": 10**9,
            "trillion": 10**12,
        }.get(scale, 1)
        unit = (
            CURRENCY_SIGNS.get(groups.get("cur") or "")
            or CURRENCY_WORDS[(groups.get("curw") or "").lower()]
        )
        return {"kind": "money", "value": decimal_string(number), "unit": unit, "comparator": cmp_}
    if kind == "percent":
        number = word_number(m.group("num"))
        if number is None:
            return None
        return {"kind": "percent", "value": decimal_string(number), "unit": "%", "comparator": cmp_}
    if kind == "range":
        lo = word_number(m.group("lo"))
        hi = word_number(m.group("hi"))
        if lo is None or hi is None or lo >= hi:
            return None
        unit_kind, ucum, _ = UNITS[m.group("unit").lower()]
        return {
            "kind": unit_kind,
            "low": decimal_string(lo),
            "high": decimal_string(hi),
            "unit": ucum,
        }
    if kind == "crange":
        lo, hi = word_number(m.group("lo")), word_number(m.group("hi"))
        if lo is None or hi is None or lo >= hi or (lo >= 1900 and hi <= 2100):
            return None  # "2019-2020" is a span of years, read as dates
        return {"kind": "count", "low": decimal_string(lo), "high": decimal_string(hi)}
    if kind == "unit":
        number = word_number(m.group("num"))
        if number is None:
            return None
        unit_kind, ucum, designator = UNITS[m.group("unit").lower()]
        iso = _iso_duration(number, designator) if designator else None
        return {
            "kind": unit_kind,
            "value": decimal_string(number),
            "unit": ucum,
            "iso": iso,
            "comparator": cmp_,
        }
    if kind == "vague":
        return {"kind": "vague"}
    if kind == "ordinal":
        token = m.group("ord").lower()
        value = _ORDINALS.get(token) or int(re.sub(r"\D", "", token))
        return {"kind": "ordinal", "value": str(value)}
    if kind == "count":
        number = word_number(m.group("num"))
        if number is None:
            return None
        return {"kind": "count", "value": decimal_string(number), "comparator": cmp_}
    return None  # pragma: no cover - every pattern kind is handled above


def _not_a_figure(text: str, start: int, end: int, kind: str) -> bool:
    """Names with numbers ("Belarus 24"), the pro-form "one" ("the fourth one"), "no one"."""
    before = text[max(0, start - 30) : start]
    surface = text[start:end].lower()
    if kind in ("count", "ordinal", "year") and re.search(r"\b[A-Z][a-z]+\s$", before):
        word = re.search(r"([A-Z][a-z]+)\s$", before).group(1)  # type: ignore[union-attr]
        if word.lower() not in MONTHS and word not in (
            "At",
            "Over",
            "Around",
            "About",
            "Some",
            "Nearly",
        ):
            return True
    if surface == "one":
        if re.search(r"\b(?:the|this|that|which|no|any|every|each)\s+(?:\w+\s+)?$", before, re.I):
            return True
        if re.match(r"\s+(?:another|of us)\b", text[end:]):
            return True
    if surface == "second" and re.match(r"\s+(?:round|time|term)\b", text[end:]) is None:
        return kind == "ordinal" and bool(re.match(r"\s+(?:to|of)\b", text[end:]))
    return kind == "count" and surface in ("a", "an")


def _measured(text: str, end: int, limit: int) -> tuple[int, int] | None:
    """The counted noun right after a figure, skipping 'of (the)'."""
    m = re.match(r"\s+(?:of\s+(?:the\s+)?)?([a-z][a-z-]*)\b", text[end:limit])
    if not m or m.group(1) in _STOP or m.group(1) in UNITS:
        return None
    return end + m.start(1), end + m.end(1)


def suggest_figures(
    text: str,
    sections: tuple[Section, ...],
    skip: list[tuple[int, int]] | None = None,
    anchor_date: str | None = None,
) -> list[Figure]:
    """Every figure the patterns find, in text order, none overlapping another or a name.

    Temporal expressions without digits come last (see :func:`suggest_temporal`), so a date
    with digits keeps its span.
    """
    skip = list(skip or [])
    taken: list[tuple[int, int]] = []
    out: list[Figure] = []
    for sec in sections:
        for kind, pattern in PATTERNS:
            for m in pattern.finditer(text, sec.start, sec.end):
                start, end = m.start(), m.end()
                while end > start and text[end - 1] in " \t":
                    end -= 1
                if any(a < end and start < b for a, b in taken + skip):
                    continue
                core = m.start("num") if "num" in m.groupdict() and m.group("num") else start
                if _not_a_figure(text, core, end, kind):
                    continue
                reading = _read(kind, m)
                if reading is None:
                    continue
                measured = None
                if reading["kind"] in ("count", "vague", "percent"):
                    measured = _measured(text, end, sec.end)
                out.append(Figure(start, end, measured_entity=measured, **reading))  # type: ignore[arg-type]
                taken.append((start, end))
        for f in suggest_temporal(text, sec, anchor_date):
            if not any(a < f.end and f.start < b for a, b in taken + skip):
                out.append(f)
                taken.append((f.start, f.end))
    return sorted(out, key=lambda f: f.start)


# --- temporal expressions without digits (ANNOTATION.md 2.3) ---------------------------------

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: TIMEX3 part-of-day tokens.
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_DEICTIC = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}
TEMPORAL = re.compile(
    rf"\b(?:(?:[Ee]arly|[Ll]ate)\s+)?(?P<wd>{'|'.join(WEEKDAYS)})"
    rf"(?:\s+(?P<part>{'|'.join(PARTS_OF_DAY)}))?\b"
    r"|\b(?P<rel>[Tt]his|[Ll]ast|[Nn]ext)\s+(?P<unit>week|month|year)\b"
    r"|\b(?P<deictic>[Tt]oday|[Yy]esterday|[Tt]omorrow|[Tt]onight)\b"
    r"|\b[Aa]ll\s+(?P<all>night|day)\b"
)


def _resolve_weekday(anchor: dt.date, weekday: str) -> dt.date:
    """The latest day on or before the anchor with that name (news reports what happened)."""
    back = (anchor.weekday() - WEEKDAYS.index(weekday)) % 7
    return anchor - dt.timedelta(days=back)


def _temporal_reading(m: re.Match[str], anchor: dt.date | None) -> dict[str, Any]:
    """kind and TIMEX3 value of one temporal match; relative values need the anchor date."""
    if m.group("all"):
        return {"kind": "duration", "iso": "PT1NI" if m.group("all") == "night" else "P1D"}
    iso: str | None = None
    if anchor is not None:
        if m.group("wd"):
            day = _resolve_weekday(anchor, m.group("wd"))
            part = m.group("part")
            iso = day.isoformat() + (f"T{PARTS_OF_DAY[part]}" if part else "")
        elif m.group("rel"):
            step = {"this": 0, "last": -1, "next": 1}[m.group("rel").lower()]
            unit = m.group("unit")
            if unit == "week":
                year, week, _ = (anchor + dt.timedelta(weeks=step)).isocalendar()
                iso = f"{year}-W{week:02d}"
            elif unit == "month":
                month0 = anchor.year * 12 + anchor.month - 1 + step
                iso = f"{month0 // 12}-{month0 % 12 + 1:02d}"
            else:
                iso = str(anchor.year + step)
        else:
            word = m.group("deictic").lower()
            iso = (anchor + dt.timedelta(days=_DEICTIC[word])).isoformat()
            iso += "TNI" if word == "tonight" else ""
    return {"kind": "date", "iso": iso, "anchor": anchor.isoformat() if iso and anchor else None}


def suggest_temporal(text: str, section: Section, anchor_date: str | None) -> list[Figure]:
    """Dates and times without digits (weekdays, parts of day, "this week", "all night").

    Relative expressions are resolved against ``anchor_date`` (the publication date) and
    carry it as ``anchor``; without one their ``iso`` stays null. A ``since``/``until`` in
    front is the comparator, not part of the span.
    """
    anchor = dt.date.fromisoformat(anchor_date) if anchor_date else None
    out = []
    for m in TEMPORAL.finditer(text, section.start, section.end):
        before = text[max(section.start, m.start() - 7) : m.start()].lower()
        comparator = "gte" if before.endswith("since ") else "lte" if before.endswith(
            ("until ", "till ")
        ) else "eq"
        reading = _temporal_reading(m, anchor)
        out.append(Figure(m.start(), m.end(), comparator=comparator, **reading))
    return out
