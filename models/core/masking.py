"""Masking what must not be shown or logged whole: ID numbers in any spacing, passwords in
`password=…` and in database URLs. Pure text functions (no database modules): the command line
uses them before anything heavier is loaded."""

from __future__ import annotations

import re

# An ID number as people write it: 18 characters, in any spacing (spaces, tabs, full-width
# spaces or dashes between the digits), full-width digits too.
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d[\s\-－]*){17}[\dXx](?!\d)")
_SPACING = re.compile(r"[\s\-－]")
_SECRET = re.compile(r"(?i)(password|passwd|密码)(\s*[=:：]\s*)\S+")
# user:password@ in any URL (postgresql://user:password@host/db): the password goes.
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@]*:)\S*@")


def mask_id_number(value: str) -> str:
    """Keep the region and the check digit only: enough to tell two numbers apart on screen."""
    return value[:3] + "*" * (len(value) - 4) + value[-1:] if len(value) > 4 else "****"


def mask_id_numbers(text: str) -> str:
    """Every 18-character ID number in a text, masked, whatever its spacing."""
    return _ID_NUMBER.sub(lambda m: mask_id_number(_SPACING.sub("", m.group(0))), text)


def mask_passwords(text: str) -> str:
    return _SECRET.sub(r"\1\2******", _URL_PASSWORD.sub(r"\1***@", text))


def scrub(text: str) -> str:
    """Both: what the log files and the command line's error lines carry."""
    return mask_id_numbers(mask_passwords(text))
