"""The audit trail as an .xlsx workbook for the township office or the discipline committee."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from models.accounts.audit_log import AuditRow

HEADERS = ("时间", "账号", "角色", "操作", "对象", "编号", "修改前", "修改后")
WIDTHS = (20, 12, 14, 16, 16, 8, 50, 50)


def export(rows: Sequence[AuditRow], path: Path, title: str = "村治通操作记录") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "操作记录"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F4")
    for row in rows:
        sheet.append([row.local_time, row.user_name, row.role_label, row.action, row.entity,
                      row.entity_id, row.before_text, row.after_text])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(2, index).column_letter].width = width
    for cells in sheet.iter_rows(min_row=3):
        for cell in cells[6:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
