"""The 三个一 import template: a village's alley heads of a month, one row each, a column per day
(√ for a patrol) and per week (the summary), with what is already recorded filled in."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from models.worklog.calendar import bit
from models.worklog.importing import MONTH_HEADER, PLACE_HEADERS, SHEET_NAME, WEEKS, LogTemplate
from reports.org.roster_xlsx import atomic_target

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F4")
NOTES = (
    "填写说明",
    "1. 每行是一位胡同长一个月的登记。行政村、自然村、片区、胡同、胡同长、月份请勿改动。",
    "2. 胡同长巡查了哪天，就在那天（1日…31日）的格子里填“√”（也可填“是”或“1”）；没有巡查的留空。",
    "3. “第n周汇总”填写这一周的汇总情况（简写即可）；只知道已汇总、没有内容的，填“√”。",
    "4. 导入只会增加登记，不会取消系统中已有的巡查；已有的汇总内容以文件为准。",
    "5. 导入是“全部或全不”：只要有一行有问题，整份文件都不导入，并列出每个问题所在的行、列和原因。",
    "6. 请勿合并单元格；空行会被跳过。",
)


def write_template(path: Path, template: LogTemplate) -> int:
    """Write the template; returns the number of heads in it."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    headers = [*PLACE_HEADERS, MONTH_HEADER, *(f"{d}日" for d in range(1, 32)),
               *(f"第{n}周汇总" for n in range(1, WEEKS + 1))]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    month = template.month
    for head in template.heads:
        days = ["√" if head.log.patrols & bit(d) else "" for d in range(1, month.days + 1)]
        days += [""] * (31 - month.days)
        summaries = template.summaries.get(head.head_id, {})
        sheet.append([head.village, head.natural_village, head.zone, head.alley, head.name,
                      month.text, *days, *(summaries.get(n, "") for n in range(1, WEEKS + 1))])
    for index, header in enumerate(headers, start=1):
        width = 12 if header in PLACE_HEADERS or header == MONTH_HEADER else \
            24 if "周" in header else 4.5
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "G2"
    ticks = DataValidation(type="list", formula1='"√"', allow_blank=True)
    ticks.error, ticks.errorTitle = "巡查一栏只能填“√”或留空。", "填写有误"
    sheet.add_data_validation(ticks)
    ticks.add(f"G2:{get_column_letter(6 + 31)}{max(len(template.heads) + 1, 2)}")
    notes = book.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 110
    for line in (*NOTES, "", f"本模板：{template.village} {month.label}，共 {len(template.heads)} 位胡同长。",
                 *(f"第{n}周：{label}" for n, label in enumerate(template.weeks, 1))):
        notes.append([line])
    notes["A1"].font = HEADER_FONT
    with atomic_target(Path(path)) as temporary:
        book.save(temporary)
    return len(template.heads)
