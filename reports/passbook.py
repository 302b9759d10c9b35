"""积分存折 print-out: a head's year of entries with running score and spendable balance."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from models.printing.documents import AWARD, DEDUCTION, REDEMPTION, PassbookPrint
from reports.core.drawing import Output
from reports.core.page_furniture import page_number_footer
from reports.core.styles import new_document, para
from reports.core.tables import HEADER_FILL, grid_style, ruled_table

MARGINS = (18 * mm, 16 * mm, 18 * mm, 16 * mm)
TEXT_W = A4[0] - MARGINS[1] - MARGINS[3]
HEADERS = ("日期", "摘要", "类别", "积分变动", "积分余额", "可兑换积分", "备注")
WIDTHS_MM = (16, 52, 13, 20, 20, 24, 33)
ALIGN = ("centre", "left", "centre", "right", "right", "right", "left")


def render_passbook(passbook: PassbookPrint, out: Output) -> int:
    """Write the passbook print-out; returns the number of pages."""
    document = new_document(out, A4, f"积分存折 {passbook.head} {passbook.year}", MARGINS)
    document.build(
        passbook_flowables(passbook),
        onFirstPage=page_number_footer,
        onLaterPages=page_number_footer,
    )
    return document.page


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
    return [
        para(f"积分存折（{passbook.year}年度）", "title", 20, "centre", leading=1.4),
        Spacer(1, 3 * mm),
        _holder_table(passbook),
        Spacer(1, 4 * mm),
        ruled_table(HEADERS, rows, widths, 10, ALIGN),
        Spacer(1, 4 * mm),
        _totals_table(passbook),
    ]


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
    widths = [w * TEXT_W for w in (0.12, 0.22, 0.1, 0.2, 0.14, 0.22)]
    table = Table(cells, colWidths=widths)
    table.setStyle(
        grid_style(
            ("SPAN", (1, 1), (3, 1)),
            ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
            ("BACKGROUND", (2, 0), (2, 0), HEADER_FILL),
            ("BACKGROUND", (4, 0), (4, -1), HEADER_FILL),
        )
    )
    return table


def _totals_table(passbook: PassbookPrint) -> Table:
    def total(kind):
        return sum(abs(e.points) for e in passbook.entries if e.kind == kind)

    last = passbook.entries[-1] if passbook.entries else None
    score = last.score if last else passbook.opening
    spendable = last.spendable if last else 0
    headers = ("年初积分", "加分合计", "扣分合计", "已兑换", "年度积分", "可兑换积分")
    values = (
        passbook.opening,
        f"+{total(AWARD)}",
        f"−{total(DEDUCTION)}",
        total(REDEMPTION),
        score,
        spendable,
    )
    return ruled_table(headers, [tuple(str(v) for v in values)], [TEXT_W / 6] * 6, 11)
