"""问题整改台账 on A4 landscape: the rows the page lists for a filter, in the columns offices use
(序号, 发现时间, 问题地点, 问题描述, 来源, 责任人, 整改时限, 整改情况, 复核人, 销号时间)."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from models.printing.documents import PROBLEM_LEDGER_HEADERS, ProblemLedger
from reports.core.drawing import Output
from reports.core.page_furniture import page_number_footer
from reports.core.styles import new_document, para
from reports.core.tables import ruled_table
from reports.problems.common import BLANK, GAP, day

PAGE = landscape(A4)
MARGINS = (14 * mm, 12 * mm, 16 * mm, 12 * mm)
TEXT_W = PAGE[0] - MARGINS[1] - MARGINS[3]
WIDTHS_MM = (11, 22, 36, 50, 20, 22, 22, 48, 16, 22)
ALIGN = ("centre", "centre", "left", "left", "centre", "left", "centre", "left", "centre", "centre")


def render_problem_ledger(ledger: ProblemLedger, out: Output) -> int:
    document = new_document(out, PAGE, ledger.title, MARGINS)
    document.build(ledger_flowables(ledger), onFirstPage=page_number_footer,
                   onLaterPages=page_number_footer)
    return document.page


def ledger_flowables(ledger: ProblemLedger) -> list:
    scale = TEXT_W / (sum(WIDTHS_MM) * mm)
    widths = [w * mm * scale for w in WIDTHS_MM]
    rows = [(r.number, r.found_on, r.place, r.description, r.source, r.responsible, r.deadline,
             r.progress, r.verifier, r.closed_on) for r in ledger.rows]
    story = [
        para(ledger.title, "title", 18, "centre", leading=1.4),
        para(f"{ledger.scope}　　制表日期：{day(ledger.made_on)}", "song", 10, "centre"),
        Spacer(1, GAP),
    ]
    if rows:
        story.append(ruled_table(PROBLEM_LEDGER_HEADERS, rows, widths, 9, ALIGN))
    else:
        story.append(para("所选范围内没有问题。", "song", 12, "centre"))
    story += [Spacer(1, GAP), para(ledger.summary, "song", 10),
              Spacer(1, GAP),
              para(f"制表人：{BLANK}　　　审核人：{BLANK}　　　{ledger.issuer}（盖章）", "song", 11,
                   "right")]
    return story
