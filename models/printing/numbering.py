"""Document numbers of official notices (发文字号, GB/T 9704 7.2.4): 机关代字〔年份〕序号.

The 机关代字 of each issuing organ is a setting (empty: the notice prints without a number line);
the yearly sequence lives in the register `issued_number`, one append-only row per number
taken, so a number is never given twice nor reused. A number is taken when an official notice
is published (a red/black list) or printed (the 约谈 list); printing the same notice again the
same day gives the number it already has."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core import settings, text_limits
from models.core.base import Base, CreatedAt
from models.core.settings import SettingSpec

GROUP = "公文"
HELP = ("发文字号由机关代字、年份和当年流水号组成，例如 {example}。"
        "“{{镇}}”代表镇（街道）简称，“{{村}}”代表村名简称；留空则通报上不印发文字号。")
RANKING_CODE = settings.register(SettingSpec(
    "doc_code_ranking", "红黑榜通报的机关代字", "{镇}人居办", group=GROUP,
    help=HELP.format(example="韩集人居办〔2026〕3号")))
TOWNSHIP_CODE = settings.register(SettingSpec(
    "doc_code_township", "镇（街道）约谈名单通报的机关代字", "{镇}党发", group=GROUP,
    help=HELP.format(example="韩集党发〔2026〕1号")))
VILLAGE_CODE = settings.register(SettingSpec(
    "doc_code_village", "村党支部通报的机关代字", "{村}支发", group=GROUP,
    help=HELP.format(example="韩家支发〔2026〕1号")))
TRIES = 3  # a number taken at the same moment by another PC: take the next one


class IssuedNumber(Base, CreatedAt):
    """One document number given out (a register: append-only, refused UPDATE and DELETE)."""

    __tablename__ = "issued_number"
    __table_args__ = (UniqueConstraint("code", "year", "sequence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(120), index=True)  # what was numbered
    title: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)
    taken_by: Mapped[str] = mapped_column(String(60))
    admin_village_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_village.id"), nullable=True, index=True)

    @property
    def text(self) -> str:
        return f"{self.code}〔{self.year}〕{self.sequence}号"


def short_name(name: str, endings: tuple[str, ...]) -> str:
    """韩集镇 → 韩集, 韩家村 → 韩家: the name without its kind, as 机关代字 use it."""
    for ending in endings:
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)]
    return name


def organ_code(session: Session, spec: SettingSpec, township: str = "", village: str = "") -> str:
    """The 机关代字 from its setting with the names filled in; empty when the setting is."""
    template = str(settings.get(session, spec)).strip()
    return (template.replace("{镇}", short_name(township, ("街道办事处", "街道", "镇", "乡")))
            .replace("{村}", short_name(village, ("村委会", "村"))))


def take(session: Session, code: str, *, year: int, subject: str, title: str, on: date,
         taken_by: str, village_id: int | None = None) -> str:
    """The next number of `code` in `year` (inside the caller's transaction), or the one
    `subject` was given on `on` already; "" when there is no code."""
    if not code:
        return ""
    # Cut to the columns (a number is never refused for a long title), checked for NUL and such.
    subject = text_limits.check(IssuedNumber.subject, subject[:120])
    title = text_limits.check(IssuedNumber.title, title[:200])
    again = session.scalar(select(IssuedNumber).where(
        IssuedNumber.code == code, IssuedNumber.subject == subject,
        IssuedNumber.issued_on == on).order_by(IssuedNumber.id.desc()).limit(1))
    if again is not None:
        return again.text
    attempt = 0
    while True:
        last = session.scalar(select(func.max(IssuedNumber.sequence)).where(
            IssuedNumber.code == code, IssuedNumber.year == year)) or 0
        row = IssuedNumber(code=code, year=year, sequence=last + 1, subject=subject,
                           title=title, issued_on=on, taken_by=taken_by,
                           admin_village_id=village_id)
        try:
            with session.begin_nested():
                session.add(row)
            return row.text
        except IntegrityError:
            attempt += 1
            if attempt == TRIES:
                raise
