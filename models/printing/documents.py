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
    qr: str = ""  # the QR code's text (models.org.work_id_code); the card number when empty


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
    # "P123-12 K7QF3-M9X2A": the last entry's verification code (models.core.anchors).
    verification: str = ""


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
    # "P123-12 K7QF3-M9X2A": the verification code of the redemption's passbook entry.
    verification: str = ""


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


@dataclass(frozen=True)
class ProblemNotice:
    """整改通知书 to the household or head who answers for a problem. `photo` is the JPEG of
    the problem as found (the first before-photo), if any."""

    village: str
    number: str  # 整改编号, e.g. ZG2026-017
    recipient: str  # 王某某 (the householder) or 李某某（胡同长）
    found_on: date
    source: str
    place: str
    category: str
    description: str
    deadline: date
    follow_up: str  # who follows it up, e.g. 胡同长 李某某
    issuer: str
    date: date
    photo: bytes | None = None
    pledge: str = ""  # whether the household's 门前三包 pledge came back


@dataclass(frozen=True)
class ProblemLedgerRow:
    """One line of the 台账, in the columns offices use."""

    number: str
    found_on: str
    place: str
    description: str
    source: str
    responsible: str
    deadline: str
    progress: str  # 整改情况
    verifier: str
    closed_on: str


PROBLEM_LEDGER_HEADERS = ("序号", "发现时间", "问题地点", "问题描述", "来源", "责任人", "整改时限",
                          "整改情况", "复核人", "销号时间")


@dataclass(frozen=True)
class ProblemLedger:
    """问题整改台账 for a filter (a village and month, or whatever the page shows)."""

    title: str
    scope: str  # what was chosen, e.g. 状态：全部；来源：全部
    rows: tuple[ProblemLedgerRow, ...]
    made_on: date
    issuer: str
    summary: str = ""  # e.g. 共12件，已销号10件，按期8件


@dataclass(frozen=True)
class SupervisionSlip:
    """督办单: the street office's order on a problem the responsible party refuses to fix."""

    number: str
    village: str
    problem_number: str
    found_on: date
    source: str
    place: str
    category: str
    description: str
    responsible: str
    deadline: date | None
    escalated_on: date
    refusal: str  # 拒不整改的情况
    due: date  # 督办时限
    issuer: str
    date: date
    photo: bytes | None = None


@dataclass(frozen=True)
class HonourCertificate:
    """荣誉证书 of one honoured person, from a published (frozen) honours list."""

    name: str
    honour: str
    year: int
    village: str
    unit: str  # "东庄·南片区", or "" for someone who is not a head
    role: str
    issuer: str  # the awarding organs, e.g. 韩集镇党委　韩集镇人民政府
    date: date
    number: str


@dataclass(frozen=True)
class TalentRegisterRow:
    name: str
    gender: str
    birth_year: int | None
    political: str  # 中共党员 / 群众
    village: str
    place: str  # natural village · zone · alley
    role: str  # current head role, or ""
    category: str  # 优秀典型 / 后备干部 / 推荐入党
    entered_on: date
    evidence: str
    status: str


@dataclass(frozen=True)
class TalentRegister:
    """人才库名册 of a village or the township: no ID numbers, no phones."""

    title: str
    issuer: str
    date: date
    counts: str  # one line: the registers' sizes
    rows: tuple[TalentRegisterRow, ...]


@dataclass(frozen=True)
class RecommendationForm:
    """后备人才推荐表: one page per person, with photo space, record, opinions and seals."""

    name: str
    gender: str
    birth_year: int | None
    political: str
    village: str
    place: str
    role: str
    category: str
    entered_on: date
    evidence: str
    record: tuple[str, ...]  # points, red lists, honours, assessment, appointments
    history: tuple[str, ...]  # status steps, e.g. "2026-07-01 入库"
    village_organ: str  # 韩家村党支部
    township_organ: str  # 韩集镇党委
    photo: bytes | None = None  # JPEG
