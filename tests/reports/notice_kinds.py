"""Every kind of official notice the program issues, built by its real builder from plain rows:
the 约谈 list (village and township), the red/black notices (month, quarter, year) and a
correction. Shared by the notice layout tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models.printing.documents import Notice
from models.printing.service import TalkListRow, talk_list_document
from models.ranking.tables import Colour, Period, RankingEntry, RankingList
from reports.ranking_notices import as_notice, notice_for

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国明华军平秀英桂兰志强海燕玉梅德福春生金凤文静丽娟长青永红学军喆淑珍福贵宝山翠荣祥"


def people(count: int, seed: int = 1) -> list[str]:
    """Distinct two- and three-character names (deterministic)."""
    names = []
    for index in range(seed * 997, seed * 997 + count):
        surname = SURNAMES[index % len(SURNAMES)]
        rest = index // len(SURNAMES)
        first, second = GIVEN[rest % len(GIVEN)], GIVEN[rest // len(GIVEN) % len(GIVEN)]
        names.append(surname + first + (second if index % 3 else ""))
    return list(dict.fromkeys(names))


def talk_list(rows: int, township: bool = False) -> Notice:
    names = people(rows)
    where = "韩集镇" if township else "韩家村"
    organ = "韩集镇党委" if township else "韩家村党支部"
    return talk_list_document(organ, "韩支发〔2026〕7号", where, 2026, date(2026, 12, 1), [
        TalkListRow(name, "胡同长", f"南庄南片区第{i % 8 + 1}胡同", "13812345678", 20 + i % 9,
                    ("巡查记录缺失", "门前堆放杂物未清理")) for i, name in enumerate(names)])


def ranking_list(kind: Period, groups: int, version: int = 1) -> RankingList:
    period = {Period.MONTH: "2026-10", Period.QUARTER: "2026Q3", Period.YEAR: "2026"}[kind]
    residents = iter(people(groups * 2 * 12, seed=7))
    entries = []
    for group in range(groups):
        for colour in (Colour.RED, Colour.BLACK):
            unit = f"第{group + 1}{'片区' if kind is Period.MONTH else '村'}{colour.label}"
            entries.append(RankingEntry(
                colour=colour, unit_id=group * 2 + (colour is Colour.BLACK), unit_name=unit,
                group_id=group, group_name=f"韩家村·南庄{group + 1}", admin_village_id=1,
                score=Decimal("86.25") - group, villagers_score=Decimal("88.00"), rank=1,
                group_size=3, head_name=next(residents),
                reason="垃圾清理不及时" if colour is Colour.BLACK else "",
                resident_names="、".join(next(residents) for _ in range(10))
                if kind is Period.MONTH else "",
                sort_order=len(entries)))
    return RankingList(
        township_id=1, township_name="韩集镇", kind=kind, period=period, version=version,
        published_on=date(2026, 11, 5), publisher="韩集镇管理员",
        doc_number=f"韩集人居办〔2026〕{3 + version}号",
        formula="得分＝0.3×积分分量＋0.7×评议分；评议分＝群众50%＋片区长30%＋书记20%。",
        tie_break="同分时依次比较群众评议分、片区长观摩评议分、书记评议分。",
        change_note="更正原因：南庄2片区评分录入有误。" if version > 1 else "",
        unranked="", entries=entries)


def ranking(kind: Period, rows: int) -> Notice:
    """A notice whose table has `rows` rows (the yearly table has a row per listed village)."""
    listing = ranking_list(kind, rows)
    if kind is Period.YEAR:
        listing.entries = listing.entries[:rows]
    return as_notice(notice_for(listing))


def correction(groups: int) -> Notice:
    replaced = ranking_list(Period.MONTH, groups)
    return as_notice(notice_for(ranking_list(Period.MONTH, groups, version=2), replaced))


KINDS = {
    "talk-list-village": talk_list,
    "talk-list-township": lambda rows: talk_list(rows, township=True),
    "ranking-month": lambda rows: ranking(Period.MONTH, rows),
    "ranking-quarter": lambda rows: ranking(Period.QUARTER, rows),
    "ranking-year": lambda rows: ranking(Period.YEAR, rows),
    "correction": correction,
}
