"""Personal data on public paper (DOMAIN.md §10): ID numbers never, phones masked on notices."""

import re

# GB 11643 citizen number: area(6) birth date(8) sequence(3) check(1).
ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_phone(phone: str) -> str:
    """138****5678; short or odd numbers are starred out whole rather than half-shown."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def redact_ids(text: str) -> str:
    """Safety net applied to every printed string: a stray ID number prints as stars."""
    return ID_NUMBER.sub(lambda match: "*" * 18, text)


def mask_phones_in(text: str) -> str:
    """Mask every mobile number inside free text (notice bodies and tables)."""
    return MOBILE.sub(r"\1****\2", text)
