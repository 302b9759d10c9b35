"""职责公示卡: a head's public duty card, A4 or A5 (the A4 layout scaled), phone in full.

Everything stays inside a printable margin (an office laser printer leaves 4–5 mm of every
edge blank): the red header is a band inside the margin, not bled to the paper's edge. On A5
the A4 layout is scaled by 1/√2, so its 10 mm margin is still 7 mm there."""

from collections.abc import Callable, Sequence

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm

from models.printing.documents import DutyCard
from reports.core.drawing import (
    GREY,
    INK,
    LIGHT,
    RED,
    WHITE,
    Output,
    draw_photo,
    draw_wrapped,
    label_value,
    new_canvas,
)
from reports.core.fonts import draw_text
from reports.org import texts

PAGE_SIZES = {"A4": A4, "A5": A5}
W, H = A4
PRINTABLE = 10 * mm  # nothing is drawn nearer the paper's edge (≥ 5 mm once scaled to A5)
MARGIN = 18 * mm
INNER_W = W - 2 * MARGIN
HEADER_TOP, HEADER_H = H - PRINTABLE, 34 * mm


def render_duty_cards(
    cards: Sequence[DutyCard],
    out: Output,
    paper: str = "A4",
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """One card per page on A4 or A5; returns the number of pages.

    progress(pages done, pages in all) is called after each page (it may raise to stop)."""
    pagesize = PAGE_SIZES[paper]
    canvas = new_canvas(out, pagesize, "职责公示卡")
    for done, card in enumerate(cards, 1):
        canvas.saveState()
        canvas.scale(pagesize[0] / W, pagesize[1] / H)  # A5 is A4 at 1/√2, same proportions
        draw_duty_card(canvas, card)
        canvas.restoreState()
        canvas.showPage()
        if progress:
            progress(done, len(cards))
    canvas.save()
    return len(cards)


def draw_duty_card(canvas, card: DutyCard) -> None:
    _header(canvas, card)
    draw_photo(canvas, card.photo or card.photo_path, MARGIN + 4 * mm, H - 115 * mm, 50 * mm,
               66 * mm)
    _identity(canvas, card)
    bottom = _duties(canvas, card, H - 128 * mm)
    _officers(canvas, bottom - 10 * mm)
    _footer(canvas, card)


def _header(canvas, card: DutyCard) -> None:
    canvas.setFillColor(RED)
    canvas.roundRect(PRINTABLE, HEADER_TOP - HEADER_H, W - 2 * PRINTABLE, HEADER_H, 3 * mm,
                     stroke=0, fill=1)
    canvas.setFillColor(WHITE)
    draw_text(
        canvas,
        W / 2,
        H - 23 * mm,
        f"{card.role}职责公示卡",
        30,
        "title",
        "centre",
        max_width=INNER_W,
    )
    draw_text(
        canvas,
        W / 2,
        H - 33 * mm,
        f"{card.village}农村人居环境整治“五级架构”",
        13,
        "hei",
        "centre",
        max_width=INNER_W,
    )


def _identity(canvas, card: DutyCard) -> None:
    x, label_w, value_w = MARGIN + 64 * mm, 26 * mm, INNER_W - 64 * mm - 26 * mm
    rows = (
        ("姓　　名", card.name, 24),
        ("职　　务", card.role, 16),
        ("负责区域", card.area, 16),
        ("所属村", card.village, 16),
        ("联系电话", card.phone, 20),
    )
    baseline = H - 58 * mm
    for label, value, size in rows:
        label_value(canvas, x, baseline, label, value, size, label_w, value_w, label_size=13)
        baseline -= 12 * mm


def _section_title(canvas, y: float, title: str) -> float:
    canvas.setFillColor(RED)
    canvas.rect(MARGIN, y - 7 * mm, 2 * mm, 7 * mm, stroke=0, fill=1)
    canvas.setFillColor(INK)
    draw_text(canvas, MARGIN + 5 * mm, y - 5.6 * mm, title, 16, "hei")
    return y - 11 * mm


def _duties(canvas, card: DutyCard, top: float) -> float:
    y = _section_title(canvas, top, "岗位职责")
    if card.role == texts.ALLEY_HEAD:
        draw_text(canvas, MARGIN + 5 * mm, y - 15, "落实“三个一”：", 15, "song")
        y -= 9 * mm
        for number, duty in enumerate(texts.ALLEY_HEAD_DUTIES, 1):
            draw_text(canvas, MARGIN + 10 * mm, y - 15, f"{number}. {duty}", 15, "song")
            y -= 8.5 * mm
        return y
    return draw_wrapped(
        canvas,
        texts.ZONE_HEAD_DUTY,
        MARGIN + 5 * mm,
        y,
        INNER_W - 5 * mm,
        30 * mm,
        15,
        "song",
        leading=1.6,
    )


def _officers(canvas, top: float) -> None:
    """The seven officers as a two-column grid of outlined boxes."""
    y = _section_title(canvas, top, "七个管理员")
    box_w, box_h, gap = (INNER_W - 5 * mm - 6 * mm) / 2, 12 * mm, 6 * mm
    for index, officer in enumerate(texts.SEVEN_OFFICERS):
        column, row = index % 2, index // 2
        x = MARGIN + 5 * mm + column * (box_w + gap)
        box_top = y - row * (box_h + 3 * mm)
        canvas.setStrokeColor(LIGHT)
        canvas.roundRect(x, box_top - box_h, box_w, box_h, 2 * mm, stroke=1, fill=0)
        canvas.setFillColor(RED)
        draw_text(canvas, x + 5 * mm, box_top - 7.8 * mm, f"{index + 1}", 15, "hei")
        canvas.setFillColor(INK)
        draw_text(canvas, x + 12 * mm, box_top - 7.8 * mm, officer, 15, "song")


def _footer(canvas, card: DutyCard) -> None:
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(1)
    canvas.line(MARGIN, 30 * mm, W - MARGIN, 30 * mm)
    canvas.setFillColor(INK)
    draw_text(
        canvas,
        MARGIN,
        20 * mm,
        f"监督电话：{card.supervision_phone}",
        16,
        "hei",
        max_width=INNER_W / 2,
    )
    canvas.setFillColor(GREY)
    draw_text(canvas, W - MARGIN, 20 * mm, card.issuer, 13, "song", "right", max_width=INNER_W / 2)
