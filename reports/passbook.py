"""积分存折 print-out: a head's year of entries with running score and spendable balance.

Two figures are told apart by name everywhere: 年度积分 (the year's score: ranking and the 约谈
warning; spending does not lower it) and 可兑换积分 (what may still be spent on goods). Every
page after the first repeats whose passbook it is; the first says the day the figures stand at.
"""

import io
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, Spacer, Table

from models.core import clock
from models.printing.documents import AWARD, DEDUCTION, REDEMPTION, PassbookPrint, chinese_date
from reports.core.drawing import GREY, Output
from reports.core.fonts import draw_text
from reports.core.page_furniture import page_number_footer
from reports.core.styles import new_document, para
from reports.core.tables import HEADER_FILL, grid_style, ruled_table

MARGINS = (20 * mm, 16 * mm, 18 * mm, 16 * mm)
TEXT_W = A4[0] - MARGINS[1] - MARGINS[3]
HEADERS = ("日期", "摘要", "类别", "积分变动", "年度积分", "可兑换积分", "备注")
WIDTHS_MM = (16, 52, 13, 20, 20, 24, 33)
ALIGN = ("centre", "left", "centre", "right", "right", "right", "left")
EXPLANATION = ("年度积分：年初积分加上加分、减去扣分，用于排名和约谈预警，兑换物品不减少年度积分。"
               "可兑换积分＝年度积分－年初积分－已兑换积分，年初积分不可兑换。")
PHOTO_W, PHOTO_H = 20 * mm, 28 * mm


def render_passbook(passbook: PassbookPrint, out: Output) -> int:
    """Write the passbook print-out; returns the number of pages."""
    document = new_document(out, A4, f"积分存折 {passbook.head} {passbook.year}", MARGINS)

    def later_page(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        _continuation_header(canvas, passbook)
        page_number_footer(canvas, doc)

    document.build(passbook_flowables(passbook), onFirstPage=page_number_footer,
                   onLaterPages=later_page)
    return document.page


def _continuation_header(canvas, passbook: PassbookPrint) -> None:
    """Whose passbook a loose later page belongs to."""
    canvas.saveState()
    canvas.setFillColor(GREY)
    text = (f"积分存折（{passbook.year}年度，续）　{passbook.head}　{passbook.role}　"
            f"{passbook.village}{passbook.area}")
    draw_text(canvas, MARGINS[3], A4[1] - 12 * mm, text, 9, "hei", max_width=TEXT_W)
    canvas.restoreState()


def passbook_flowables(passbook: PassbookPrint) -> list:
    scale = TEXT_W / (sum(WIDTHS_MM) * mm)
    widths = [w * mm * scale for w in WIDTHS_MM]
    # The year stands in the title, so dates print as month-day and never wrap.
    opening = (
        "01-01",
        "年初积分",
        "",
        f"{passbook.opening}",
        f"{passbook.opening}",
        "0",
        "年初积分不可兑换",
    )
    rows = [opening] + [
        (
            e.date.strftime("%m-%d"),
            e.text,
            e.kind,
            _signed(e.points),
            str(e.score),
            str(e.spendable),
            e.note,
        )
        for e in passbook.entries
    ]
    as_of = passbook.as_of or min(clock.today(), date(passbook.year, 12, 31))
    return [
        para(f"积分存折（{passbook.year}年度）", "title", 20, "centre", leading=1.4),
        para(f"截至{chinese_date(as_of)}", "song", 11, "centre", leading=1.6),
        Spacer(1, 2 * mm),
        _holder_table(passbook),
        Spacer(1, 4 * mm),
        ruled_table(HEADERS, rows, widths, 10, ALIGN, atoms=(passbook.head,)),
        Spacer(1, 4 * mm),
        _totals_table(passbook),
        Spacer(1, 2 * mm),
        para(EXPLANATION, "song", 9, leading=1.5),
        *_verification(passbook.verification),
    ]


def _verification(code: str) -> list:
    """The last entry's verification code: kept with the paper, it shows later whether the
    passbook's entries up to this one were changed (main.py check --code)."""
    if not code:
        return []
    return [Spacer(1, 3 * mm),
            para(f"校验码：{code}（凭此码可核对本存折所列记录此后是否被改动）", "song", 9)]


def _signed(points: int) -> str:
    return f"+{points}" if points > 0 else f"−{-points}" if points < 0 else "0"


def _holder_table(passbook: PassbookPrint) -> Table:
    cells = [
        [
            para("姓名", "hei", 11),
            para(passbook.head, "song", 11),
            para("职务", "hei", 11),
            para(passbook.role, "song", 11),
            para("所属村", "hei", 11),
            para(passbook.village, "song", 11),
        ],
        [
            para("负责区域", "hei", 11),
            para(passbook.area, "song", 11),
            "",
            "",
            para("年初积分", "hei", 11),
            para(str(passbook.opening), "song", 11),
        ],
    ]
    room = TEXT_W - (PHOTO_W + 3 * mm if passbook.photo else 0)
    widths = [w * room for w in (0.12, 0.22, 0.1, 0.2, 0.14, 0.22)]
    table = Table(cells, colWidths=widths)
    table.setStyle(
        grid_style(
            ("SPAN", (1, 1), (3, 1)),
            ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
            ("BACKGROUND", (2, 0), (2, 0), HEADER_FILL),
            ("BACKGROUND", (4, 0), (4, -1), HEADER_FILL),
        )
    )
    if not passbook.photo:
        return table
    photo = Image(io.BytesIO(passbook.photo), PHOTO_W, PHOTO_H, kind="proportional")
    return Table([[table, photo]], colWidths=[room + 3 * mm, PHOTO_W],
                 style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)])


def _totals_table(passbook: PassbookPrint) -> Table:
    def total(kind):
        return sum(abs(e.points) for e in passbook.entries if e.kind == kind)

    last = passbook.entries[-1] if passbook.entries else None
    score = last.score if last else passbook.opening
    spendable = last.spendable if last else 0
    headers = ("年初积分", "加分合计", "扣分合计", "已兑换积分", "年度积分", "可兑换积分")
    values = (
        passbook.opening,
        f"+{total(AWARD)}",
        f"−{total(DEDUCTION)}",
        total(REDEMPTION),
        score,
        spendable,
    )
    return ruled_table(headers, [tuple(str(v) for v in values)], [TEXT_W / 6] * 6, 11)
