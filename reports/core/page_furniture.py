"""Page numbers for the plain (non-notice) A4 documents."""

from reportlab.lib.units import mm

from reports.core.drawing import GREY
from reports.core.fonts import draw_text


def page_number_footer(canvas, document) -> None:
    canvas.saveState()
    canvas.setFillColor(GREY)
    draw_text(
        canvas, document.pagesize[0] / 2, 10 * mm, f"第 {document.page} 页", 9, "hei", "centre"
    )
    canvas.restoreState()
