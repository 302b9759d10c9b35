"""Goods-store reports as .xlsx spreadsheets (openpyxl; no Qt here)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from models.store.report_tables import Table

_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _width(value: object) -> int:
    text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_table(table: Table, path: Path) -> Path:
    """One sheet: the title over the columns, a bold framed header, money as numbers in yuan."""
    book = Workbook()
    sheet = book.active
    sheet.title = "报表"
    columns = len(table.headers)
    sheet.cell(row=1, column=1, value=table.title).font = Font(size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    money = {table.headers.index(name) for name in table.money}
    widths = [_width(h) for h in table.headers]
    for col, header in enumerate(table.headers, start=1):
        cell = sheet.cell(row=2, column=col, value=header)
        cell.font, cell.border = Font(bold=True), _BOX
        cell.alignment = Alignment(horizontal="center")
    for r, row in enumerate(table.rows, start=3):
        for c, raw in enumerate(row):
            value = Decimal(str(raw)) if c in money and raw not in ("", None) else raw
            cell = sheet.cell(row=r, column=c + 1, value=value)
            cell.border = _BOX
            if c in money:
                cell.number_format = "#,##0.00"
            widths[c] = max(widths[c], _width(row[c]))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 50)
    sheet.freeze_panes = "A3"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
