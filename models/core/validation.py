"""Checking and normalising what people type: names, phones, ID numbers (GB 11643)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from models.core import clock
from models.core.errors import ValidationError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


def normalise_text(value: str | None) -> str:
    """Full-width digits and letters to half-width (NFKC), spaces trimmed and folded."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split())


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_id_number(value: str | None, field: str = "身份证号") -> str | None:
    """A GB 11643 citizen number: 18 characters, a real birth date, a correct check digit.
    Empty input means 'not given' and returns None."""
    text = normalise_text(value).replace(" ", "").upper()
    if not text:
        return None
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise ValidationError(f"{field}“{_mask(text)}”应为18位（最后一位可为X）。")
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValidationError(f"{field}中的出生日期不存在。") from None
    if born.year < 1900 or born > clock.today():
        raise ValidationError(f"{field}中的出生日期不合理。")
    if id_check_digit(text[:17]) != text[17]:
        raise ValidationError(f"{field}校验位不对，请核对是否抄错。")
    return text


def validate_phone(value: str | None, field: str = "电话", required: bool = False) -> str:
    """A mainland mobile (11 digits, 1[3-9]…) or a landline with area code."""
    text = normalise_text(value).replace(" ", "").replace("－", "-")
    if not text:
        if required:
            raise ValidationError(f"{field}不能为空。")
        return ""
    if _MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text):
        return text
    raise ValidationError(f"{field}“{shown(text)}”不是有效的手机号（11位，以1开头）或座机号（带区号）。")


def validate_name(value: str | None, field: str = "姓名", max_length: int = 40) -> str:
    text = normalise_text(value)
    if not text:
        raise ValidationError(f"{field}不能为空。")
    if has_control_characters(text):
        raise ValidationError(f"{field}中有不可见的控制字符（如 NUL），请删去后再输入。")
    if len(text) > max_length:
        raise ValidationError(f"{field}“{shown(text, 10)}”太长，最多{max_length}个字。")
    return text


def mask_phone(phone: str) -> str:
    """138****5678: for public notices (heads' own published numbers excepted)."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else phone


def _mask(text: str) -> str:
    return text[:3] + "…" if len(text) > 6 else text


FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a village's books can be about


def validate_year(value: object, field: str = "年度") -> int:
    """A year as four digits within FIRST_YEAR..LAST_YEAR (typed text or a number)."""
    text = normalise_text(str(value)) if value is not None else ""
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{4}", text) \
            or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise ValidationError(
            f"{field}“{text[:12]}”不对，应为 {FIRST_YEAR} 到 {LAST_YEAR} 之间的四位数年份。")
    return int(text)


MAX_ID = 2**31 - 1  # ids are 32-bit integers on both engines


def as_id(text: str) -> int | None:
    """The id written in `text` (ASCII digits only, within the engines' integer range), or None
    when `text` is not an id (a name, "²", a 23-digit number)."""
    text = text.strip()
    if not re.fullmatch(r"[0-9]{1,10}", text) or int(text) > MAX_ID:
        return None
    return int(text)


# NUL and the other control characters (tab and line breaks aside) never belong in stored or
# searched text: PostgreSQL refuses NUL outright, SQLite would store it silently.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SEARCH_LIMIT = 50  # characters of a search box that count


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def search_text(value: str | None, limit: int = SEARCH_LIMIT) -> str:
    """What a search box's text may look for: normalised, without control characters, at most
    `limit` characters (a pasted page of text searches for its beginning)."""
    return normalise_text(_CONTROL.sub("", value or ""))[:limit]


def like_pattern(text: str) -> str:
    """`%text%` for LIKE with ESCAPE '\\': the user's % and _ match themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def shown(value: object, limit: int = 20) -> str:
    """What a message repeats of someone's input: control characters made visible as "?",
    at most `limit` characters (a pasted page is not said back in full)."""
    text = _CONTROL.sub("?", str(value))
    return text if len(text) <= limit else text[:limit] + "…"
