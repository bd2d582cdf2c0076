"""Text made ready for a reportlab Paragraph: escaped, its line breaks kept, and its numbers,
times, amounts and durations made unbreakable.

reportlab breaks a line at any character of its whitespace list, which holds the narrow
no-break space U+202F that babel puts in "1 200 000,00 €" and "11:30 AM"; only U+00A0 is
left out of that list (`reportlab.platypus.paragraph._wsc`). So every space inside such an
item becomes U+00A0, and a narrow one keeps its narrow look as a U+00A0 set 3 points smaller.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

NO_BREAK = "\u00a0"
NARROW_NO_BREAK = "\u202f"
_SPACE = "[ \u00a0\u202f]"
_UNIT = (
    r"(?:€|\$|£|%|h\b|min\b|[kKMG][oB]\b|[oB]\b|AM\b|PM\b|am\b|pm\b|a\.m\.|p\.m\.|"
    r"ans?\b|years?\b|mois\b|months?\b|jours?\b|days?\b|semaines?\b|weeks?\b|"
    r"salariés?\b|emplois?\b|jobs?\b)"
)
# Each pattern marks the spaces that must not end a line.
_KEEP_TOGETHER = tuple(
    re.compile(pattern)
    for pattern in (
        rf"(?<=\d){_SPACE}(?=\d{{3}}(?!\d))",  # 1 200 000
        rf"(?<=\d){_SPACE}(?={_UNIT})",  # 12,00 €, 1 h, 45 min, 11:30 AM
        rf"(?<=\bh){_SPACE}(?=\d)",  # 1 h 30
        rf"(?<=[€$£]){_SPACE}(?=\d)",  # € 12
        rf"(?<=\bn°){_SPACE}(?=\d)",  # n° 12
        rf"(?<=\bNo\.){_SPACE}(?=\d)",  # No. 12
        rf"(?<=\d){_SPACE}?[–-]{_SPACE}?(?=\d)",  # 11:30 – 12:15
        rf"\b\d{{1,2}}(?:er)?{_SPACE}[^\W\d_]{{3,10}}\.?{_SPACE}\d{{4}}\b",  # 1er janv. 2026
        rf"\b[^\W\d_]{{3,10}}\.?{_SPACE}\d{{1,2}},{_SPACE}\d{{4}}\b",  # Jan 5, 2026
    )
)
# U+00A0 three points smaller than the text around it: about as wide as U+202F in
# DejaVu Sans (1.75 points against 1.70 at 8.5 points), and unbreakable.
_NARROW_MARKUP = f'<font size="-3">{NO_BREAK}</font>'


def kept_spaces(value: str) -> set[int]:
    """The positions of the spaces inside numbers, amounts, times, durations and dates."""
    kept = {i for i, c in enumerate(value) if c == NARROW_NO_BREAK}
    for pattern in _KEEP_TOGETHER:
        for match in pattern.finditer(value):
            kept.update(
                i
                for i in range(match.start(), match.end())
                if value[i] in (" ", NO_BREAK, NARROW_NO_BREAK)
            )
    return kept


def unbreakable(value: str) -> str:
    """`value` with the spaces of its numbers, amounts, times and dates made no-break
    (U+00A0; plain text, for the page frame drawn without a Paragraph)."""
    kept = kept_spaces(value)
    return "".join(NO_BREAK if i in kept else c for i, c in enumerate(value))


def paragraph_markup(value: str) -> str:
    """Plain text made safe for a Paragraph: escaped, line breaks kept, and no line break
    inside a number, an amount, a time, a duration or a date."""
    kept = kept_spaces(value)
    pieces: list[str] = []
    start = 0
    for index in sorted(kept):
        pieces.append(escape(value[start:index]))
        pieces.append(_NARROW_MARKUP if value[index] == NARROW_NO_BREAK else NO_BREAK)
        start = index + 1
    pieces.append(escape(value[start:]))
    return "".join(pieces).replace("\r\n", "\n").replace("\n", "<br/>")
