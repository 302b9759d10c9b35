"""整改通知书: to the household or head who answers for a problem — what was found where, the
photo, the deadline, who follows it up, and a receipt line to sign."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from models.printing.documents import ProblemNotice
from reports.core.drawing import Output
from reports.core.styles import new_document, para
from reports.problems.common import BLANK, GAP, day, form_grid, photo

MARGINS = (20 * mm, 22 * mm, 16 * mm, 22 * mm)
TEXT_W = A4[0] - MARGINS[1] - MARGINS[3]


def render_problem_notice(notice: ProblemNotice, out: Output) -> int:
    document = new_document(out, A4, f"整改通知书 {notice.village}{notice.number}", MARGINS)
    document.build(notice_flowables(notice))
    return document.page


def notice_flowables(notice: ProblemNotice) -> list:
    follow = f"，整改后请告知{notice.follow_up}，由村里复核" if notice.follow_up else "，整改后由村里复核"
    body = (f"{day(notice.found_on)}，经{notice.source}发现，{notice.place}存在“{notice.category}”"
            f"问题：{notice.description}。按照“门前三包”（包环境卫生、包设施管理、包秩序维护）"
            f"责任和本村人居环境整治要求，请于{day(notice.deadline)}前整改到位{follow}。"
            "逾期不整改或拒不整改的，将报街道督办，并按积分细则扣减所属片区长、胡同长的积分。")
    story = [
        para("问题整改通知书", "title", 22, "centre", leading=1.4),
        para(f"{notice.village}　整改编号：{notice.number}", "fang", 12, "right"),
        Spacer(1, GAP),
        para(f"{notice.recipient}：", "fang", 15),
        para(body, "fang", 14, "justify", leading=1.55, indent_chars=2),
        Spacer(1, GAP),
    ]
    if notice.photo:
        story += [photo(notice.photo, TEXT_W * 0.8, 62 * mm),
                  para("现场照片（发现时拍摄）", "song", 10, "centre"), Spacer(1, GAP)]
    rows = [("问题编号", notice.number, "发现时间", day(notice.found_on)),
            ("问题地点", notice.place), ("问题类别", notice.category, "整改时限", day(notice.deadline))]
    if notice.pledge:
        rows.append(("门前三包", notice.pledge))
    story += [form_grid(rows, TEXT_W), Spacer(1, GAP)]
    story.append(KeepTogether([
        para(notice.issuer, "fang", 14, "right"),
        para(day(notice.date), "fang", 14, "right"),
        Spacer(1, GAP),
        para("- - - - - - - - - - - - - - - - 签收回执 - - - - - - - - - - - - - - - -", "song", 10,
             "centre"),
        Spacer(1, GAP),
        para(f"整改编号：{notice.number}　　责任人签字：{BLANK}　　签收日期：{BLANK}", "fang", 12),
    ]))
    return story
