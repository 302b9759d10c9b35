"""门前三包责任书: one filled-in A4 page per household, four signature and fingerprint boxes."""

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, PageBreak, Spacer, Table

from reports import texts
from reports.documents import PledgeForm
from reports.drawing import Output
from reports.styles import new_document, para
from reports.tables import grid_style

MARGINS = (20 * mm, 22 * mm, 18 * mm, 22 * mm)
TEXT_W = A4[0] - MARGINS[1] - MARGINS[3]
FRAME_H = A4[1] - MARGINS[0] - MARGINS[2] - 12  # the frame's own padding
NUMERALS = "一二三"


def render_pledges(forms: Sequence[PledgeForm], out: Output) -> int:
    """One page per household, in the given order; returns the number of pages."""
    story = []
    for index, form in enumerate(forms):
        if index:
            story.append(PageBreak())
        # Shrinks a form with unusually long names rather than spilling onto a second page.
        story.append(KeepInFrame(TEXT_W, FRAME_H, pledge_flowables(form), mode="shrink"))
    document = new_document(out, A4, "门前三包责任书", MARGINS)
    document.build(story)
    return document.page


def pledge_flowables(form: PledgeForm) -> list:
    story = [
        para(f"编号：{form.number}" if form.number else "", "hei", 9, "right"),
        para(texts.PLEDGE_TITLE, "title", 22, "centre", leading=1.3, space_after=5 * mm),
        _household_table(form),
        Spacer(1, 5 * mm),
        para(texts.PLEDGE_INTRO, "song", 12, "justify", leading=1.7, indent_chars=2),
    ]
    for numeral, (name, duty) in zip(NUMERALS, texts.THREE_GUARANTEES):
        story.append(
            para(f"{numeral}、{name}：{duty}", "song", 12, "justify", leading=1.7, indent_chars=2)
        )
    story += [
        para(texts.PLEDGE_CLOSING, "song", 12, "justify", leading=1.7, indent_chars=2),
        para(
            f"本责任书自签订之日起生效，有效期至{form.year}年12月31日。",
            "song",
            12,
            leading=1.7,
            indent_chars=2,
            space_after=4 * mm,
        ),
        _signature_table(form),
    ]
    return story


def _household_table(form: PledgeForm) -> Table:
    cell = lambda text: para(text, "song", 11, leading=1.3)
    label = lambda text: para(text, "hei", 11, "centre", leading=1.3)
    rows = [
        [label("户　　主"), cell(form.householder), label("所属村"), cell(form.village)],
        [label("片　　区"), cell(form.zone), label("胡　同"), cell(form.alley)],
        [label("门牌地址"), cell(form.address), "", ""],
    ]
    widths = [24 * mm, (TEXT_W - 48 * mm) / 2, 24 * mm, (TEXT_W - 48 * mm) / 2]
    table = Table(rows, colWidths=widths, rowHeights=None)
    table.setStyle(
        grid_style(
            ("SPAN", (1, 2), (3, 2)),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        )
    )
    return table


def _signature_table(form: PledgeForm) -> Table:
    names = (form.party_secretary, form.zone_head, form.alley_head, form.householder)
    header = [para(h, "hei", 11, "centre") for h in texts.SIGN_HEADERS]
    rows = [header] + [
        [
            para(role, "hei", 11, "centre"),
            para(name, "song", 11, "centre"),
            "",
            "",
            para(texts.DATE_BLANK, "song", 10, "centre"),
        ]
        for role, name in zip(texts.SIGNATORIES, names)
    ]
    widths = [28 * mm, 30 * mm, TEXT_W - 28 * mm - 30 * mm - 24 * mm - 36 * mm, 24 * mm, 36 * mm]
    table = Table(rows, colWidths=widths, rowHeights=[9 * mm] + [22 * mm] * 4)
    table.setStyle(grid_style())
    return table
