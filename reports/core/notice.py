"""Notices in the official-document look (GB/T 9704-2012): red header, grid text, seal space.

Used for the red/black list notices, the yearly ranking and the 约谈 list.
Mobile numbers in a notice are always masked (DOMAIN.md §10).
"""

import math

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Spacer,
)

from models.core.privacy import mask_phones_in
from models.printing.documents import Notice, NoticeTable
from reports.core.drawing import INK, RED, Output
from reports.core.fonts import draw_text, fit_size
from reports.core.grid_text import GridText
from reports.core.styles import new_document
from reports.core.tables import ruled_table

TOP, LEFT = 37 * mm, 28 * mm  # GB/T 9704 7.1: top and binding-side margins
BLOCK_W, BLOCK_H = 156 * mm, 225 * mm  # text block
LINES, CHARS = 22, 28
PITCH = BLOCK_H / LINES  # line pitch of the 22-line grid
CELL = BLOCK_W / CHARS  # advance of one character of 28 a line
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14  # 3号, 2号, 4号
FIRST_ROWS = 1  # table rows kept on the page of the caption and header
BLOCK_TOP = A4[1] - TOP
BLOCK_BOTTOM = BLOCK_TOP - BLOCK_H


def render_notice(notice: Notice, out: Output) -> int:
    """Write the notice; returns the number of pages."""
    margins = (TOP, A4[0] - LEFT - BLOCK_W, A4[1] - TOP - BLOCK_H, LEFT)
    document = new_document(out, A4, notice.title, margins, BaseDocTemplate)
    frame = Frame(LEFT, BLOCK_BOTTOM, BLOCK_W, BLOCK_H, 0, 0, 0, 0, id="block")
    first = PageTemplate("first", [frame], onPage=lambda c, d: _first_page(c, d, notice))
    later = PageTemplate("later", [frame], onPage=_page_number)
    document.addPageTemplates([first, later])
    document.build(notice_flowables(notice))
    return document.page


def notice_flowables(notice: Notice) -> list:
    """The story below the red header, which the first page template draws."""
    def body(text, **kw):  # type: ignore[no-untyped-def]
        return GridText(mask_phones_in(text), BODY_PT, CELL, PITCH, **kw)

    story = [
        NextPageTemplate("later"),
        Spacer(1, _header_lines(notice) * PITCH),
        GridText(notice.title, TITLE_PT, TITLE_PT, PITCH, role="title", indent=0, align="centre"),
        Spacer(1, PITCH),
        body(notice.recipients, indent=0, align="left"),
    ]
    story += [body(text) for text in notice.paragraphs]
    if notice.table is not None:
        story += _table_flowables(notice.table)
    story += [body(text) for text in notice.closing]
    if notice.attachments:
        story += [Spacer(1, PITCH), body("附件：" + "；".join(notice.attachments), align="left")]
    story.append(KeepTogether([Spacer(1, 2 * PITCH), *_signature(notice, body)]))
    return story


def _signature(notice: Notice, body) -> list:
    """署名 centred over the date; the date ends four characters from the right (7.3.5.1)."""
    date_text = f"{notice.date.year}年{notice.date.month}月{notice.date.day}日"
    offset = max(4 + (_cells(date_text) - _cells(notice.issuer)) / 2, 0)
    return [
        body(notice.issuer, indent=0, align="right", right_cells=offset),
        body(date_text, indent=0, align="right", right_cells=4),
    ]


def _cells(text: str) -> float:
    """Width in grid cells: Chinese characters take one, digits and Latin letters half."""
    return sum(1 if ord(char) > 0xFF else 0.5 for char in text)


def _table_flowables(table: NoticeTable) -> list:
    headers = [mask_phones_in(h) for h in table.headers]
    rows = [[mask_phones_in(value) for value in row] for row in table.rows]
    shares = table.shares or (1,) * len(headers)
    widths = [BLOCK_W * share / sum(shares) for share in shares]
    grid = ruled_table(headers, rows, widths, 12)
    caption = [GridText(table.caption, BODY_PT, CELL, PITCH, role="hei", indent=0,
                        align="centre")] if table.caption else []
    # Only the caption, the header and the first rows stay together: a long table starts right
    # after the text and runs on over the page with its header repeated, instead of leaving
    # page 1 nearly empty.
    start = [*caption, ruled_table(headers, rows[:FIRST_ROWS], widths, 12)]
    least = sum(f.wrap(BLOCK_W, BLOCK_H)[1] for f in start)
    return [Spacer(1, PITCH / 2), _KeepStart([*caption, grid], least), Spacer(1, PITCH / 2)]


class _KeepStart(KeepTogether):
    """Turns the page first only when less than `least` is left; otherwise the content flows
    (and the table splits) right here."""

    def __init__(self, content: list, least: float) -> None:
        super().__init__(content)
        self._least = least

    def split(self, available_width, available_height):
        frame = getattr(self, "_frame", None)
        at_top = bool(frame and getattr(frame, "_atTop", False))
        if at_top:
            return list(self._content)
        if available_height < self._least:
            return [self.FrameBreak(), *self._content]
        if len(self._content) == 1:  # a lone table: split it here, as the frame cannot
            return self._content[0].split(available_width, available_height) or \
                [self.FrameBreak(), *self._content]
        return list(self._content)


def _mark_size(notice: Notice) -> float:
    return fit_size(notice.issuer_mark, BLOCK_W * 0.9, 40, "title")


def _rule_y(notice: Notice) -> float:
    mark_top = BLOCK_TOP - 35 * mm  # 7.2.3: 35 mm below the block top
    mark_bottom = mark_top - _mark_size(notice)
    number_baseline = mark_bottom - 2 * PITCH + 0.15 * BODY_PT
    return number_baseline - 4 * mm - 0.15 * BODY_PT  # 7.2.5: red rule 4 mm below


def _header_lines(notice: Notice) -> int:
    """Whole grid lines the header takes, plus two blank ones above the title."""
    return math.ceil((BLOCK_TOP - _rule_y(notice)) / PITCH) + 1


def _first_page(canvas, document, notice: Notice) -> None:
    size = _mark_size(notice)
    mark_top = BLOCK_TOP - 35 * mm
    canvas.saveState()
    canvas.setFillColor(RED)
    draw_text(
        canvas,
        LEFT + BLOCK_W / 2,
        mark_top - 0.86 * size,
        notice.issuer_mark,
        size,
        "title",
        "centre",
    )
    canvas.setFillColor(INK)
    number_baseline = mark_top - size - 2 * PITCH + 0.15 * BODY_PT
    draw_text(
        canvas, LEFT + BLOCK_W / 2, number_baseline, notice.doc_number, BODY_PT, "fang", "centre"
    )
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(1)
    canvas.line(LEFT, _rule_y(notice), LEFT + BLOCK_W, _rule_y(notice))
    canvas.restoreState()
    _page_number(canvas, document)


def _page_number(canvas, document) -> None:
    """'— 1 —' 7 mm under the block, odd pages right, even pages left (7.5)."""
    number = document.page
    label = f"— {number} —"
    baseline = BLOCK_BOTTOM - 7 * mm - PAGE_NUMBER_PT * 0.8
    canvas.saveState()
    if number % 2:
        draw_text(
            canvas,
            LEFT + BLOCK_W - PAGE_NUMBER_PT,
            baseline,
            label,
            PAGE_NUMBER_PT,
            "song",
            "right",
        )
    else:
        draw_text(canvas, LEFT + PAGE_NUMBER_PT, baseline, label, PAGE_NUMBER_PT, "song")
    canvas.restoreState()
