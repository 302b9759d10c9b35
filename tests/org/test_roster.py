"""Excel rosters: the demo town round-trips, a bad row stops the whole file, hostile files are
refused fast, and unusual-but-valid cells are normalised."""

from __future__ import annotations

import time
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from models.core.access import SYSTEM
from models.core.validation import id_check_digit
from models.org.directory import DirectoryService
from models.org.roster import RosterService
from models.org.roster_sheet import HEADERS, FileRefused, Problem, read_roster
from models.org.service import HouseholdInput, OrganisationService
from models.org.tables import Household, Resident, Zone
from reports.org.roster_xlsx import write_problems, write_roster, write_template

PLACE = ["测试镇", "测试村", "东庄", "一片区", "一胡同"]


def valid_id(seq: int) -> str:
    first17 = f"37152319800101{seq:03d}"
    return first17 + id_check_digit(first17)


def person(household: str, name: str, relation: str = "户主", place=None, **extra) -> list:
    row = dict.fromkeys(HEADERS, None)
    row.update(zip(HEADERS[:5], place or PLACE, strict=True))
    row.update({"户号": household, "姓名": name, "与户主关系": relation, "门牌地址": f"{household}号"})
    row.update(extra)
    return [row[h] for h in HEADERS]


def make_file(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "农户名单"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    book.save(path)
    return path


def many_households(count: int) -> list[list]:
    """`count` one-person households, 10 to an alley and 50 to a zone (the caps)."""
    rows = []
    for n in range(count):
        zone, alley = n // 50, (n % 50) // 10
        place = ["测试镇", "测试村", "东庄", f"{zone + 1}号片区", f"{alley + 1}号胡同"]
        rows.append(person(f"H{n}", f"王{n}", place=place, 联系电话=f"1380000{n:04d}",
                           身份证号=valid_id(n)))
    return rows


@pytest.fixture
def empty_twin(demo_db, templates, tmp_path):  # type: ignore[no-untyped-def]
    """An empty database on the same engine as `demo_db`."""
    engine = "sqlite" if demo_db.is_sqlite else "postgresql"
    folder = tmp_path / "twin"
    folder.mkdir()
    twin = templates.fresh(engine, "empty", folder)
    yield twin
    twin.dispose()
    if engine == "postgresql":
        templates.server.admin(f"DROP DATABASE IF EXISTS {twin.url.database} WITH (FORCE)")


def test_demo_town_round_trips_into_an_empty_database(demo_db, empty_twin, tmp_path):
    db = empty_twin
    exported = tmp_path / "town.xlsx"
    write_roster(exported, RosterService(demo_db, SYSTEM).export_rows())
    result = RosterService(db, SYSTEM).import_file(exported)
    assert result.ok, result.problems[:5]
    assert DirectoryService(db, SYSTEM).stats() == DirectoryService(demo_db, SYSTEM).stats()
    again = tmp_path / "again.xlsx"
    write_roster(again, RosterService(db, SYSTEM).export_rows())
    first = [r[:5] + r[6:] for r in _rows(exported)]
    second = [r[:5] + r[6:] for r in _rows(again)]
    assert first == second  # the same people, places, heads and dates (户号 aside)


def _rows(path: Path) -> list[tuple]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    return rows


def test_one_bad_row_in_500_imports_nothing_and_names_the_row(db, tmp_path):
    rows = many_households(500)
    rows[249][HEADERS.index("身份证号")] = 371523198001010120  # Excel made it a number
    result = RosterService(db, SYSTEM).import_file(make_file(tmp_path / "r.xlsx", rows))
    assert [(p.row, p.column) for p in result.problems] == [(251, "身份证号")]
    assert "存成了数字" in result.problems[0].reason
    assert DirectoryService(db, SYSTEM).stats()["households"] == 0
    good = many_households(500)
    assert RosterService(db, SYSTEM).import_file(make_file(tmp_path / "g.xlsx", good)).households == 500
    # the ids the import reserved leave the database's own numbering intact
    org = OrganisationService(db, SYSTEM)
    with db.read() as s:
        natural = s.scalar(select(Zone.natural_village_id))
    zone = org.create_zone(natural, "新片区")
    household = org.add_household(org.create_alley(zone, "新胡同"), HouseholdInput("新户"))
    assert DirectoryService(db, SYSTEM).stats()["households"] == 501
    assert household > 500


def test_cap_exceeded_is_reported_on_the_eleventh_household(db, tmp_path):
    rows = [person(f"H{n}", f"李{n}") for n in range(11)]
    result = RosterService(db, SYSTEM).import_file(make_file(tmp_path / "cap.xlsx", rows))
    assert [(p.row, p.column) for p in result.problems] == [(12, "胡同")]
    assert "最多 10 户" in result.problems[0].reason


def test_unknown_alley_and_duplicates_against_the_database(db, tmp_path):
    service = RosterService(db, SYSTEM)
    assert service.import_file(make_file(tmp_path / "a.xlsx", [
        person("1", "张三", 身份证号=valid_id(1))])).ok
    other = ["测试镇", "测试村", "东庄", "一片区", "九胡同"]
    result = service.import_file(make_file(tmp_path / "b.xlsx", [
        person("1", "张三", 身份证号=valid_id(1)),
        person("2", "李四", place=other),
        person("3", "王五", 身份证号=valid_id(1)),
    ]))
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "姓名"), (2, "身份证号"), (3, "胡同"), (4, "身份证号")]
    reasons = " ".join(p.reason for p in result.problems)
    assert "九胡同" in reasons and "重复" in reasons


def test_unusual_but_valid_cells_are_normalised(db, tmp_path):
    rows = [
        person("1", " 韩 梅梅 ", 联系电话="１３８１２３４５６７８", 身份证号=" " + valid_id(2) + " ",
               职务="胡同长", 推选日期="2023年3月1日"),
        person("1", "韩雷", "儿子", 联系电话=13912345678, 出生年份=2001),
        [None] * len(HEADERS),
        person("2", "䶮", 联系电话="0534-2345678"),
    ]
    result = RosterService(db, SYSTEM).import_file(make_file(tmp_path / "n.xlsx", rows))
    assert result.ok, result.problems
    with db.read() as s:
        people = {r.name: r for r in s.scalars(select(Resident))}
        assert people["韩梅梅"].phone == "13812345678"
        assert people["韩梅梅"].id_number == valid_id(2)
        assert people["韩雷"].phone == "13912345678"
        assert "䶮" in people
        assert s.scalar(select(func.count(Household.id))) == 2
    assert result.heads == 1


@pytest.mark.parametrize(("column", "value", "words"), [
    ("联系电话", "1.3812345678E10", "科学计数法"),
    ("联系电话", "12345", "不是有效的手机号"),
    ("身份证号", "371523198001010129", "校验位"),
    ("身份证号", 3.71523198001011e17, "存成了数字"),
    ("姓名", None, "姓名不能为空"),
    ("职务", "村长", "片区长"),
    ("推选日期", "去年", "不是日期"),
])
def test_bad_cells_are_reported_with_row_column_and_reason(tmp_path, column, value, words):
    row = person("1", "赵六", 职务="胡同长", 推选日期=date(2023, 3, 1))
    row[HEADERS.index(column)] = value
    roster = read_roster(make_file(tmp_path / "bad.xlsx", [row]))
    assert [(p.row, p.column) for p in roster.problems] == [(2, column)]
    assert words in roster.problems[0].reason


def test_merged_cells_and_households_without_a_householder(tmp_path):
    rows = [person("1", "甲"), person("1", "乙", "配偶"), person("2", "丙", "儿子")]
    roster = read_roster(make_file(tmp_path / "m.xlsx", rows, merges=("B2:B3",)))
    assert [(p.row, p.column) for p in roster.problems] == [
        (2, "（合并单元格）"), (3, "行政村"), (4, "与户主关系")]


def _sheet_member(path: Path) -> tuple[dict[str, bytes], str]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}, "xl/worksheets/sheet1.xml"


def test_a_million_rows_are_refused_within_a_second(tmp_path):
    base = make_file(tmp_path / "base.xlsx", [person("1", "甲")])
    members, sheet = _sheet_member(base)
    huge = tmp_path / "million.xlsx"
    with zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in members.items():
            if name != sheet:
                archive.writestr(name, data)
        with archive.open(sheet, "w") as stream:
            stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for start in range(1, 1_000_001, 10_000):
                stream.write(b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%d</t></is></c></row>'
                                      % (n, n, n) for n in range(start, start + 10_000)))
            stream.write(b"</sheetData></worksheet>")
    started = time.perf_counter()
    with pytest.raises(FileRefused, match="最多导入"):
        read_roster(huge)
    assert time.perf_counter() - started < 1.0


def test_a_zip_bomb_and_a_non_excel_file_are_refused_within_a_second(tmp_path):
    base = make_file(tmp_path / "base.xlsx", [person("1", "甲")])
    members, sheet = _sheet_member(base)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data if name != sheet else data + b" " * 100_000_000)
    started = time.perf_counter()
    with pytest.raises(FileRefused, match="压缩"):
        read_roster(bomb)
    assert time.perf_counter() - started < 1.0
    fake = tmp_path / "fake.xlsx"
    fake.write_text("姓名,电话\n张三,138\n", encoding="utf-8")
    with pytest.raises(FileRefused, match="不是 Excel"):
        read_roster(fake)


def test_problem_report_and_template_are_real_spreadsheets(db, tmp_path):
    write_problems(tmp_path / "p.xlsx", [Problem(7, "联系电话", "电话不对")])
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    assert list(sheet.iter_rows(values_only=True)) == [("行号", "列", "原因"), (7, "联系电话", "电话不对")]
    write_template(tmp_path / "t.xlsx", {"township": ["测试镇"], "village": ["测试村"],
                                         "natural": [], "zone": [], "alley": []})
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["农户名单", "选项", "填写说明"]
    assert [c.value for c in book["农户名单"][1]] == HEADERS
    assert len(book["农户名单"].data_validations.dataValidation) >= 4
    assert not read_roster(tmp_path / "t.xlsx").problems  # the empty template reads cleanly


def test_a_failed_export_leaves_no_file(tmp_path):
    target = tmp_path / "out.xlsx"

    def cancel(done: int, total: int, text: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_roster(target, [person(str(n), "甲") for n in range(2000)], cancel)
    assert list(tmp_path.iterdir()) == []


class CancelWhileWriting:
    """A progress reporter whose user presses 取消 once the import is writing."""

    def report(self, done: int, total: int, text: str) -> None:
        if "写入" in text:
            raise KeyboardInterrupt


def test_cancelling_an_import_while_writing_leaves_nothing(db, tmp_path):
    path = make_file(tmp_path / "r.xlsx", many_households(500))
    with pytest.raises(KeyboardInterrupt):
        RosterService(db, SYSTEM).import_file(path, progress=CancelWhileWriting())
    assert DirectoryService(db, SYSTEM).stats() == dict.fromkeys(
        DirectoryService(db, SYSTEM).stats(), 0)
