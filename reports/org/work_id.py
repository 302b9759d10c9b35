"""工作证: ID-1 cards (85.6 × 54 mm), ten per A4 sheet, cut marks in the margins."""

from collections.abc import Callable, Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from models.printing.documents import WorkIdCard
from reports.core.drawing import (
    GREY,
    INK,
    LIGHT,
    RED,
    WHITE,
    Output,
    draw_cut_marks,
    draw_photo,
    draw_qr,
    label_value,
    new_canvas,
)
from reports.core.fonts import draw_text

CARD_W, CARD_H = 85.6 * mm, 54 * mm
COLUMNS, ROWS = 2, 5
PER_SHEET = COLUMNS * ROWS
# Cards butt against each other so one straight cut separates two of them.
LEFT = (A4[0] - COLUMNS * CARD_W) / 2
BOTTOM = (A4[1] - ROWS * CARD_H) / 2
HEADER_H = 11 * mm


def render_work_ids(
    cards: Sequence[WorkIdCard], out: Output, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write the cards ten to a sheet; returns the number of pages.

    progress(pages done, pages in all) is called after each sheet (it may raise to stop)."""
    canvas = new_canvas(out, A4, "工作证")
    pages = 0
    total = -(-len(cards) // PER_SHEET)
    for start in range(0, len(cards), PER_SHEET):
        for slot, card in enumerate(cards[start : start + PER_SHEET]):
            column, row = slot % COLUMNS, slot // COLUMNS
            x = LEFT + column * CARD_W
            y = BOTTOM + (ROWS - 1 - row) * CARD_H
            draw_card(canvas, card, x, y)
        _sheet_cut_marks(canvas)
        canvas.showPage()
        pages += 1
        if progress:
            progress(pages, total)
    canvas.save()
    return pages


def _sheet_cut_marks(canvas) -> None:
    xs = [LEFT + i * CARD_W for i in range(COLUMNS + 1)]
    ys = [BOTTOM + i * CARD_H for i in range(ROWS + 1)]
    draw_cut_marks(canvas, xs, ys, xs[0], xs[-1], ys[0], ys[-1], gap=2 * mm, length=5 * mm)


def draw_card(canvas, card: WorkIdCard, x: float, y: float) -> None:
    """One card with its lower-left corner at (x, y)."""
    canvas.saveState()
    canvas.translate(x, y)
    _frame_and_header(canvas)
    draw_photo(canvas, card.photo_path, 5 * mm, 11 * mm, 20 * mm, 27 * mm)
    _fields(canvas, card)
    draw_qr(canvas, card.card_number, CARD_W - 23 * mm, 14 * mm, 18 * mm)
    _footer(canvas, card)
    canvas.restoreState()


def _frame_and_header(canvas) -> None:
    outline = canvas.beginPath()
    outline.roundRect(0, 0, CARD_W, CARD_H, 3 * mm)
    canvas.saveState()
    canvas.clipPath(outline, stroke=0, fill=0)
    canvas.setFillColor(RED)
    canvas.rect(0, CARD_H - HEADER_H, CARD_W, HEADER_H, stroke=0, fill=1)
    canvas.restoreState()
    canvas.setStrokeColor(LIGHT)
    canvas.setLineWidth(0.5)
    canvas.roundRect(0, 0, CARD_W, CARD_H, 3 * mm, stroke=1, fill=0)
    canvas.setFillColor(WHITE)
    draw_text(canvas, CARD_W / 2, CARD_H - 7.6 * mm, "工  作  证", 14, align="centre")


def _fields(canvas, card: WorkIdCard) -> None:
    x, label_w, value_w = 28 * mm, 9 * mm, 24 * mm
    draw_text_rows = (
        ("姓名", card.name, 11),
        ("职务", card.role, 9),
        ("区域", card.area, 9),
        ("村别", card.village, 9),
        ("编号", card.card_number, 8.5),
    )
    baseline = 36.5 * mm
    for label, value, size in draw_text_rows:
        label_value(canvas, x, baseline, label, value, size, label_w, value_w)
        baseline -= 5.6 * mm


def _footer(canvas, card: WorkIdCard) -> None:
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(0.6)
    canvas.line(5 * mm, 8 * mm, CARD_W - 5 * mm, 8 * mm)
    canvas.setFillColor(GREY)
    draw_text(canvas, 5 * mm, 4 * mm, f"发证单位：{card.issuer}", 7, max_width=55 * mm)
    canvas.setFillColor(INK)
    draw_text(canvas, CARD_W - 5 * mm, 4 * mm, f"{card.year}年度", 7, align="right")
