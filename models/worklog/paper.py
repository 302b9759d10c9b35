"""The plain data of the 三个一 paper the print centre prints: blank log sheets (工作日志) for
heads without a phone, and the reminder list of who has not yet done a duty."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.org.tables import Household
from models.printing import documents as doc
from models.worklog.calendar import Month, week_label
from models.worklog.completeness import ReminderList
from models.worklog.month_data import due_households, month_logs
from models.worklog.tables import OFFICER_LABELS

WEEKDAYS = "一二三四五六日"


def log_sheets(s: Session, head_ids: list[int], month: Month) -> list[doc.LogSheet]:
    """A sheet per alley head in office during the month, in the organisation's order."""
    logs = month_logs(s, month, head_ids=head_ids)
    households: dict[int, list[doc.LogSheetHousehold]] = {}
    alleys = sorted({x.alley_id for x in logs})
    for start in range(0, len(alleys), 900):
        for alley_id, name, address in s.execute(
                select(Household.alley_id, Household.householder_name, Household.address)
                .where(Household.alley_id.in_(alleys[start:start + 900]), due_households(month))
                .order_by(Household.id)):
            households.setdefault(alley_id, []).append(doc.LogSheetHousehold(name, address))
    days = tuple((d, WEEKDAYS[month.day(d).weekday()]) for d in range(1, month.days + 1))
    weeks = tuple(week_label(monday) for monday in month.weeks())
    sheets = []
    for x in logs:
        off = frozenset(d for d, _ in days if not x.log.first_day <= d <= x.log.last_day)
        sheets.append(doc.LogSheet(
            x.village, x.natural_village, x.zone, x.alley, x.name, x.phone, month.year,
            month.month, days, off, weeks, tuple(households.get(x.alley_id, [])),
            f"{x.village}党支部", tuple(OFFICER_LABELS.values())))
    return sheets


def reminder_sheet(reminders: ReminderList, issuer: str) -> doc.ReminderSheet:
    def lines(duty: str) -> tuple[doc.ReminderLine, ...]:
        return tuple(doc.ReminderLine(r.head.village, f"{r.head.natural_village}·{r.head.unit}",
                                      r.head.name, r.head.phone,
                                      f"已走访 {r.visited}/{r.households} 户" if duty == "month" else "")
                     for r in reminders.who_has_not(duty))

    return doc.ReminderSheet(reminders.scope, reminders.on, week_label(reminders.week),
                             lines("today"), lines("week"), lines("month"), issuer)
