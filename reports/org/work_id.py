"""工作证: ID-1 cards (85.6 × 54 mm), ten per A4 sheet, cut marks in the margins.

The card's frame (red header, outline, photo box, labels) is the same on every card: it is
drawn once into a PDF form and placed on each card, which then gets only its own words, its
QR code and the head's photo (a 25 × 35 mm one-inch photo box, drawn from the photo bytes the
card's data carries). The lower right corner is left to the issuer's name and year, where the
branch's seal is pressed.
"""

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
    at_most_two_lines,
    draw_cut_marks,
    draw_photo,
    draw_qr,
    new_canvas,
)
from reports.core.fonts import draw_text, primary_font, text_width

CARD_W, CARD_H = 85.6 * mm, 54 * mm
COLUMNS, ROWS = 2, 5
PER_SHEET = COLUMNS * ROWS
# Cards butt against each other so one straight cut separates two of them.
LEFT = (A4[0] - COLUMNS * CARD_W) / 2
BOTTOM = (A4[1] - ROWS * CARD_H) / 2
HEADER_H = 10 * mm
PHOTO = (4 * mm, 5.5 * mm, 25 * mm, 35 * mm)  # x, y, width, height: a one-inch photo
FIELD_X, LABEL_W, VALUE_W = 31.5 * mm, 8 * mm, 23.5 * mm
QR = (CARD_W - 21 * mm, 24.5 * mm, 17 * mm)  # x, y, size
SEAL_CENTRE_X, SEAL_W = CARD_W - 12.5 * mm, 21 * mm  # the seal's room, lower right
# Baselines (mm from the card's bottom) of the labelled rows; name and area may take two lines.
ROWS_AT = {"姓名": 37.8, "职务": 29.6, "村别": 25.3, "区域": 21.0, "编号": 12.0}
NAME_PT, NAME_TWO_LINES_PT, VALUE_PT, AREA_PT = 11, 9.5, 9, 8


def render_work_ids(
    cards: Sequence[WorkIdCard], out: Output, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write the cards ten to a sheet; returns the number of pages.

    progress(pages done, pages in all) is called after each sheet (it may raise to stop)."""
    canvas = new_canvas(out, A4, "工作证")
    frame = _draw_frame_form(canvas)
    pages = 0
    total = -(-len(cards) // PER_SHEET)
    for start in range(0, len(cards), PER_SHEET):
        for slot, card in enumerate(cards[start : start + PER_SHEET]):
            column, row = slot % COLUMNS, slot // COLUMNS
            x = LEFT + column * CARD_W
            y = BOTTOM + (ROWS - 1 - row) * CARD_H
            draw_card(canvas, card, x, y, frame)
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


def _draw_frame_form(canvas) -> str:
    """The part of every card that never changes, as one PDF form; returns its name."""
    name = f"work-id-frame-{primary_font('hei')}"
    canvas.beginForm(name)
    _frame_and_header(canvas)
    draw_photo(canvas, None, *PHOTO)
    canvas.setFillColor(GREY)
    for label, baseline in ROWS_AT.items():
        draw_text(canvas, FIELD_X, baseline * mm, label, 7)
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(0.6)
    canvas.line(FIELD_X, 8.5 * mm, QR[0] - 2 * mm, 8.5 * mm)
    canvas.endForm()
    return name


def draw_card(canvas, card: WorkIdCard, x: float, y: float, frame: str | None = None) -> None:
    """One card with its lower-left corner at (x, y); `frame`: the form of the fixed parts."""
    canvas.saveState()
    canvas.translate(x, y)
    if frame is None:
        frame = _draw_frame_form(canvas)
    canvas.doForm(frame)
    if card.photo or card.photo_path:
        draw_photo(canvas, card.photo or card.photo_path, *PHOTO)
    _fields(canvas, card)
    draw_qr(canvas, card.qr or card.card_number, *QR)
    _issuer(canvas, card)
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
    draw_text(canvas, CARD_W / 2, CARD_H - 6.9 * mm, "工  作  证", 14, align="centre")


def _fields(canvas, card: WorkIdCard) -> None:
    value_x = FIELD_X + LABEL_W
    canvas.setFillColor(INK)
    _two_line_value(canvas, card.name, ROWS_AT["姓名"], NAME_PT, NAME_TWO_LINES_PT, "hei")
    for label, value in (("职务", card.role), ("村别", card.village), ("编号", card.card_number)):
        draw_text(canvas, value_x, ROWS_AT[label] * mm, value, VALUE_PT, max_width=VALUE_W,
                  min_size=VALUE_PT * 0.8)
    area = "·".join(filter(None, (card.natural_village, card.area)))
    _two_line_value(canvas, area, ROWS_AT["区域"], AREA_PT, AREA_PT, "hei")


def _two_line_value(canvas, text: str, baseline_mm: float, size: float, two_line_size: float,
                    role: str) -> None:
    """One line at `size` if it fits; else two lines at `two_line_size` (the first on the
    row's baseline), condensed only when even two lines cannot hold it."""
    x, baseline = FIELD_X + LABEL_W, baseline_mm * mm
    if text_width(text, size, role) <= VALUE_W:
        draw_text(canvas, x, baseline, text, size, role)
        return
    lines = at_most_two_lines(text, VALUE_W, two_line_size, role, balanced=True)
    baseline += (two_line_size * 0.5 if size > two_line_size else 0)  # two lines use the gap
    for number, line in enumerate(lines):
        draw_text(canvas, x, baseline - number * two_line_size * 1.2, line, two_line_size, role,
                  max_width=VALUE_W)


def _issuer(canvas, card: WorkIdCard) -> None:
    """The issuer and the year in the seal's room, lower right (the seal is pressed over them)."""
    canvas.setFillColor(INK)
    lines = at_most_two_lines(card.issuer, SEAL_W, 7, balanced=True)
    baseline = 12.5 * mm if len(lines) > 1 else 11 * mm
    for line in lines:
        draw_text(canvas, SEAL_CENTRE_X, baseline, line, 7, align="centre", max_width=SEAL_W)
        baseline -= 8.5
    draw_text(canvas, SEAL_CENTRE_X, 4.5 * mm, f"{card.year}年度", 7, align="centre")
