"""Notices in the official-document look (GB/T 9704-2012): red header, grid text, seal space, 版记.

Used for the red/black list notices, the yearly ranking and the 约谈 list. What a township
official would file as it is:
- the signature and date never stand alone on a page: the last lines of the body (or the last
  rows of a table) go over with them, or the gap above them is tightened (7.3.5.4);
- the 版记 (印发机关, 印发日期) closes the last page, its last rule on the block's bottom (7.4);
- the document number line is left out when the notice has none (7.2.4);
- a long title is broken into balanced lines, never inside a word (7.3.1);
- "一、" headings in 黑体 (7.3.3), dates without zero padding, no stray spaces.
Mobile numbers in a notice are always masked (DOMAIN.md §10).
"""

from __future__ import annotations

import math
import re

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Spacer,
    Table,
)

from models.core.privacy import mask_phones_in
from models.printing.documents import Notice, NoticeTable, chinese_date
from reports.core.drawing import INK, RED, Output
from reports.core.fonts import draw_text, fit_size, primary_font, text_width
from reports.core.grid_text import GridText
from reports.core.keep import KeepTail
from reports.core.linebreak import clean
from reports.core.tables import column_widths, ruled_table
from reports.core.titles import balanced_lines

TOP, LEFT = 37 * mm, 28 * mm  # GB/T 9704 7.1: top and binding-side margins
BLOCK_W, BLOCK_H = 156 * mm, 225 * mm  # text block
LINES, CHARS = 22, 28
PITCH = BLOCK_H / LINES  # line pitch of the 22-line grid
CELL = BLOCK_W / CHARS  # advance of one character of 28 a line
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, BANJI_PT = 16, 22, 14, 14  # 3号, 2号, 4号, 4号
TABLE_PT = 10.5  # 五号: a table of people reads in full at this size
FIRST_ROWS = 1  # table rows kept on the page of the caption and header
BLOCK_TOP = A4[1] - TOP
BLOCK_BOTTOM = BLOCK_TOP - BLOCK_H
SIGNATURE_GAP = 2  # blank lines between the body and the signature (the seal's room); 1 tight
HEADING = re.compile(r"^[一二三四五六七八九十]+、[^。；]*$")  # a first-level heading line


def render_notice(notice: Notice, out: Output, layout: list[tuple[int, str]] | None = None) -> int:
    """Write the notice; returns the number of pages.

    `layout`, when given, receives (page, part) for every piece laid out: title, body,
    heading, caption, table, signature, banji (what the tests check pages by)."""
    margins = (TOP, A4[0] - LEFT - BLOCK_W, A4[1] - TOP - BLOCK_H, LEFT)
    document = _NoticeDocument(out, layout, pagesize=A4, title=notice.title, creator="村治通",
                               topMargin=margins[0], rightMargin=margins[1],
                               bottomMargin=margins[2], leftMargin=margins[3])
    frame = Frame(LEFT, BLOCK_BOTTOM, BLOCK_W, BLOCK_H, 0, 0, 0, 0, id="block")
    first = PageTemplate("first", [frame], onPage=lambda c, d: _first_page(c, d, notice))
    later = PageTemplate("later", [frame], onPage=_page_number)
    document.addPageTemplates([first, later])
    document.build(notice_flowables(notice))
    return document.page


class _NoticeDocument(BaseDocTemplate):
    def __init__(self, out, layout, **options):
        target = str(out) if not hasattr(out, "write") else out
        # A Chinese initial font: otherwise reportlab lists an unembedded Helvetica.
        super().__init__(target, initialFontName=primary_font("fang"), **options)
        self._layout = layout

    def afterFlowable(self, flowable):
        if self._layout is None:
            return
        part = "table" if isinstance(flowable, Table) else getattr(flowable, "part", "")
        if part:
            self._layout.append((self.page, part))


def notice_flowables(notice: Notice) -> list:
    """The story below the red header, which the first page template draws."""
    names = tuple(notice.names)

    def body(text, part="body", **kw):  # type: ignore[no-untyped-def]
        heading = HEADING.match(clean(text)) is not None
        flowable = GridText(mask_phones_in(text), BODY_PT, CELL, PITCH, atoms=names,
                            role="hei" if heading else "fang", **kw)
        flowable.part = "heading" if heading else part
        flowable.keepWithNext = heading
        return flowable

    story: list = [NextPageTemplate("later"), Spacer(1, _header_lines(notice) * PITCH)]
    title = GridText(notice.title, TITLE_PT, TITLE_PT, PITCH, role="title", indent=0,
                     align="centre", lines=_title_lines(notice.title))
    title.part = "title"
    story += [title, Spacer(1, PITCH), body(notice.recipients, indent=0, align="left")]
    story += [body(text) for text in notice.paragraphs]
    if notice.table is not None:
        story += _table_flowables(notice.table, names)
    story += [body(text) for text in notice.closing]
    if notice.attachments:
        story += [Spacer(1, PITCH), body("附件：" + "；".join(notice.attachments), align="left")]
    # The signature keeps the body's last piece with it: a table's caption and rows, or a
    # paragraph (a heading before it comes along through keepWithNext).
    last = story.pop()
    kept = [last] if not isinstance(last, _TableStart) else last.content
    least = last.least if isinstance(last, _TableStart) else 0.0
    story.append(KeepTail(kept, _signature(notice, body), SIGNATURE_GAP * PITCH, PITCH,
                          _Banji(notice), least))
    return story


def _title_lines(title: str) -> list[str]:
    def width(text: str) -> float:
        return text_width(text, TITLE_PT, "title")

    return balanced_lines(clean(title), BLOCK_W - 2 * TITLE_PT, width)


def _signature(notice: Notice, body) -> list:
    """署名 centred over the date; the date ends four characters from the right (7.3.5.1)."""
    date_text = chinese_date(notice.date)
    offset = max(4 + (_cells(date_text) - _cells(notice.issuer)) / 2, 0)
    return [
        body(notice.issuer, part="signature", indent=0, align="right", right_cells=offset),
        body(date_text, part="signature", indent=0, align="right", right_cells=4),
    ]


def _cells(text: str) -> float:
    """Width in grid cells: Chinese characters take one, digits and Latin letters half."""
    return sum(1 if ord(char) > 0xFF else 0.5 for char in text)


def _table_flowables(table: NoticeTable, names: tuple[str, ...]) -> list:
    headers = [clean(mask_phones_in(h)) for h in table.headers]
    rows = [[clean(mask_phones_in(str(value))) for value in row] for row in table.rows]
    widths = column_widths(headers, rows, BLOCK_W, table.shares or None, TABLE_PT, names)
    grid = ruled_table(headers, rows, widths, TABLE_PT, atoms=names)
    caption = []
    if table.caption:
        caption_text = GridText(table.caption, BODY_PT, CELL, PITCH, role="hei", indent=0,
                                align="centre")
        caption_text.part = "caption"
        caption = [caption_text]
    # Only the caption, the header and the first rows stay together: a long table starts right
    # after the text and runs on over the page with its header repeated, instead of leaving
    # page 1 nearly empty.
    start = [*caption, ruled_table(headers, rows[:FIRST_ROWS], widths, TABLE_PT, atoms=names)]
    least = sum(f.wrap(BLOCK_W, BLOCK_H)[1] for f in start) + PITCH / 2
    return [_TableStart([Spacer(1, PITCH / 2), *caption, grid], least)]


class _TableStart(KeepTogether):
    """Turns the page first only when less than `least` is left; otherwise the content flows
    (and the table splits) right here."""

    def __init__(self, content: list, least: float) -> None:
        super().__init__(content)
        self.content, self.least = content, least

    def split(self, available_width, available_height):
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return list(self.content)
        if available_height < self.least:
            return [self.FrameBreak(), *self.content]
        return list(self.content)


class _Banji(Flowable):
    """版记: 印发机关 left, 印发日期 right on one line between a thick rule above and a thick
    rule on the block's bottom edge (7.4); it takes the rest of the page to sit at the bottom."""

    part = "banji"
    HEIGHT = PITCH

    def __init__(self, notice: Notice) -> None:
        super().__init__()
        self.organ = notice.printed_by or notice.issuer
        self.date = chinese_date(notice.printed_on or notice.date)

    def wrap(self, available_width, available_height):
        """The rest of the page (drawn at its bottom), at least its own line."""
        self.width = available_width
        self.height = max(available_height, self.HEIGHT)
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.35 * mm)
        canvas.line(0, 0, self.width, 0)
        canvas.line(0, self.HEIGHT, self.width, self.HEIGHT)
        canvas.setFillColor(INK)
        baseline = self.HEIGHT / 2 - 0.36 * BANJI_PT
        draw_text(canvas, BANJI_PT, baseline, self.organ, BANJI_PT, "fang",
                  max_width=self.width * 0.6)
        draw_text(canvas, self.width - BANJI_PT, baseline, f"{self.date}印发", BANJI_PT, "fang",
                  "right")
        canvas.restoreState()


def _mark_size(notice: Notice) -> float:
    return fit_size(notice.issuer_mark, BLOCK_W * 0.9, 40, "title")


def _number_baseline(notice: Notice) -> float:
    mark_bottom = BLOCK_TOP - 35 * mm - _mark_size(notice)  # 7.2.3: 35 mm below the block top
    return mark_bottom - 2 * PITCH + 0.15 * BODY_PT  # 7.2.4: two lines under the mark


def _rule_y(notice: Notice) -> float:
    if notice.doc_number:
        return _number_baseline(notice) - 4 * mm - 0.15 * BODY_PT  # 7.2.5: 4 mm below
    return BLOCK_TOP - 35 * mm - _mark_size(notice) - 6 * mm  # no number: the line left out


def _header_lines(notice: Notice) -> int:
    """Whole grid lines the header takes, plus two blank ones above the title."""
    return math.ceil((BLOCK_TOP - _rule_y(notice)) / PITCH) + 1


def _first_page(canvas, document, notice: Notice) -> None:
    size = _mark_size(notice)
    mark_top = BLOCK_TOP - 35 * mm
    canvas.saveState()
    canvas.setFillColor(RED)
    draw_text(canvas, LEFT + BLOCK_W / 2, mark_top - 0.86 * size, notice.issuer_mark, size,
              "title", "centre")
    canvas.setFillColor(INK)
    if notice.doc_number:
        draw_text(canvas, LEFT + BLOCK_W / 2, _number_baseline(notice), clean(notice.doc_number),
                  BODY_PT, "fang", "centre")
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
        draw_text(canvas, LEFT + BLOCK_W - PAGE_NUMBER_PT, baseline, label, PAGE_NUMBER_PT,
                  "song", "right")
    else:
        draw_text(canvas, LEFT + PAGE_NUMBER_PT, baseline, label, PAGE_NUMBER_PT, "song")
    canvas.restoreState()
