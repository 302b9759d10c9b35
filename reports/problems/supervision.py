"""督办单: the street office's order on a problem the responsible party refuses to fix — the
problem, the refusal, what must be done by when, and a part for the village's answer."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from models.printing.documents import SupervisionSlip
from reports.core.drawing import Output
from reports.core.styles import new_document, para
from reports.problems.common import BLANK, GAP, day, form_grid, photo

MARGINS = (20 * mm, 20 * mm, 18 * mm, 20 * mm)
TEXT_W = A4[0] - MARGINS[1] - MARGINS[3]


def render_supervision_slip(slip: SupervisionSlip, out: Output) -> int:
    document = new_document(out, A4, f"督办单 {slip.village}{slip.problem_number}", MARGINS)
    document.build(slip_flowables(slip))
    return document.page


def slip_flowables(slip: SupervisionSlip) -> list:
    requirement = (f"请{slip.village}党支部会同包村干部，于{day(slip.due)}前督促责任人整改到位，"
                   "并将整改情况和整改后照片报街道巡查办复核。逾期仍不整改的，按有关规定严肃处理，"
                   "并扣减所属片区长、胡同长积分。")
    rows = [
        ("被督办村", slip.village, "督办单号", slip.number),
        ("问题编号", slip.problem_number, "发现时间", day(slip.found_on)),
        ("问题来源", slip.source, "问题类别", slip.category),
        ("问题地点", slip.place),
        ("问题描述", slip.description),
        ("责任人", slip.responsible, "原整改时限", day(slip.deadline)),
        ("拒不整改情况", f"{day(slip.escalated_on)}报街道督办：{slip.refusal}"),
        ("督办要求", requirement),
        ("督办时限", day(slip.due), "签发", f"{slip.issuer}　{day(slip.date)}"),
    ]
    story = [para("人居环境整治问题督办单", "title", 22, "centre", leading=1.4), Spacer(1, GAP),
             form_grid(rows, TEXT_W, 0.17)]
    if slip.photo:
        story += [Spacer(1, GAP), photo(slip.photo, TEXT_W * 0.6, 60 * mm),
                  para("现场照片", "song", 10, "centre")]
    answer = [("整改情况", "\n\n\n"), ("村党支部书记", f"签字：{BLANK}　　日期：{BLANK}"),
              ("街道复核意见", f"\n\n复核人：{BLANK}　　日期：{BLANK}")]
    story += [Spacer(1, 2 * GAP), para("整改反馈（由被督办村填写后报回）", "hei", 13), Spacer(1, GAP / 2),
              form_grid(answer, TEXT_W, 0.17)]
    return story
