"""The page geometry and the colours every report shares."""

from __future__ import annotations

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.units import cm  # type: ignore[import-untyped]

PAGE_WIDTH: float = A4[0]
PAGE_HEIGHT: float = A4[1]
MARGIN: float = 1.8 * cm
FRAME_PADDING = 6.0  # reportlab's frames keep 6 points inside each side
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN - 2 * FRAME_PADDING
LEFT = MARGIN + FRAME_PADDING
RIGHT = PAGE_WIDTH - MARGIN - FRAME_PADDING
CELL_PADDING = 6.0  # reportlab's tables keep 6 points left and right of each cell

INK = colors.HexColor("#1f2933")
ACCENT = colors.HexColor("#2f5d7c")
LIGHT = colors.HexColor("#eef2f5")
RULE = colors.HexColor("#9aa5b1")
ALERT = colors.HexColor("#b42318")
GOOD = colors.HexColor("#1b7a43")
MUTED = colors.HexColor("#616e7c")
WHITE = colors.white
