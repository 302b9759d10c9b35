"""The 三个一 log from a spreadsheet: a month's patrols (√ under the day) and weekly summaries
(text under 第n周汇总) of a village's alley heads, one row per head, as the template lays it out.

All or nothing, like the roster import: the whole file is checked first — hostile files are
refused by the roster's own checks (models.org.roster_sheet.inspect_file) — and every problem is
returned with its row and column; nothing is written unless there is none. An import only adds:
it ticks days and records or corrects summaries, it never takes a tick back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit, clock
from models.core.access import Permission
from models.core.errors import ValidationError
from models.core.service import Service
from models.org.roster_sheet import FileRefused, Problem, merged_problems, open_sheet, text_cell
from models.org.tables import AdminVillage, Head
from models.worklog.calendar import THURSDAY, Month, bit, week_label
from models.worklog.log import TEXT_LIMIT, change_patrols
from models.worklog.month_data import HeadLog, month_logs
from models.worklog.tables import PatrolSource, WeeklySummary

SHEET_NAME = "巡查登记"
PLACE_HEADERS = ("行政村", "自然村", "片区", "胡同", "胡同长")
MONTH_HEADER = "月份"
DONE_MARKS = {"√", "✓", "✔", "v", "V", "是", "1", "y", "Y"}
WEEKS = 5
MAX_ROWS = 20_000


@dataclass(frozen=True)
class LogTemplate:
    village: str
    month: Month
    weeks: list[str]
    heads: list[HeadLog]
    summaries: dict[int, dict[int, str]]  # head → week number (1…) → text


@dataclass
class _Row:
    number: int
    head: HeadLog
    days: int = 0
    summaries: dict[date, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LogImportResult:
    rows: int
    ticks: int
    summaries: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def message(self) -> str:
        return (f"已导入 {self.rows} 位胡同长的登记：新打勾 {self.ticks} 天，"
                f"周汇总 {self.summaries} 条。已登记的巡查不会被取消。")


class _Refused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__()
        self.problems = problems


class LogImportService(Service):
    def template(self, village_id: int, month: Month) -> LogTemplate:
        """The village's heads of the month, with what is already recorded."""
        self.require_view(village_id)
        with self.db.read() as s:
            village = s.scalar(select(AdminVillage.name).where(AdminVillage.id == village_id)) or ""
            logs = month_logs(s, month, village_ids=[village_id])
            weeks = month.weeks()
            texts = {(r.head_id, r.week_start): r.text or "√" for r in s.scalars(
                select(WeeklySummary).where(WeeklySummary.head_id.in_([x.head_id for x in logs]),
                                            WeeklySummary.week_start.in_(weeks)))}
        summaries = {x.head_id: {n: texts[(x.head_id, m)] for n, m in enumerate(weeks, 1)
                                 if (x.head_id, m) in texts} for x in logs}
        return LogTemplate(village, month, [week_label(m) for m in weeks], logs, summaries)

    def import_file(self, path: Path, progress=None) -> LogImportResult:  # type: ignore[no-untyped-def]
        rows, problems = _read(Path(path), progress)
        try:
            with self.operation(Permission.EDIT_WORKLOG) as s:
                found = self._resolve(s, rows, problems)
                if problems:
                    raise _Refused(problems)
                ticks, summaries = self._write(s, found)
                audit.record(s, self.actor, "导入三个一巡查登记表", "worklog_patrol", None,
                             village_id=_one_village(found),
                             after={"file": Path(path).name, "heads": len(found),
                                    "ticks": ticks, "summaries": summaries})
        except _Refused as refused:
            return LogImportResult(0, 0, 0, sorted(refused.problems, key=lambda p: p.row))
        return LogImportResult(len(found), ticks, summaries, [])

    def _resolve(self, s: Session, rows: list[tuple[int, dict[str, object]]],
                 problems: list[Problem]) -> list[_Row]:
        """Each row's head (by place, month and name) and what it marks, checked."""
        logs: dict[Month, dict[tuple[str, ...], list[HeadLog]]] = {}
        found, seen = [], {}
        for number, values in rows:
            try:
                month = _month_cell(values.get(MONTH_HEADER))
            except ValidationError as error:
                problems.append(Problem(number, MONTH_HEADER, str(error)))
                continue
            if month not in logs:
                logs[month] = {}
                for x in month_logs(s, month):
                    logs[month].setdefault((x.village, x.natural_village, x.zone, x.alley),
                                           []).append(x)
            head = self._head(number, values, logs[month], problems)
            if head is None:
                continue
            if (head.head_id, month) in seen:
                problems.append(Problem(number, "胡同长", f"{head.name}{month.label}的登记在第"
                                        f"{seen[(head.head_id, month)]}行已有，不能重复。"))
                continue
            seen[(head.head_id, month)] = number
            row = _Row(number, head)
            _marks(row, values, problems)
            found.append(row)
        return found

    def _head(self, number: int, values: dict[str, object],
              logs: dict[tuple[str, ...], list[HeadLog]], problems: list[Problem]) -> HeadLog | None:
        place = tuple(text_cell(values.get(h)) for h in PLACE_HEADERS[:4])
        name = text_cell(values.get("胡同长"))
        for header, text in zip(PLACE_HEADERS, (*place, name), strict=True):
            if not text:
                problems.append(Problem(number, header, f"{header}不能为空。"))
                return None
        candidates = logs.get(place, [])
        if not candidates:
            problems.append(Problem(number, "胡同", f"“{'·'.join(place)}”不是这个月有胡同长在任的胡同。"))
            return None
        head = next((x for x in candidates if x.name == name), None)
        if head is None:
            names = "、".join(x.name for x in candidates)
            problems.append(Problem(number, "胡同长", f"这个胡同这个月的胡同长是{names}，不是“{name}”。"))
            return None
        if not self.actor.may(Permission.EDIT_WORKLOG, head.village_id):
            problems.append(Problem(number, "行政村", f"当前账号不能登记“{head.village}”的工作日志。"))
            return None
        return head

    def _write(self, s: Session, rows: list[_Row]) -> tuple[int, int]:
        ticks = summaries = 0
        heads = {h.id: h for h in s.scalars(select(Head).where(
            Head.id.in_([r.head.head_id for r in rows])))}
        for row in rows:
            head = heads[row.head.head_id]
            before = row.head.log.patrols
            after = change_patrols(s, self, head, row.head.log.month, row.days, 0,
                                    PatrolSource.IMPORT)
            ticks += bin(after & ~before).count("1")
            for monday, text in row.summaries.items():
                summaries += _summary(s, self.actor.name, head.id, monday, text)
        return ticks, summaries


def _summary(s: Session, user_name: str, head_id: int, monday: date, text: str) -> int:
    """Record a week's summary from the file; 1 when it was new or its text changed."""
    row = s.scalar(select(WeeklySummary).where(WeeklySummary.head_id == head_id,
                                               WeeklySummary.week_start == monday))
    if row is not None and row.text == text:
        return 0
    if row is None:
        row = WeeklySummary(head_id=head_id, week_start=monday, found=0, fixed=0)
        s.add(row)
    row.text, row.user_name, row.recorded_at = text, user_name, clock.utcnow()
    return 1


def _marks(row: _Row, values: dict[str, object], problems: list[Problem]) -> None:
    log, today = row.head.log, clock.today()
    month = log.month
    for day in range(1, 32):
        text = text_cell(values.get(f"{day}日"))
        if not text:
            continue
        where = f"{day}日"
        if text not in DONE_MARKS:
            problems.append(Problem(row.number, where, f"巡查一栏只能填“√”或留空，不能是“{text}”。"))
        elif day > month.days:
            problems.append(Problem(row.number, where, f"{month.label}没有{day}日。"))
        elif month.day(day) > today:
            problems.append(Problem(row.number, where, f"{month.day(day):%Y-%m-%d} 还没有到。"))
        elif not log.first_day <= day <= log.last_day:
            problems.append(Problem(row.number, where, f"{row.head.name}{month.month}月{day}日不在任期内。"))
        else:
            row.days |= bit(day)
    weeks = month.weeks()
    for number in range(1, WEEKS + 1):
        header = f"第{number}周汇总"
        text = text_cell(values.get(header))
        if not text:
            continue
        if number > len(weeks):
            problems.append(Problem(row.number, header, f"{month.label}只有 {len(weeks)} 周。"))
            continue
        monday = weeks[number - 1]
        if monday > today:
            problems.append(Problem(row.number, header, f"{week_label(monday)}还没有到。"))
        elif not log.in_office(monday + timedelta(days=THURSDAY)):
            problems.append(Problem(row.number, header, f"{row.head.name}{week_label(monday)}不在任。"))
        elif len(text) > TEXT_LIMIT:
            problems.append(Problem(row.number, header, f"汇总最多 {TEXT_LIMIT} 个字。"))
        else:
            row.summaries[monday] = "" if text in DONE_MARKS else text


def _month_cell(value: object) -> Month:
    """"2026-03" as typed, or the date Excel may have turned it into."""
    if isinstance(value, date):
        return Month.of(value)
    return Month.parse(text_cell(value))


def _one_village(rows: list[_Row]) -> int | None:
    villages = {r.head.village_id for r in rows}
    return villages.pop() if len(villages) == 1 else None


def _read(path: Path, progress) -> tuple[list[tuple[int, dict[str, object]]], list[Problem]]:  # type: ignore[no-untyped-def]
    """The file's rows as header → value, with the problems of its layout."""
    book, sheet, member = open_sheet(path, SHEET_NAME)
    try:
        rows = sheet.iter_rows(values_only=True)
        header_row, headers = _header(rows)
        problems = merged_problems(path, member, header_row)
        found = []
        for number, values in enumerate(rows, start=header_row + 1):
            if number - header_row > MAX_ROWS:
                raise FileRefused(f"文件超过 {MAX_ROWS} 行，请分村导入。")
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            found.append((number, {h: values[i] for i, h in headers.items() if i < len(values)}))
            if progress is not None and number % 500 == 0:
                progress.report(number, sheet.max_row or number, f"正在检查第 {number} 行…")
    finally:
        book.close()
    return found, problems


def _header(rows) -> tuple[int, dict[int, str]]:  # type: ignore[no-untyped-def]
    for number, values in enumerate(rows, start=1):
        names = [text_cell(v).replace(" ", "") for v in values]
        if "胡同长" in names and "胡同" in names:
            missing = [h for h in (*PLACE_HEADERS, MONTH_HEADER) if h not in names]
            if missing:
                raise FileRefused(f"第{number}行表头缺少这些列：{'、'.join(missing)}。"
                                  "请使用程序提供的导入模板。")
            return number, {i: _day_header(n) for i, n in enumerate(names) if n}
        if number >= 5:
            break
    raise FileRefused("前5行中找不到表头（含“胡同”“胡同长”的一行）。请使用程序提供的导入模板。")


def _day_header(name: str) -> str:
    """"5" and "5日" both name day 5."""
    return f"{name}日" if name.isdigit() else name
