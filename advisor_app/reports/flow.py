"""How the story flows over the pages: no heading left alone with an empty page under it,
and no last page holding a line or two.

reportlab's keepWithNext keeps a heading with the whole of what follows: with a long table, the
heading moves to the next page and leaves most of the page empty. Here a heading moves only
when the first rows (or lines) of what follows do not fit under it.

A document whose last page would hold only a few lines is laid out again with its vertical
spaces tightened (`tightened`), which most often brings them back onto the page before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import (  # type: ignore[import-untyped]
    CondPageBreak,
    Paragraph,
    Spacer,
    Table,
)

Flowable = Any
START_ROWS = 2  # rows of a table that must fit under its heading
START_LINES = 3  # lines of a text that must fit under its heading


class _RoomFor(CondPageBreak):  # type: ignore[misc]
    """A page break only when the headings and the first rows (or lines) of what follows do
    not fit in what is left of the page. reportlab's keepWithNext keeps a heading with the
    whole of a long table, which leaves most of a page empty."""

    def __init__(self, heads: Sequence[Flowable], body: Flowable) -> None:
        super().__init__(0)
        self.heads, self.body = list(heads), body

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        needed = 0.0
        for head in self.heads:
            _w, height = head.wrap(availWidth, availHeight)
            needed += height + head.getSpaceBefore() + head.getSpaceAfter()
        self.height = needed + self.body.getSpaceBefore() + _start_height(self.body, availWidth)
        return super().wrap(availWidth, availHeight)  # type: ignore[no-any-return]


def _start_height(body: Flowable, width: float) -> float:
    _w, height = body.wrap(width, 1_000_000)
    if isinstance(body, Table):
        rows = body._rowHeights[: body.repeatRows + START_ROWS]
        return min(float(height), float(sum(rows)))
    if isinstance(body, Paragraph):
        return min(float(height), START_LINES * float(body.style.leading))
    return float(height)


def keep_headings_with_starts(story: Sequence[Flowable]) -> list[Flowable]:
    """The story with each run of headings (flowables kept with the next one) preceded by a
    conditional page break sized for the headings and the start of what follows."""
    result: list[Flowable] = []
    heads: list[Flowable] = []
    for flowable in story:
        if flowable.getKeepWithNext():
            heads.append(flowable)
            continue
        if heads:
            result.append(_RoomFor(heads, flowable))
            for head in heads:
                head.keepWithNext = 0
            result += heads
            heads = []
        result.append(flowable)
    return result + heads


# -- a short last page -----------------------------------------------------------------------


def forget_layout(story: Sequence[Flowable]) -> None:
    """Clear what a first layout left on the flowables, so that the story can be laid out
    again (reportlab marks a flowable moved to the next page, and refuses to move it twice)."""
    for flowable in story:
        if "_postponed" in flowable.__dict__:
            del flowable.__dict__["_postponed"]


def tightened(story: Sequence[Flowable], factor: float) -> list[Flowable]:
    """The same story with the space around its flowables and its spacers `factor` times as
    tall, inside blocks kept together too (headings and tables come closer; their content
    is unchanged)."""
    for flowable in story:
        if isinstance(flowable, CondPageBreak):
            continue
        if isinstance(flowable, Spacer):
            flowable.height = flowable.height * factor
            continue
        inner = getattr(flowable, "_content", None)
        if isinstance(inner, list):
            tightened(inner, factor)
        try:
            flowable.spaceBefore = flowable.getSpaceBefore() * factor
            flowable.spaceAfter = flowable.getSpaceAfter() * factor
        except AttributeError:  # a chart (Drawing) takes no attribute it does not know
            continue
    return list(story)
