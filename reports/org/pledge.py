"""门前三包责任书: one filled-in A4 page per household, four signature and fingerprint boxes."""

from collections.abc import Callable, Sequence
from functools import cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, PageBreak, Spacer, Table

from models.printing.documents import PledgeForm
from reports.core.drawing import Output
from reports.core.fonts import primary_font
from reports.core.styles import WrapOnce, new_document, para
from reports.core.tables import grid_style
from reports.org import texts

MARGINS = (20 * mm, 22 * mm, 18 * mm, 22 * mm)
TEXT_W = A4[0] - MARGINS[1] - MARGINS[3]
FRAME_H = A4[1] - MARGINS[0] - MARGINS[2] - 12  # the frame's own padding
NUMERALS = "一二三"


def render_pledges(
    forms: Sequence[PledgeForm], out: Output, progress: Callable[[int, int], None] | None = None
) -> int:
    """One page per household, in the given order; returns the number of pages.

    progress(pages done, pages in all) is called as each page is laid out (it may raise to stop)."""
    story = []
    for index, form in enumerate(forms):
        if index:
            story.append(PageBreak())
        # Shrinks a form with unusually long names rather than spilling onto a second page.
        story.append(KeepInFrame(TEXT_W, FRAME_H, pledge_flowables(form), mode="shrink"))
    document = new_document(out, A4, "门前三包责任书", MARGINS)
    if progress:
        def report(canvas, doc):
            return progress(doc.page, len(forms))
        document.build(story, onFirstPage=report, onLaterPages=report)
    else:
        document.build(story)
    return document.page


def pledge_flowables(form: PledgeForm) -> list:
    return [
        para(f"编号：{form.number}" if form.number else "", "hei", 9, "right"),
        *_fixed_heading(primary_font("title")),
        _household_table(form),
        Spacer(1, 5 * mm),
        *_fixed_wording(form.year, primary_font("song")),
        _signature_table(form),
    ]


# The wording is the same on every form of a batch: its flowables are shared and broken
# into lines once, which is most of the cost of 3,070 forms. Keyed on the font name too,
# since switching font discovery changes the registered names.
@cache
def _fixed_heading(font: str) -> tuple:
    title = para(texts.PLEDGE_TITLE, "title", 22, "centre", leading=1.3, space_after=5 * mm)
    return (WrapOnce(title),)


@cache
def _fixed_wording(year: int, font: str) -> tuple:
    body = {"leading": 1.7, "indent_chars": 2}
    duties = [
        f"{numeral}、{name}：{duty}"
        for numeral, (name, duty) in zip(NUMERALS, texts.THREE_GUARANTEES, strict=True)
    ]
    paragraphs = [
        para(text, "song", 12, "justify", **body)
        for text in (texts.PLEDGE_INTRO, *duties, texts.PLEDGE_CLOSING)
    ]
    validity = f"本责任书自签订之日起生效，有效期至{year}年12月31日。"
    paragraphs.append(para(validity, "song", 12, space_after=4 * mm, **body))
    return tuple(WrapOnce(p) for p in paragraphs)


def _household_table(form: PledgeForm) -> Table:
    # Fixed labels are plain cell strings: tables re-measure Paragraph cells on every page.
    def cell(text):
        return para(text, "song", 11, leading=1.3)
    rows = [
        ["户　　主", cell(form.householder), "所属村", cell(form.village)],
        ["片　　区", cell(form.zone), "胡　同", cell(form.alley)],
        ["门牌地址", cell(form.address), "", ""],
    ]
    widths = [24 * mm, (TEXT_W - 48 * mm) / 2, 24 * mm, (TEXT_W - 48 * mm) / 2]
    table = Table(rows, colWidths=widths)
    table.setStyle(
        grid_style(
            ("SPAN", (1, 2), (3, 2)),
            *_label_cells((0, 0), (0, -1)),
            *_label_cells((2, 0), (2, 1)),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        )
    )
    return table


def _signature_table(form: PledgeForm) -> Table:
    names = (form.party_secretary, form.zone_head, form.alley_head, form.householder)
    rows = [list(texts.SIGN_HEADERS)] + [
        [role, para(name, "song", 11, "centre", leading=1.2), "", "", texts.DATE_BLANK]
        for role, name in zip(texts.SIGNATORIES, names, strict=True)
    ]
    widths = [28 * mm, 30 * mm, TEXT_W - 28 * mm - 30 * mm - 24 * mm - 36 * mm, 24 * mm, 36 * mm]
    table = Table(rows, colWidths=widths, rowHeights=[9 * mm] + [25 * mm] * 4)
    table.setStyle(
        grid_style(
            *_label_cells((0, 0), (-1, 0)),
            *_label_cells((0, 1), (0, -1)),
            ("FONTSIZE", (4, 1), (4, -1), 10),
            ("ALIGN", (4, 1), (4, -1), "CENTER"),
        )
    )
    return table


def _label_cells(start: tuple[int, int], end: tuple[int, int]) -> tuple:
    """Table-style commands for fixed label cells: 11 pt Hei, centred."""
    return (
        ("FONTNAME", start, end, primary_font("hei")),
        ("FONTSIZE", start, end, 11),
        ("ALIGN", start, end, "CENTER"),
    )
