"""The default tokenizer: shared by the statistics (token counts) and the training helpers.

Words are runs of word characters, joined into one token by an inner hyphen or apostrophe
(``France-Presse``, ``O'Brien``, ``rock'n'roll``), and every other character that is not a
space is a token of its own. Like the Penn Treebank and spaCy tokenizers, an English clitic
or possessive at the end of a word is split off: ``Council's`` → ``Council`` ``'s``,
``don't`` → ``do`` ``n't``, ``they're`` → ``they`` ``'re`` (also ``'ve``, ``'ll``, ``'d``,
``'m``; with ' or ’, in any letter case). So a name such as "UN Human Rights Council" in
"UN Human Rights Council's review" ends on a token edge and can be tagged.

The split happens only at the word's last apostrophe, when what follows it is exactly a
clitic (``Council's`` splits, ``Council's-style`` and ``'sure`` do not), and ``n't`` only
when the ``n`` ends a run of two or more word characters (``don't``, not ``rock-n't``).
:func:`belnews.release.stats.count_tokens` counts the same tokens in columns; a property test
holds the two equal.
"""

from __future__ import annotations

import re

__all__ = ["CLITICS", "TOKEN_PATTERN", "simple_tokenize"]

#: The clitics split off after an apostrophe (besides ``n't``), lower-case.
CLITICS = ("s", "re", "ve", "ll", "d", "m")

# Letter cases are spelled out: re.IGNORECASE would also let ſ (U+017F) match s.
_CLITIC = "(?:" + "|".join("".join(f"[{c}{c.upper()}]" for c in w) for w in CLITICS) + ")"
_APOSTROPHE = "['’]"
#: What follows the last run of a word: neither a word character nor a joined run.
_WORD_END = r"(?![-'’]?\w)"
_CHAIN = r"\w+(?:[-'’]\w+)*"

TOKEN_PATTERN = re.compile(
    rf"(?<=\w){_APOSTROPHE}{_CLITIC}{_WORD_END}"  # the 's of Council's, split off below
    rf"|(?<=\w)[nN]{_APOSTROPHE}[tT]{_WORD_END}"  # the n't of don't
    rf"|\w+(?:[-'’]\w+)*?(?={_APOSTROPHE}{_CLITIC}{_WORD_END})"  # Council of Council's
    rf"|\w+(?:[-'’]\w+)*?(?=[nN]{_APOSTROPHE}[tT]{_WORD_END})"  # do of don't
    rf"|{_CHAIN}"  # any other word
    r"|[^\w\s]",  # one punctuation mark or symbol
    re.UNICODE,
)


def simple_tokenize(text: str) -> list[tuple[int, int]]:
    """Words (with inner hyphens/apostrophes, clitics split off) and single punctuation
    marks, as character offsets."""
    return [(m.start(), m.end()) for m in TOKEN_PATTERN.finditer(text)]
