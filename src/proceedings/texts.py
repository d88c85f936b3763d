"""Text normalisation shared by every place that compares what a PDF says with a name."""

from __future__ import annotations

import re
import unicodedata

# Ligatures and typographic forms that PDF text layers hand back as single code points.
_NOT_LETTER = re.compile(r"[^a-z]+")
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


def letters_key(text: str) -> str:
    """`text` as lower-case letters only: accents, digits, spaces and punctuation dropped.

    Small-caps headings come out of PDF text layers split (`R EFERENCES`) and ligatures
    decomposed, so names are compared on their letters alone.
    """
    if text.isascii():
        return _NOT_LETTER.sub("", text.lower())
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return _NOT_LETTER.sub("", decomposed)
