"""The people area's paper as plain documents: the published honours (a notice of the township's
decision, and a certificate per honoured person), a village's assessment results (a notice
stating the weights), the talent pool's register and its recommendation forms. Everything comes
from the services' reads; honours only from the frozen published list."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from sqlalchemy import select

from models.core.errors import ValidationError
from models.core.service import Service
from models.org.photos import latest_photos
from models.org.tables import AdminVillage, Township
from models.people.assessment import AssessmentService
from models.points.wording import TALK_HOLDER
from models.people.grading import SHORT, half_up
from models.people.honours import HonoursService
from models.people.tables import Grade, HonourList
from models.people.talent import TalentService
from models.printing import documents as doc
from models.printing.scope import Scope


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def honour_list_notice(service: Service, year: int) -> doc.Notice:
    """The township's decision (表彰决定) of the year, as published (the current version)."""
    listing = HonoursService(service.db, service.actor).latest_list(year)
    town = listing.township_name
    organ = f"{town}人居环境整治工作领导小组"
    paragraphs = [
        f"{year}年，全镇片区长、胡同长和广大党员群众积极投身农村人居环境整治，涌现出一批先进典型。"
        "根据积分银行管理办法和年度综合测评结果，经各村党支部提名、镇人居环境整治工作领导小组审核，"
        f"决定对以下{len(listing.entries)}名同志予以表彰，颁发荣誉证书并给予奖励。",
        f"积分扣至初始积分以下或零分、列入约谈名单（由{TALK_HOLDER}约谈）的人员，取消当年评先树优资格；"
        "受表彰人员均已经资格审核。",
    ]
    if listing.version > 1:
        paragraphs.append(f"本决定为第{listing.version}版，更正此前公布的名单。{listing.change_note}")
    table = doc.NoticeTable(
        ("序号", "荣誉", "村", "姓名", "职务（区域）", "年度积分", "奖励"),
        tuple((str(e.sort_order), e.kind_name, e.village_name, e.name,
               f"{e.role}（{e.unit}）" if e.role else "—",
               "" if e.score is None else str(e.score), _reward(e.reward_what, e.reward_value))
              for e in listing.entries),
        f"{year}年度农村人居环境整治先进个人名单", (0.06, 0.16, 0.11, 0.11, 0.24, 0.08, 0.24))
    closing = ["年度积分最高奖的评定：" + listing.tie_break,
               *(line for line in listing.top_scorers.split("\n") if line),
               "希望受表彰的同志珍惜荣誉、再接再厉；全镇党员群众以先进为榜样，共同建设干净整洁的美丽乡村。"]
    return doc.Notice(f"{organ}文件", listing.doc_number,
                      f"关于表彰{year}年度农村人居环境整治先进个人的决定", "各村党支部：",
                      tuple(paragraphs), organ, listing.published_on, table, closing=tuple(closing))


def _reward(what: str, value: object) -> str:
    return f"{what}（{value}元）" if value else what


def honour_certificates(service: Service, scope: Scope, year: int) -> list[doc.HonourCertificate]:
    listing: HonourList = HonoursService(service.db, service.actor).latest_list(year)
    organs = f"{listing.township_name}人居环境整治工作领导小组"
    return [doc.HonourCertificate(e.name, e.kind_name, year, e.village_name, e.unit, e.role, organs,
                                  listing.published_on, e.certificate_number)
            for e in listing.entries
            if scope.village_id is None or e.admin_village_id == scope.village_id]


def assessment_notice(service: Service, scope: Scope, year: int) -> doc.Notice:
    """A village's confirmed assessment, with the method (weights, values, grade lines)."""
    sheet = AssessmentService(service.db, service.actor).sheet(scope.village_id, year)
    if sheet.confirmed is None:
        raise ValidationError(f"{sheet.village}{year}年度综合测评还没有确认，不能公示。")
    confirmed, method = sheet.confirmed, sheet.confirmed.method
    used = list(method.counted())
    organ = f"{sheet.village}党支部"
    counts = {g: sum(1 for r in confirmed.grades if r.grade is g) for g in Grade}
    paragraphs = (
        "根据农村人居环境整治“五级架构”管理办法，村党支部通过民意调研、问卷调查、群众大会等形式，"
        f"结合年度积分情况，对本村{len(confirmed.grades)}名片区长、胡同长进行了{year}年度综合测评，"
        "现将结果公示如下。",
        *("测评办法：" + line if i == 0 else line for i, line in enumerate(method.lines())),
        "表中各项得分保留一位小数。",
    )
    headers = ("序号", "姓名", "负责区域", *(SHORT[k] for k in used), "综合得分", "等次")
    rows = tuple((str(n), g.name, g.unit,
                  *(_tenths(g.scores[k]) if k in g.scores else "—" for k in used),
                  f"{g.total:.2f}", g.grade.value) for n, g in enumerate(confirmed.grades, start=1))
    closing = (
        "、".join(f"{g.value}{n}人" for g, n in counts.items()) + "。",
        "评为优秀的，推荐参加年度评先树优；评为不称职的，由村党支部按程序调整（动态调整）。"
        "公示期为5天，如有异议，请向村党支部反映。",
    )
    shares = (0.06, 0.11, 0.13, *(0.51 / len(used),) * len(used), 0.1, 0.09)
    return doc.Notice(organ, "", f"关于{year}年度片区长胡同长综合测评结果的公示",
                      "全体党员群众：", paragraphs, organ, confirmed.confirmed_on,
                      doc.NoticeTable(headers, rows, f"{sheet.village}{year}年度综合测评结果", shares),
                      closing=closing)


def _tenths(value: Fraction) -> str:
    """A component's score in the narrow table: one decimal, 四舍五入 (100 without one)."""
    shown = half_up(value / 10) * 10  # rounded to tenths, exactly
    return "100" if shown == 100 else f"{shown:.1f}"


def talent_register(service: Service, scope: Scope, on: date) -> doc.TalentRegister:
    pool = TalentService(service.db, service.actor)
    rows = pool.register(scope.village_id)
    counts = pool.counts()
    total = next(c for c in counts if c.village_id == scope.village_id) if scope.village_id \
        else counts[-1]
    where = scope.label if scope.village_id else total.village.removesuffix("合计")
    line = (f"优秀典型{total.pool}人，后备干部{total.cadres}人，推荐入党{total.candidates}人"
            f"（共{total.people}人，一人可同时列入人才库和另一名册）")
    organ = f"{where}党支部" if scope.village_id else f"{where}党委"
    return doc.TalentRegister(f"{where}后备人才库名册", organ, on, line, tuple(
        doc.TalentRegisterRow(r.name, r.gender, r.birth_year, _political(r.party_member),
                              r.village, r.place, r.role, r.category.label, r.entered_on,
                              r.evidence, r.status.label) for r in rows))


def recommendation_forms(service: Service, scope: Scope,
                         number: str) -> list[doc.RecommendationForm]:
    """Every open entry's form of the village, or the one entry numbered `number`."""
    if number and not number.isdigit():
        raise ValidationError(f"人才库记录编号“{number}”应为数字。")
    township = _township_name(service, scope.village_id)
    forms = TalentService(service.db, service.actor).forms(scope.village_id,
                                                           int(number) if number else None)
    with service.db.read() as s:  # a head's one-inch photo, where one is attached
        photos = latest_photos(s, [f.row.resident_id for f in forms])
    return [doc.RecommendationForm(
        f.row.name, f.row.gender, f.row.birth_year, _political(f.row.party_member), f.row.village,
        f.row.place, f.row.role, f.row.category.label, f.row.entered_on, f.row.evidence,
        tuple(f.record), tuple(f.history), f"{f.row.village}党支部", f"{township}党委",
        photos.get(f.row.resident_id)) for f in forms]


def _political(member: bool) -> str:
    return "中共党员" if member else "群众"


def _township_name(service: Service, village_id: int) -> str:
    with service.db.read() as s:
        return s.scalar(select(Township.name).join(AdminVillage).where(
            AdminVillage.id == village_id)) or ""
