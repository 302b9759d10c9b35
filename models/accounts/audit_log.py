"""Reading the audit trail: the secretary sees his village's rows, the inspector and the township
administrator everything. Nothing here writes; the trail itself refuses changes (triggers)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select

import models.areas  # noqa: F401  (every area's settings, for their labels)
from models.core import settings
from models.core.access import VILLAGE_SCOPED, Permission, Role
from models.core.audit import AuditLog
from models.core.service import Service
from models.core.validation import search_text

ROW_LIMIT = 5000
# What people read in the trail; each feature adds its own entities and value names here.
ENTITY_LABELS = {
    "township": "镇街", "admin_village": "行政村", "natural_village": "自然村", "zone": "片区",
    "alley": "胡同", "household": "农户", "resident": "居民", "head": "片区长/胡同长",
    "account": "账号", "setting": "设置", "database": "数据库",
    "passbook": "积分存折", "ledger_entry": "积分流水", "points_rule": "积分细则",
    "goods": "兑换物品", "redemption": "积分兑换", "print": "打印", "issued_number": "发文字号",
    "ranking_list": "红黑榜", "ranking_pay_deduction": "扣发绩效补贴",
    "problem": "整改问题", "problem_category": "问题类别", "problem_source": "问题来源",
    "pledge_return": "门前三包责任书回收", "stored_file": "文件",
    "worklog_patrol": "三个一巡查记录", "worklog_finding": "巡查发现的问题",
    "worklog_summary": "周汇总", "worklog_visit": "入户走访", "worklog_matter": "七个管理员事项",
    "worklog_settlement": "三个一月结",
    "honour_kind": "荣誉种类", "honour_nomination": "荣誉提名", "honour_list": "评先树优名单",
    "assessment_result": "综合测评结果", "assessment": "综合测评",
    "assessment_replacement": "按测评结果撤换", "talent_entry": "后备人才库",
}
KEY_LABELS = {
    "name": "名称", "username": "登录名", "display_name": "姓名", "role": "角色",
    "village_id": "行政村编号", "active": "启用", "township": "镇街", "village": "行政村",
    "householder": "户主", "address": "地址", "phone": "电话", "id_number": "身份证号",
    "alley_id": "胡同编号", "residents": "人口", "unit": "单位", "resident": "居民",
    "chosen_on": "推选日期", "method": "推选方式", "head_id": "负责人编号",
    "failed_logins": "连续输错次数", "locked_until": "锁定到", "minutes": "分钟", "reason": "原因",
    "towns": "镇数", "seed": "随机种子", "file": "文件", "kept": "原文件保存为",
    # organisation
    "admin_village_id": "行政村编号", "natural_village_id": "自然村编号", "zone_id": "片区编号",
    "household_id": "农户编号", "removed_on": "注销日期", "vest": "红马甲发放日期",
    "work_id": "工作证发放日期", "number": "编号", "households": "户数", "heads": "负责人数",
    "created_units": "新建单位数", "original": "原文件名", "caps": "户数上限（片区、胡同）",
    # points bank
    "code": "细则编号", "text": "细则内容", "points": "分值", "category": "类别",
    "evidence_required": "须附证据", "limit_count": "次数上限", "limit_period": "上限期间",
    "valid_from": "启用日期", "valid_to": "停用日期", "rule": "积分细则", "on": "日期",
    "note": "备注", "reverses": "冲正的流水号", "year": "年度", "closed": "结转存折数",
    "opened": "新开存折数", "passbook": "积分存折编号", "seq": "笔号", "opening": "初始积分",
    # goods and counter
    "head": "兑换人", "price": "兑换积分", "picture": "图片", "quantity": "数量", "donor": "捐赠人",
    "value_fen": "金额（分）", "total": "合计积分", "goods": "物品", "status": "状态",
    # red/black lists
    "month": "月份", "period": "评议期间", "version": "版本", "entries": "上榜单位",
    "amount": "扣发金额（元）", "secretary": "党支部书记",
    # printing
    "document": "文档", "scope": "范围", "pages": "页数", "title": "标题",
    # problems and their rectification
    "problem": "问题编号", "found_on": "发现日期", "description": "问题描述", "place": "地点",
    "photos": "照片数", "responsible": "责任人", "deadline": "整改时限", "passed": "复核通过",
    "outcome": "整改结果", "ledger_entry": "积分流水号", "default_days": "默认整改天数",
    "villages": "所包的村", "returned_on": "回收日期", "township_copy": "镇联",
    "village_copy": "村联", "household_copy": "户联",
    # 三个一 log
    "day": "日期", "finding": "发现的问题", "week": "周（自周一起）", "summary": "汇总情况",
    "found": "发现问题数", "fixed": "已整改数", "visited": "已走访农户", "days": "巡查日期",
    "ticks": "新登记巡查天数", "summaries": "周汇总条数", "posted": "入账笔数",
    "reversed": "冲正笔数", "excluded": "本次不结算", "matter": "事项", "officer": "管理员身份",
    "household": "农户",
    # the township server
    "database": "数据库", "everyday_login": "日常数据库账号", "admin_villages": "行政村",
    "accounts": "账号", "folder": "文件夹", "imported": "存入数", "missing": "未找到数",
    "counts": "迁入条数", "lists_left": "未迁入的红黑榜", "source": "来源",
    "source_chain_heads": "原积分链末端（存折编号：校验值）",
    # honours, assessment, talent pool
    "end_reason": "离任原因", "dismissed": "撤换", "nominee": "授予对象", "honour": "荣誉",
    "reward": "奖励", "value": "奖励价值（元）", "grades": "各等次人数",
    "proposed": "推荐评先", "unfit": "不称职", "evidence": "依据",
}


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user_name: str
    role_label: str
    action: str
    entity: str
    entity_id: int | None
    before: str
    after: str

    @property
    def local_time(self) -> str:
        moment = self.at if self.at.tzinfo else self.at.replace(tzinfo=UTC)
        return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")

    @property
    def before_text(self) -> str:
        return readable(self.before)

    @property
    def after_text(self) -> str:
        return readable(self.after)


def readable(stored: str) -> str:
    """The stored JSON as `key：value；…` for people reading the log."""
    if not stored:
        return ""
    try:
        values = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(values, dict):
        return str(values)
    return "；".join(f"{key_label(key)}：{_value(value)}" for key, value in values.items())


def key_label(key: str) -> str:
    """A value name as people read it: a setting by its own label, a name the feature wrote in
    Chinese (a zone's name in the scores) as it is."""
    spec = settings.SPECS.get(key)
    return spec.label if spec is not None else KEY_LABELS.get(key, key)


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity)


EMPTY = "（空）"


def _value(value: object) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):  # e.g. goods redeemed: name → quantity
        return "、".join(f"{key} × {_value(v)}" for key, v in value.items())
    if isinstance(value, list):
        if all(v is None or v == "" for v in value):  # e.g. scores not yet entered
            return EMPTY
        return "、".join(_value(v) for v in value)
    return str(value)


def _role_label(value: str) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value


class AuditService(Service):
    def entries(self, *, since: date | None = None, until: date | None = None,
                text: str = "", limit: int = ROW_LIMIT) -> list[AuditRow]:
        """The newest rows first, within the actor's scope, optionally by day and by words
        in the action, the account name or the values."""
        self.actor.require(Permission.VIEW_AUDIT, self.actor.village_id)
        query = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
        if self.actor.role in VILLAGE_SCOPED:
            query = query.where(AuditLog.village_id == self.actor.village_id)
        if since is not None:
            query = query.where(AuditLog.at >= _start_of(since))
        if until is not None:
            query = query.where(AuditLog.at < _start_of(until + timedelta(days=1)))
        words = search_text(text)
        if words:
            query = query.where(or_(*(column.contains(words, autoescape=True) for column in (
                AuditLog.action, AuditLog.user_name, AuditLog.before, AuditLog.after))))
        with self.db.read() as s:
            return [AuditRow(r.id, r.at, r.user_name, _role_label(r.role), r.action,
                             entity_label(r.entity),
                             r.entity_id, r.before, r.after) for r in s.scalars(query)]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone(UTC)
