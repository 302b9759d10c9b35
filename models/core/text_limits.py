"""Every text a service stores is checked against its column before it reaches the database:
at most the column's length (String(120) → 120 characters), and no NUL or other control
character. The limits come from the tables themselves, in one place, so SQLite (which would
store anything) and PostgreSQL (which refuses with a raw error) behave alike: a ValidationError
naming the field in Chinese.

Rows written through the ORM are checked when they are flushed; writers that insert rows
directly (the roster import) call `problem` for each value. A column's Chinese name is its
`info["label"]` if it has one, else the common name of its column in FIELD_LABELS."""

from __future__ import annotations

from itertools import chain

from sqlalchemy import Column, Enum, String, event
from sqlalchemy import inspect as inspect_object
from sqlalchemy.orm import Session

from models.core.errors import ValidationError
from models.core.validation import has_control_characters

FIELD_LABELS = {
    "name": "名称", "address": "门牌地址", "phone": "电话", "relation": "与户主关系",
    "gender": "性别", "householder_name": "户主姓名", "id_number": "身份证号", "note": "备注",
    "reason": "原因", "donor": "捐赠人", "code": "编号", "text": "内容", "category": "类别",
    "unit": "单位", "chosen_method": "推选方式", "proposer": "推荐人", "end_reason": "卸任原因",
    "work_id_number": "工作证编号", "cancel_reason": "撤销原因", "display_name": "姓名",
    "username": "登录名", "secretary_name": "党支部书记姓名", "supervision_phone": "监督电话",
    "county": "县（市、区）", "picture_path": "图片", "reference": "凭证号", "rule_text": "细则内容",
    "rule_code": "细则编号", "change_note": "更正说明", "doc_number": "发文字号",
    "head_name": "负责人姓名", "unit_name": "单位名称", "group_name": "分组名称",
    "publisher": "发布人", "entered_by": "录入人", "original_name": "文件名",
}


def label(column: Column) -> str:  # type: ignore[type-arg]
    return column.info.get("label") or FIELD_LABELS.get(column.key, column.key)


def problem(column: Column, value: str) -> str | None:  # type: ignore[type-arg]
    """What is wrong with storing `value` in `column`, in Chinese; None when nothing is."""
    if has_control_characters(value):
        return f"{label(column)}中有不可见的控制字符（如 NUL），请删去后再保存。"
    length = column.type.length if isinstance(column.type, String) else None
    if length is not None and len(value) > length:
        return (f"{label(column)}“{value[:10]}…”太长：最多 {length} 个字，"
                f"现在有 {len(value)} 个字。")
    return None


def _text_columns(mapper) -> list[tuple[str, Column]]:  # type: ignore[no-untyped-def,type-arg]
    found = []
    for attribute in mapper.column_attrs:
        column = attribute.columns[0]
        if isinstance(column.type, String) and not isinstance(column.type, Enum):
            found.append((attribute.key, column))
    return found


_COLUMNS: dict[type, list[tuple[str, Column]]] = {}  # type: ignore[type-arg]


@event.listens_for(Session, "before_flush")
def _check_texts(session: Session, _context: object, _instances: object) -> None:
    for instance in chain(session.new, session.dirty):
        state = inspect_object(instance)
        cls = type(instance)
        if cls not in _COLUMNS:
            _COLUMNS[cls] = _text_columns(state.mapper)
        for key, column in _COLUMNS[cls]:
            value = state.dict.get(key)
            if isinstance(value, str):
                said = problem(column, value)
                if said is not None:
                    raise ValidationError(said + "本次没有保存任何内容。")


def check(attribute, value: str) -> str:  # type: ignore[no-untyped-def]
    """`value` if it fits the mapped column `attribute` (e.g. PointsRule.code), for text that a
    service looks up before anything is flushed; a ValidationError otherwise."""
    said = problem(attribute.property.columns[0], value)
    if said is not None:
        raise ValidationError(said)
    return value
