"""The Unicode font shipped in `resources/fonts` (DejaVu Sans), registered once for reportlab."""

from __future__ import annotations

from functools import cache
from io import BytesIO

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

from advisor_app.package_files import resource

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) and its family; return their names."""
    for name in (REGULAR, BOLD):
        font_file = BytesIO(resource("fonts", f"{name}.ttf").read_bytes())
        pdfmetrics.registerFont(TTFont(name, font_file))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)
    return REGULAR, BOLD
