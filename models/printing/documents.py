"""Plain data the renderers print. Deliberately no ID numbers (身份证号) anywhere:
public paper never shows them (DOMAIN.md §10), so the data cannot even carry them."""

from dataclasses import dataclass, field
from datetime import date, datetime

from models.core.privacy import mask_phone  # noqa: F401 - re-exported: the one masking helper


def chinese_date(day: date) -> str:
    """2026年12月1日: the year in full, month and day without a leading zero (GB/T 9704)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class WorkIdCard:
    name: str
    role: str  # 片区长 / 胡同长
    area: str  # the zone or alley, e.g. 南片区 / 南片区第三胡同
    village: str
    card_number: str
    issuer: str
    year: int
    photo_path: str | None = None
    photo: bytes | None = None  # the head's photo as stored (JPEG); drawn when present
    natural_village: str = ""  # the area names the natural village too (printed before `area`)


@dataclass(frozen=True)
class DutyCard:
    name: str
    role: str  # 片区长 / 胡同长
    phone: str  # heads' numbers are published in full
    area: str
    village: str
    supervision_phone: str
    issuer: str
    photo_path: str | None = None
    photo: bytes | None = None


@dataclass(frozen=True)
class RosterRow:
    natural_village: str
    zone: str
    alley: str  # empty for a zone head
    role: str
    name: str
    phone: str  # published in full
    households: int | None = None


@dataclass(frozen=True)
class Roster:
    village: str
    issuer: str
    date: date
    rows: tuple[RosterRow, ...]
    supervision_phone: str = ""
    unit: str = ""  # what the roster covers when less than the village, e.g. 韩家村南庄南片区


@dataclass(frozen=True)
class PledgeForm:
    householder: str
    address: str
    alley: str
    zone: str
    village: str
    party_secretary: str
    zone_head: str
    alley_head: str
    year: int
    number: str = ""


AWARD, DEDUCTION, REDEMPTION = "加分", "扣分", "兑换"


@dataclass(frozen=True)
class PassbookEntry:
    date: date
    text: str
    kind: str  # AWARD / DEDUCTION / REDEMPTION (spending lowers only the balance)
    points: int  # + award, − deduction or spending
    score: int  # running score after the entry
    spendable: int  # spendable balance after the entry
    note: str = ""  # e.g. "超出年度上限，计入5分"


@dataclass(frozen=True)
class PassbookPrint:
    head: str
    role: str
    area: str
    village: str
    year: int
    entries: tuple[PassbookEntry, ...]
    opening: int = 30
    as_of: date | None = None  # the day the figures stand at (截至…)
    photo: bytes | None = None


@dataclass(frozen=True)
class ReceiptLine:
    goods: str
    quantity: int
    unit: str
    points: int  # points of the line (quantity × price)


@dataclass(frozen=True)
class Receipt:
    number: str
    head: str
    village: str
    lines: tuple[ReceiptLine, ...]
    total: int
    spendable_after: int
    operator: str
    time: datetime


@dataclass(frozen=True)
class NoticeTable:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    shares: tuple[float, ...] = ()  # relative column widths; equal when empty


@dataclass(frozen=True)
class Notice:
    issuer_mark: str  # 发文机关标志, e.g. 韩家村党支部文件
    doc_number: str  # e.g. 韩支发〔2026〕3号; empty: the line is left out
    title: str
    recipients: str  # 主送机关, e.g. 各片区长、胡同长：
    paragraphs: tuple[str, ...]
    issuer: str  # signing organ under the seal space
    date: date
    table: NoticeTable | None = None
    attachments: tuple[str, ...] = field(default=())
    closing: tuple[str, ...] = field(default=())  # paragraphs after the table
    names: tuple[str, ...] = field(default=())  # people's names: never broken across lines
    printed_by: str = ""  # 版记's 印发机关 (the issuer when empty)
    printed_on: date | None = None  # 版记's 印发日期 (the notice's date when empty)


@dataclass(frozen=True)
class LogSheetHousehold:
    householder: str
    address: str


@dataclass(frozen=True)
class LogSheet:
    """工作日志: one alley head's blank 三个一 sheet for a month, filled in by hand."""

    village: str
    natural_village: str
    zone: str
    alley: str
    head: str
    phone: str  # the head's own published number
    year: int
    month: int
    days: tuple[tuple[int, str], ...]  # (day, weekday 一…日)
    off_days: frozenset[int]  # days the head is not in office (greyed)
    weeks: tuple[str, ...]  # 第1周（11月2日—11月8日）…
    households: tuple[LogSheetHousehold, ...]
    issuer: str  # 韩家村党支部
    officer_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReminderLine:
    village: str
    unit: str
    name: str
    phone: str  # the head's own published number
    detail: str = ""


@dataclass(frozen=True)
class ReminderSheet:
    """三个一提醒名单: who has not yet patrolled today, summarised this week, visited this month."""

    scope: str
    on: date
    week: str
    today: tuple[ReminderLine, ...]
    this_week: tuple[ReminderLine, ...]
    this_month: tuple[ReminderLine, ...]
    issuer: str
