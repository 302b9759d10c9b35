"""The household roster as a spreadsheet: its columns, the checks a file passes before it is
parsed (size, zip bomb, row count, merged cells), and reading rows into checked records.

One row per resident. Rows with the same 户号 (any text, unique within the file) form one
household; its 户主 row gives the householder, the household's phone, ID number and address.
职务 (片区长 / 胡同长, both separated by 、) makes the person head of that row's zone / alley; then
推选日期 is required. Units are named by the five place columns. Nothing here touches the
database: models.org.roster does that."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree

from models.core import clock, text_limits
from models.core.errors import DomainError, ValidationError
from models.core.validation import (
    normalise_text,
    shown,
    validate_id_number,
    validate_name,
    validate_phone,
)
from models.org.directory import Level
from models.org.naming import NAME_LIMITS
from models.org.tables import AdminVillage, Alley, Head, Household, NaturalVillage, Resident, Township, Zone

SHEET_NAME = "农户名单"
COLUMNS = (
    ("镇（街道）", "township"), ("行政村", "village"), ("自然村", "natural"), ("片区", "zone"),
    ("胡同", "alley"), ("户号", "household"), ("门牌地址", "address"), ("姓名", "name"),
    ("与户主关系", "relation"), ("性别", "gender"), ("出生年份", "birth_year"),
    ("联系电话", "phone"), ("身份证号", "id_number"), ("中共党员", "party"), ("职务", "roles"),
    ("推选日期", "chosen_on"), ("推选方式", "chosen_method"), ("推荐人", "proposer"),
    ("红马甲发放日期", "vest_on"), ("工作证发放日期", "work_id_on"), ("工作证编号", "work_id_number"),
)
HEADERS = [h for h, _ in COLUMNS]
FIELD_HEADER = {f: h for h, f in COLUMNS}
REQUIRED = ("township", "village", "natural", "zone", "alley", "household", "name", "relation")
PLACE_FIELDS = ("township", "village", "natural", "zone", "alley")
TEXT_FIELDS = ("household", "phone", "id_number")  # kept as text in the spreadsheet
ROLE_NAMES = ("片区长", "胡同长")
# The table column each stored cell goes into: its length is the cell's limit (names are
# checked by validate_name).
STORED_IN = {"township": Township.name, "village": AdminVillage.name,
             "natural": NaturalVillage.name, "zone": Zone.name, "alley": Alley.name,
             "address": Household.address, "relation": Resident.relation,
             "gender": Resident.gender, "chosen_method": Head.chosen_method,
             "proposer": Head.proposer, "work_id_number": Head.work_id_number}
STORED_IN = {field: attribute.property.columns[0] for field, attribute in STORED_IN.items()}

# Hostile-file limits, checked from the zip directory before any XML is parsed.
MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 150  # a real sheet compresses 5–20 times; a zip bomb thousands of times
MAX_MEMBERS = 500
MAX_ROWS = 200_000  # a whole county is about 150,000 residents


class FileRefused(DomainError):
    """The file is not opened at all: too large, not an xlsx, a zip bomb, too many rows."""


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    reason: str


@dataclass
class PersonRow:
    row: int
    township: str
    village: str
    natural: str
    zone: str
    alley: str
    household: str
    address: str
    name: str
    relation: str
    gender: str
    birth_year: int | None
    phone: str
    id_number: str | None
    party: bool
    roles: tuple[str, ...]
    chosen_on: date | None
    chosen_method: str
    proposer: str
    vest_on: date | None
    work_id_on: date | None
    work_id_number: str

    @property
    def place(self) -> tuple[str, str, str, str, str]:
        return (self.township, self.village, self.natural, self.zone, self.alley)


@dataclass
class HouseholdRows:
    key: str
    people: list[PersonRow] = field(default_factory=list)

    @property
    def householder(self) -> PersonRow:
        return next(p for p in self.people if p.relation == "户主")


@dataclass
class Roster:
    households: list[HouseholdRows]
    problems: list[Problem]
    rows: int
    warnings: list[str] = field(default_factory=list)  # worth a look, not a reason to refuse


# ---- before parsing ------------------------------------------------------------------------
def inspect_file(path: Path, sheet_name: str = SHEET_NAME) -> str:
    """Refuse a hostile or impossible file from its size and zip directory, and count its rows
    by scanning the compressed sheet (no XML parse); returns the roster sheet's member name."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRefused(f"文件太大（{size // 1048576} MB），名单文件最大 {MAX_FILE_BYTES // 1048576} MB。")
    if not zipfile.is_zipfile(path):
        raise FileRefused("这不是 Excel 2007 及以后的 .xlsx 文件。请在 Excel 中“另存为 .xlsx”后再导入。")
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise FileRefused("文件内部结构异常（部件过多），已拒绝打开。")
        total = sum(m.file_size for m in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise FileRefused(f"文件解压后有 {total // 1048576} MB，超过上限 "
                              f"{MAX_UNCOMPRESSED_BYTES // 1048576} MB，已拒绝打开。")
        for m in members:
            if m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                raise FileRefused("文件的压缩比异常（疑似“压缩炸弹”），已拒绝打开。")
        sheet = _roster_member(archive, sheet_name)
        rows = _count_rows(archive, sheet)
        if rows > MAX_ROWS + 10:
            raise FileRefused(f"文件有约 {rows} 行，一次最多导入 {MAX_ROWS} 行。请分村导入。")
    return sheet


def _roster_member(archive: zipfile.ZipFile, sheet_name: str) -> str:
    """The worksheet named 农户名单, else the first worksheet (from workbook.xml)."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        raise FileRefused("文件已损坏或不是 Excel 工作簿。") from None
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    sheets = [(s.get("name"), s.get(rel_ns)) for s in book.findall("m:sheets/m:sheet", ns)]
    if not sheets:
        raise FileRefused("文件中没有工作表。")
    name, rel_id = next((s for s in sheets if s[0] == sheet_name), sheets[0])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    target = targets.get(rel_id, "")
    member = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    if member not in archive.namelist():
        raise FileRefused(f"工作表“{name}”缺失，文件已损坏。")
    return member


def _count_rows(archive: zipfile.ZipFile, member: str) -> int:
    count, tail = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            count += (tail + chunk).count(b"<row ") - tail.count(b"<row ")
            tail = chunk[-8:]
    return count


def merged_ranges(path: Path, member: str) -> list[str]:
    """Merged cell ranges of the sheet (read-only mode cannot see them), e.g. ['A3:A9']."""
    found: list[str] = []
    pattern = re.compile(rb'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"')
    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            found += [m.decode() for m in pattern.findall(block)]
            tail = block[-64:]
            found = list(dict.fromkeys(found))
    return found


# ---- cells ---------------------------------------------------------------------------------
def text_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise_text(str(value))


def phone_cell(value: object, field_name: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and len(str(int(value))) == 11:
            return validate_phone(str(int(value)), field_name)  # a number, but nothing lost
        raise ValidationError(f"{field_name}被存成了数字（{value}），请把该列设为文本后重新填写。")
    text = text_cell(value)
    if re.fullmatch(r"\d(\.\d+)?[eE]\+?\d+", text):
        raise ValidationError(f"{field_name}显示为科学计数法（{text}），号码可能已丢失，"
                              "请把该列设为文本后重新填写。")
    return validate_phone(text, field_name)


def id_cell(value: object, field_name: str) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValidationError(f"{field_name}被Excel存成了数字，后几位已被改成0，"
                              "请把该列设为文本格式后重新填写。")
    text = text_cell(value)
    if re.fullmatch(r"\d(\.\d+)?[eE]\+?\d+", text):
        raise ValidationError(f"{field_name}显示为科学计数法（{text}），后几位已丢失，"
                              "请把该列设为文本格式后重新填写。")
    return validate_id_number(text, field_name)


def date_cell(value: object, field_name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = text_cell(value)
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if match:
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            pass
    raise ValidationError(f"{field_name}“{shown(text)}”不是日期，请写成 2023-03-01。")


def year_cell(value: object, field_name: str) -> int | None:
    text = text_cell(value)
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= clock.today().year:
        raise ValidationError(f"{field_name}“{shown(text)}”不是合理的年份。")
    return int(text)


def party_cell(value: object) -> bool:
    text = text_cell(value)
    if text in ("", "否", "不是", "群众", "无"):
        return False
    if text in ("是", "党员", "中共党员", "√", "Y", "y"):
        return True
    raise ValidationError(f"中共党员一栏应填“是”或“否”，不是“{shown(text)}”。")


def roles_cell(value: object) -> tuple[str, ...]:
    parts = [p for p in re.split(r"[、,，/ ;；]+", text_cell(value)) if p]
    for part in parts:
        if part not in ROLE_NAMES:
            raise ValidationError(f"职务只能填“片区长”或“胡同长”，不是“{shown(part)}”。")
    return tuple(dict.fromkeys(parts))


# ---- rows ----------------------------------------------------------------------------------
def find_header(rows: Iterator[tuple]) -> tuple[int, dict[str, int]]:
    """The header row (among the first 5, below any title) mapped field → column index."""
    for number, values in enumerate(rows, start=1):
        names = [text_cell(v).replace(" ", "") for v in values]
        if "姓名" in names:
            wanted = {text_cell(h): f for h, f in COLUMNS}  # 镇（街道） reads as 镇(街道)
            index = {f: names.index(h) for h, f in wanted.items() if h in names}
            missing = [FIELD_HEADER[f] for f in REQUIRED if f not in index]
            if missing:
                raise FileRefused(f"第{number}行表头缺少这些列：{'、'.join(missing)}。"
                                  "请使用程序提供的导入模板。")
            return number, index
        if number >= 5:
            break
    raise FileRefused("前5行中找不到表头（含“姓名”的一行）。请使用程序提供的导入模板。")


def parse_row(number: int, values: tuple, index: dict[str, int]) -> tuple[PersonRow | None,
                                                                          list[Problem]]:
    def raw(name: str) -> object:
        position = index.get(name)
        return values[position] if position is not None and position < len(values) else None

    problems: list[Problem] = []

    def checked(name: str, convert, *args):  # type: ignore[no-untyped-def]
        try:
            return convert(raw(name), *args)
        except ValidationError as error:
            problems.append(Problem(number, FIELD_HEADER[name], str(error)))
            return None

    texts = {f: text_cell(raw(f)) for f, _ in ((f, 0) for _, f in COLUMNS)}
    problems += _overlong(number, texts)
    for name in REQUIRED:
        if not texts[name]:
            problems.append(Problem(number, FIELD_HEADER[name], f"{FIELD_HEADER[name]}不能为空。"))
    for name, level in zip(PLACE_FIELDS, Level, strict=True):
        if len(texts[name]) > NAME_LIMITS[level]:
            problems.append(Problem(number, FIELD_HEADER[name], f"{level.label}名称“{texts[name][:10]}…”"
                                    f"太长，最多{NAME_LIMITS[level]}个字。"))
    # Names padded for alignment (“王  五”) lose the padding between Chinese characters.
    person_name = re.sub(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])", "", texts["name"])
    if person_name:
        try:
            validate_name(person_name)
        except ValidationError as error:
            problems.append(Problem(number, "姓名", str(error)))
    label = f"“{person_name}”的" if person_name else ""
    row = PersonRow(
        row=number, **{f: texts[f] for f in PLACE_FIELDS}, household=texts["household"],
        address=texts["address"], name=person_name, relation=texts["relation"],
        gender=texts["gender"],
        birth_year=checked("birth_year", lambda v: year_cell(v, f"{label}出生年份")),
        phone=checked("phone", lambda v: phone_cell(v, f"{label}电话")) or "",
        id_number=checked("id_number", lambda v: id_cell(v, f"{label}身份证号")),
        party=bool(checked("party", party_cell)),
        roles=checked("roles", roles_cell) or (),
        chosen_on=checked("chosen_on", lambda v: date_cell(v, "推选日期")),
        chosen_method=texts["chosen_method"], proposer=texts["proposer"],
        vest_on=checked("vest_on", lambda v: date_cell(v, "红马甲发放日期")),
        work_id_on=checked("work_id_on", lambda v: date_cell(v, "工作证发放日期")),
        work_id_number=texts["work_id_number"],
    )
    if texts["gender"] not in ("", "男", "女"):
        problems.append(Problem(number, "性别", f"性别应填“男”或“女”，不是“{shown(texts['gender'])}”。"))
    if row.roles and row.chosen_on is None and not any(p.column == "推选日期" for p in problems):
        problems.append(Problem(number, "推选日期", "担任片区长或胡同长的人必须填写推选日期。"))
    return (None if problems else row), problems


def _overlong(number: int, texts: dict[str, str]) -> list[Problem]:
    """Cells longer than the table column they go into (an xlsx file cannot hold NUL or other
    control characters: its XML refuses them)."""
    found = []
    for name, column in STORED_IN.items():
        said = text_limits.problem(column, texts[name]) if texts[name] else None
        if said:
            found.append(Problem(number, FIELD_HEADER[name], said))
    return found


def group_households(people: list[PersonRow], bad_keys: set[str] = frozenset()  # type: ignore[assignment]
                     ) -> tuple[list[HouseholdRows], list[Problem]]:
    """Rows with the same 户号 form a household: one 户主, one place, no repeated ID number.
    Only faultless households are returned; those with a bad row (`bad_keys`, already
    reported) are left out of further checks."""
    households: dict[str, HouseholdRows] = {}
    problems: list[Problem] = []
    for person in people:
        households.setdefault(person.household, HouseholdRows(person.household)).people.append(person)
    seen_ids: dict[str, int] = {}
    good = []
    for household in households.values():
        if household.key in bad_keys:
            continue
        before = len(problems)
        first = household.people[0]
        for person in household.people[1:]:
            if person.place != first.place:
                problems.append(Problem(person.row, "户号", f"户号“{household.key}”在第{first.row}行"
                                        "属于另一个胡同，同一户的成员必须在同一个胡同。"))
        heads = [p for p in household.people if p.relation == "户主"]
        if not heads:
            problems.append(Problem(first.row, "与户主关系",
                                    f"户号“{household.key}”没有“户主”这一行。"))
        for extra in heads[1:]:
            problems.append(Problem(extra.row, "与户主关系", f"户号“{household.key}”有两个户主"
                                    f"（另见第{heads[0].row}行），重复。"))
        for person in household.people:
            if person.id_number:
                if person.id_number in seen_ids:
                    problems.append(Problem(person.row, "身份证号", f"身份证号与第"
                                            f"{seen_ids[person.id_number]}行重复。"))
                else:
                    seen_ids[person.id_number] = person.row
        if len(problems) == before:
            good.append(household)
    return good, problems


def open_sheet(path: Path, sheet_name: str = SHEET_NAME):  # type: ignore[no-untyped-def]
    """A checked file opened read-only: (the workbook, the sheet named `sheet_name` or else the
    first, the sheet's member in the zip). The caller closes the workbook."""
    import openpyxl  # uses defusedxml for its XML when installed (it is a dependency)

    member = inspect_file(path, sheet_name)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise FileRefused("文件已损坏或不是 Excel 工作簿，无法读取。") from None
    sheet = book[sheet_name] if sheet_name in book.sheetnames else book.worksheets[0]
    if sheet.sheet_state != "visible":
        book.close()
        raise FileRefused(f"要导入的工作表“{sheet.title}”是隐藏的：请在 Excel 中取消隐藏、"
                          "核对内容后再导入。")
    return book, sheet, member


def hidden_sheets(book) -> list[str]:  # type: ignore[no-untyped-def]
    """A warning for each hidden sheet of the workbook: its content is not imported."""
    return [f"文件中还有隐藏的工作表“{ws.title}”，其中的内容不会导入，请核对。"
            for ws in book.worksheets if ws.sheet_state != "visible"]


def merged_problems(path: Path, member: str, header_row: int) -> list[Problem]:
    """Every merged range below the header, as a problem of its first row."""
    return [Problem(_first_row(ref), "（合并单元格）", f"{ref} 是合并单元格，请取消合并，"
                    "并在每一行都填上内容。")
            for ref in merged_ranges(path, member) if _first_row(ref) > header_row]


def read_roster(path: Path, progress=None) -> Roster:  # type: ignore[no-untyped-def]
    """Check and read a roster file. Every problem found is returned with its row and column;
    `progress.report(done, total, text)` is called now and then (and may raise to cancel)."""
    book, sheet, member = open_sheet(path)
    try:
        warnings = hidden_sheets(book)
        total = sheet.max_row or 0
        rows = sheet.iter_rows(values_only=True)
        header_row, index = find_header(rows)
        problems = merged_problems(path, member, header_row)
        people: list[PersonRow] = []
        bad_keys: set[str] = set()
        number = header_row
        for number, values in enumerate(rows, start=header_row + 1):
            if number - header_row > MAX_ROWS:
                raise FileRefused(f"文件超过 {MAX_ROWS} 行，请分村导入。")
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue  # an empty row carries nothing
            person, found = parse_row(number, values, index)
            problems += found
            if person is not None:
                people.append(person)
            elif index["household"] < len(values):
                bad_keys.add(text_cell(values[index["household"]]))
            if progress is not None and number % 500 == 0:
                progress.report(number, total, f"正在检查第 {number} 行…")
    finally:
        book.close()
    households, grouping = group_households(people, bad_keys)
    problems += grouping
    problems.sort(key=lambda p: (p.row, HEADERS.index(p.column) if p.column in HEADERS else -1))
    return Roster(households, problems, number - header_row, warnings)


def _first_row(ref: str) -> int:
    return int(re.search(r"\d+", ref).group(0))  # type: ignore[union-attr]
