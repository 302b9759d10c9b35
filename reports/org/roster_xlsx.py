"""Roster spreadsheets: the import template, exported rosters and the import problem report.
Every file is written to a temporary name beside the target and renamed when complete, so a
cancelled or failed export leaves nothing half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from models.org.roster_sheet import COLUMNS, HEADERS, MAX_ROWS, SHEET_NAME, TEXT_FIELDS, Problem

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F4")
WIDTHS = {"township": 12, "village": 12, "natural": 12, "zone": 10, "alley": 12, "household": 9,
          "address": 22, "name": 10, "relation": 10, "phone": 14, "id_number": 21, "roles": 14,
          "chosen_on": 12, "chosen_method": 18, "vest_on": 14, "work_id_on": 14,
          "work_id_number": 12}
DATE_FIELDS = ("chosen_on", "vest_on", "work_id_on")
NOTES = (
    "填写说明",
    "1. 每行填写一位居民。同一户的成员填写相同的“户号”（任意编号，文件内不重复即可）。",
    "2. 每户必须有且只有一行“与户主关系”为“户主”；户主的电话、身份证号、门牌地址即为该户的信息。",
    ("3. 镇（街道）、行政村、自然村、片区、胡同须与系统中的名称一致，可从下拉列表选择；"
     "向空数据库导入时，系统按这五列自动建立各级单位。"),
    ("4. 联系电话、身份证号请保持“文本”格式（模板已设好）。Excel 把身份证号变成数字后，"
     "后三位会变成0，无法恢复，这样的行会被拒绝。"),
    "5. 身份证号可不填；填写时校验出生日期和校验位。全角数字、多余空格会自动纠正。",
    ("6. “职务”填“片区长”或“胡同长”（两者兼任用“、”隔开），表示此人担任本行所在片区或胡同的负责人，"
     "此时须填写推选日期；推选方式、推荐人、红马甲和工作证发放日期可选填。"),
    "7. 每个胡同最多 10 户、每个片区最多 50 户（以系统设置为准），超过上限的文件不会导入。",
    "8. 导入是“全部或全不”：只要有一行有问题，整份文件都不导入，并列出每个问题所在的行、列和原因。",
    f"9. 请勿合并单元格；空行会被跳过。一次最多导入 {MAX_ROWS} 行。",
)
RELATIONS = ("户主", "配偶", "儿子", "女儿", "父亲", "母亲", "儿媳", "女婿", "孙子", "孙女", "其他")


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed onto it only when the block completes."""
    path = Path(path)
    handle, temp = tempfile.mkstemp(prefix=".~", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        yield Path(temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _header_cells(sheet, headers: Sequence[str]) -> list[WriteOnlyCell]:  # type: ignore[no-untyped-def]
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    return cells


def write_roster(path: Path, rows: Sequence[Sequence], report: Callable[[int, int, str], None]
                 | None = None) -> int:
    """An exported roster in the import template's layout; returns the number of rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_NAME)
    for index, (_, field) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(field, 10)
    sheet.freeze_panes = "A2"
    # Written into <dimension>: without it openpyxl's read-only mode parses the whole sheet
    # once just to learn its size, doubling the time to import our own export.
    last = f"{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    sheet.calculate_dimension = lambda: f"A1:{last}"
    sheet.append(_header_cells(sheet, HEADERS))
    date_columns = {i for i, (_, f) in enumerate(COLUMNS) if f in DATE_FIELDS}
    try:
        _append_rows(sheet, rows, date_columns, report)
    except BaseException:
        sheet.close()  # ends openpyxl's row writer; the temporary file goes with it
        raise
    with atomic_target(path) as temp:
        book.save(temp)
    return len(rows)


def _append_rows(sheet, rows: Sequence[Sequence], date_columns: set[int],  # type: ignore[no-untyped-def]
                 report: Callable[[int, int, str], None] | None) -> None:
    for done, row in enumerate(rows, start=1):
        values = list(row)
        for i in date_columns:
            if values[i] is not None:
                cell = WriteOnlyCell(sheet, value=values[i])
                cell.number_format = "yyyy-mm-dd"
                values[i] = cell
        sheet.append(values)
        if report is not None and done % 1000 == 0:
            report(done, len(rows), f"正在写入第 {done} 行…")


def write_template(path: Path, choices: dict[str, list[str]]) -> None:
    """The import template: headers with text columns preset, drop-down lists for the places,
    relation, party membership and role, and a notes sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    sheet.append(HEADERS)
    for index, (_, field) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(field, 10)
        sheet.cell(1, index).font, sheet.cell(1, index).fill = HEADER_FONT, HEADER_FILL
        if field in TEXT_FIELDS:
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, 1002):
                sheet.cell(row, index).number_format = "@"
    sheet.freeze_panes = "A2"
    lists = book.create_sheet("选项")
    lists.sheet_state = "hidden"
    options = {**choices, "relation": list(RELATIONS), "party": ["是", "否"],
               "roles": ["片区长", "胡同长", "片区长、胡同长"]}
    for col, (field, values) in enumerate(options.items(), start=1):
        lists.cell(1, col, FIELD_FOR_HEADER.get(field, field))
        for row, value in enumerate(values, start=2):
            lists.cell(row, col, value)
        if not values:
            continue
        letter = get_column_letter(col)
        check = DataValidation(type="list", formula1=f"=选项!${letter}$2:${letter}${len(values) + 1}",
                               allow_blank=True, showErrorMessage=field in ("relation", "party", "roles"))
        check.error, check.errorTitle = "请从下拉列表中选择。", "输入有误"
        target = get_column_letter([f for _, f in COLUMNS].index(field) + 1)
        check.add(f"{target}2:{target}5000")
        sheet.add_data_validation(check)
    notes = book.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 110
    for row, line in enumerate(NOTES, start=1):
        cell = notes.cell(row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)
    with atomic_target(path) as temp:
        book.save(temp)


FIELD_FOR_HEADER = {field: header for header, field in COLUMNS}


def write_problems(path: Path, problems: Sequence[Problem]) -> None:
    """The import problem report: row, column and reason, as the user saw it on screen."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("导入问题")
    for letter, width in zip("ABC", (8, 16, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(_header_cells(sheet, ("行号", "列", "原因")))
    for problem in problems:
        sheet.append([problem.row, problem.column, problem.reason])
    with atomic_target(path) as temp:
        book.save(temp)
