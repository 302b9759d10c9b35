"""问题整改台账 as a spreadsheet, the same rows and columns as the printed one (openpyxl)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from models.printing.documents import PROBLEM_LEDGER_HEADERS, ProblemLedger

_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WIDTHS = (6, 12, 26, 40, 14, 16, 12, 40, 10, 12)
HEADER_ROW = 3


def write_problem_ledger(ledger: ProblemLedger, path: Path) -> Path:
    """Title, what was chosen, the framed header and one row per problem; the summary below."""
    book = Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    columns = len(PROBLEM_LEDGER_HEADERS)
    for row, text, font in ((1, ledger.title, Font(size=14, bold=True)),
                            (2, f"{ledger.scope}　制表日期：{ledger.made_on:%Y-%m-%d}", Font(size=10))):
        sheet.cell(row=row, column=1, value=text).font = font
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    for col, header in enumerate(PROBLEM_LEDGER_HEADERS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=header)
        cell.font, cell.border = Font(bold=True), _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, line in enumerate(ledger.rows, start=HEADER_ROW + 1):
        values = (int(line.number), line.found_on, line.place, line.description, line.source,
                  line.responsible, line.deadline, line.progress, line.verifier, line.closed_on)
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border, cell.alignment = _BOX, wrap
    sheet.cell(row=HEADER_ROW + len(ledger.rows) + 2, column=1, value=ledger.summary)
    for c, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
