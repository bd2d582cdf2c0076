"""Bar and pie charts drawn with reportlab's own graphics, in the report's font."""

from __future__ import annotations

from collections.abc import Sequence

from babel.numbers import format_decimal, format_percent
from reportlab.graphics.charts.barcharts import HorizontalBarChart  # type: ignore[import-untyped]
from reportlab.graphics.charts.legends import Legend  # type: ignore[import-untyped]
from reportlab.graphics.charts.piecharts import Pie  # type: ignore[import-untyped]
from reportlab.graphics.shapes import Drawing, String  # type: ignore[import-untyped]
from reportlab.lib import colors  # type: ignore[import-untyped]

from advisor_app.i18n.formatting import babel_locale
from advisor_app.reports.fonts import register_fonts

PALETTE = tuple(
    colors.HexColor(c)
    for c in (
        "#2f5d7c",
        "#e07b39",
        "#3f9c6d",
        "#c9a227",
        "#8e5ea2",
        "#d1495b",
        "#5aa9c9",
        "#7a8b99",
    )
)


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], width: float, unit: str = ""
) -> Drawing:
    """Horizontal bars, one per label, the value written at the end of each."""
    regular, bold = register_fonts()
    bar_space = 16
    height = 30 + bar_space * max(1, len(labels))
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=bold, fontSize=9))
    chart = HorizontalBarChart()
    chart.x, chart.y = width * 0.38, 4
    chart.width, chart.height = width * 0.52, height - 26
    chart.data = [list(reversed(values)) or [0]]
    chart.categoryAxis.categoryNames = list(reversed(labels)) or [""]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.visibleTicks = False
    chart.categoryAxis.strokeColor = colors.HexColor("#9aa5b1")
    chart.valueAxis.visible = False
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([*values, 1]) * 1.15
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda v: f"{format_decimal(v, locale=babel_locale())}{unit}"
    chart.barLabels.fontName = regular
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def pie_chart(title: str, labels: Sequence[str], values: Sequence[float], width: float) -> Drawing:
    """A pie with its legend beside it; nothing to show draws an empty grey disc."""
    regular, bold = register_fonts()
    height = 150
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=bold, fontSize=9))
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 4, 6, 112, 112
    shown = [(label, value) for label, value in zip(labels, values, strict=True) if value > 0]
    pie.data = [value for _label, value in shown] or [1]
    pie.labels = None
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.8
    if shown:
        for index in range(len(shown)):
            pie.slices[index].fillColor = PALETTE[index % len(PALETTE)]
    else:
        pie.slices[0].fillColor = colors.HexColor("#d9dee3")
    drawing.add(pie)
    legend = Legend()
    legend.x, legend.y = 132, height - 26
    legend.fontName = regular
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.columnMaximum = 8
    legend.dx = legend.dy = 7
    legend.deltay = 11
    total = sum(value for _label, value in shown) or 1
    legend.colorNamePairs = [
        (
            PALETTE[i % len(PALETTE)],
            f"{label} ({format_percent(value / total, locale=babel_locale())})",
        )
        for i, (label, value) in enumerate(shown)
    ]
    drawing.add(legend)
    return drawing
