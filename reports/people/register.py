"""人才库名册: the registers of a village or the township as a landscape table (no ID numbers,
no phones), with the counts and the issuing organ; and the same rows as an xlsx sheet."""

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from models.printing.documents import TalentRegister
from models.store.report_tables import Table
from reports.core.drawing import Output
from reports.core.page_furniture import page_number_footer
from reports.core.styles import new_document, para
from reports.core.tables import ruled_table
from reports.store.store_xlsx import write_table

MARGINS = (15 * mm, 12 * mm, 16 * mm, 12 * mm)
TEXT_W = landscape(A4)[0] - MARGINS[1] - MARGINS[3]
HEADERS = ("序号", "姓名", "性别", "出生年份", "政治面貌", "所在村", "片区·胡同", "现任职务", "名册",
           "入库日期", "入库依据", "状态")
WIDTHS_MM = (10, 17, 9, 14, 19, 17, 36, 16, 17, 21, 66, 14)


def _rows(register: TalentRegister) -> list[tuple]:
    return [(str(n), r.name, r.gender, "" if r.birth_year is None else str(r.birth_year),
             r.political, r.village, r.place, r.role or "—", r.category, f"{r.entered_on}",
             r.evidence, r.status) for n, r in enumerate(register.rows, start=1)]


def render_register(register: TalentRegister, out: Output) -> int:
    scale = TEXT_W / (sum(WIDTHS_MM) * mm)
    widths = [w * mm * scale for w in WIDTHS_MM]
    day = register.date
    story = [
        para(register.title, "title", 20, "centre", leading=1.4),
        para(register.counts, "song", 11, "centre", leading=1.6, space_after=3 * mm),
        ruled_table(HEADERS, _rows(register), widths, 9,
                    align=["centre"] * 10 + ["left", "centre"]),
        Spacer(1, 6 * mm),
        para(register.issuer, "song", 12, "right", leading=1.8),
        para(f"{day.year}年{day.month}月{day.day}日", "song", 12, "right", leading=1.8),
    ]
    document = new_document(out, landscape(A4), register.title, MARGINS)
    document.build(story, onFirstPage=page_number_footer, onLaterPages=page_number_footer)
    return document.page


def write_register_xlsx(register: TalentRegister, path: Path) -> Path:
    return write_table(Table(f"{register.title}（{register.counts}）", HEADERS, _rows(register)),
                       path)
