"""Reading a PDF back glyph by glyph (pdfplumber): glyphs printed over one another, numbers
and words cut at the end of a line, how full each page is.

Words are not enough to find overprinting: two lines printed over each other interleave into
one "word". Each glyph is a box: its advance width across, its font size up and down from
the descent under its baseline. Two glyphs of a line touch at most by rounding or kerning (a
fraction of a point), two lines set solid touch by their boxes' edges; two glyphs that share a
real part of both their width and their height are printed over each other.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pdfplumber

GRID = 6.0  # points: a glyph is compared only with the glyphs of the grid cells it touches
MIN_OVERLAP = 0.3  # share of the smaller glyph's width and height two glyphs must share
BODY_TOP = 90.0  # points from the top of the page: below the header
FOOTER_ZONE = 50.0  # points from the bottom of the page: the footer


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Overprint:
    page: int
    first: Glyph
    second: Glyph

    def __str__(self) -> str:
        a, b = self.first, self.second
        return (
            f"page {self.page}: {a.text!r} at ({a.x0:.1f}, {a.top:.1f}) "
            f"over {b.text!r} at ({b.x0:.1f}, {b.top:.1f})"
        )


def overlapping(a: Glyph, b: Glyph) -> bool:
    """Whether two glyphs share more than MIN_OVERLAP of the smaller one's width and of its
    height (kerning and rounding share a fraction of a point)."""
    across = min(a.x1, b.x1) - max(a.x0, b.x0)
    upright = min(a.bottom, b.bottom) - max(a.top, b.top)
    return across > max(MIN_OVERLAP * min(a.width, b.width), 0.2) and upright > MIN_OVERLAP * min(
        a.height, b.height
    )


def overprints(glyphs: Sequence[Glyph], page: int = 1) -> list[Overprint]:
    """Pairs of glyphs printed over each other, found through a grid of GRID-point cells."""
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, g in enumerate(glyphs):
        for column in range(int(g.x0 // GRID), int(g.x1 // GRID) + 1):
            for row in range(int(g.top // GRID), int(g.bottom // GRID) + 1):
                cells[(column, row)].append(index)
    found: dict[tuple[int, int], Overprint] = {}
    for members in cells.values():
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                pair = (min(first, second), max(first, second))
                if pair not in found and overlapping(glyphs[first], glyphs[second]):
                    found[pair] = Overprint(page, glyphs[pair[0]], glyphs[pair[1]])
    return list(found.values())


@dataclass(frozen=True)
class Segment:
    """One line of one cell (or of a paragraph): glyphs with no gap between them."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Reading:
    """What a PDF shows, read back once."""

    overprints: list[Overprint]
    segments: list[list[Segment]]  # per page
    fills: list[float]  # per page: how far down the body's last glyph reaches, 0 to 1
    pages: list[str]  # per page: its text

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@cache
def read_pdf(path: Path) -> Reading:
    """Every page of the PDF, glyph by glyph (cached: several tests read the same file)."""
    found: list[Overprint] = []
    lines: list[list[Segment]] = []
    fills: list[float] = []
    texts: list[str] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            glyphs = [
                Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"])
                for c in page.chars
                if c["text"].strip() and c["x1"] > c["x0"]
            ]
            found += overprints(glyphs, number)
            words = page.extract_words(keep_blank_chars=True, x_tolerance=2.5, y_tolerance=3.5)
            lines.append(
                [Segment(plain(w["text"]), w["x0"], w["x1"], w["top"], w["bottom"]) for w in words]
            )
            bottom = page.height - FOOTER_ZONE
            body = [g.bottom for g in glyphs if BODY_TOP < g.top < bottom]
            fills.append((max(body, default=BODY_TOP) - BODY_TOP) / (bottom - BODY_TOP - 15))
            texts.append(page.extract_text())
    return Reading(found, lines, fills, texts)


def plain(text: str) -> str:
    """Text with its no-break spaces and runs of spaces made single spaces."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def continued_lines(page: Sequence[Segment]) -> Iterable[tuple[Segment, Segment]]:
    """Pairs of a line and the next line of the same cell: just below it, starting (or,
    right-aligned, ending) at the same place."""
    by_top = sorted(page, key=lambda s: s.top)
    for index, upper in enumerate(by_top):
        height = upper.bottom - upper.top
        for lower in by_top[index + 1 :]:
            if lower.top - upper.top > 1.7 * height:
                break
            if lower.top - upper.top < 0.6 * height:
                continue
            if abs(lower.x0 - upper.x0) < 1.5 or abs(lower.x1 - upper.x1) < 1.5:
                yield upper, lower


# A cut inside a number, a time, an amount or a duration: "12:1 / 5", "1 200 / 000,00 €",
# "1 h / 30", "45 / min".
_CUT = re.compile(
    r"\d\n\d|\d:\n|:\n\d|\d[–-]\n\d|\d\n[€%]|\d\nh\b|\d\nmin\b|\bh\n\d|[€$£]\n\d|\d\n[AP]M"
)
# A date at the end of a line and its time on the next one is a fair place to break.
_DATE_THEN_TIME = re.compile(
    r"(\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|\b\d{4}),?\n\d{1,2}(:\d\d| h\b)"
)
_WORD = r"[\w'’-]+"


def cut_items(reading: Reading, words: set[str]) -> list[str]:
    """Numbers, times, amounts and durations cut at the end of a line, and words of `words`
    cut in two (a line ending with the start of the word, the next one with its end)."""
    found: list[str] = []
    for page in reading.segments:
        for upper, lower in continued_lines(page):
            if not upper.text or not lower.text:
                continue
            seam = f"{upper.text[-14:]}\n{lower.text[:14]}"
            if _CUT.search(seam) and not _DATE_THEN_TIME.search(seam):
                found.append(seam)
                continue
            last = re.findall(f"{_WORD}$", upper.text)
            first = re.findall(f"^{_WORD}", lower.text)
            if last and first and last[0] + first[0] in words and last[0] not in words:
                found.append(seam)
    return found


def words_of(texts: Iterable[str]) -> set[str]:
    return {w for t in texts for w in re.findall(_WORD, plain(t))}


def pdf_overprints(path: Path) -> list[Overprint]:
    """Every overprint on every page of the PDF."""
    return read_pdf(path).overprints
