"""Cell rules as properties: what is merely unusual (full-width digits, spaces, a phone stored
as a whole number) reads back as the plain value; an ID number stored as a number never passes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.core.errors import ValidationError
from models.core.validation import id_check_digit
from models.org.roster_sheet import id_cell, phone_cell

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
mobiles = st.builds(lambda p, rest: f"1{p}{rest:09d}", st.sampled_from("3456789"),
                    st.integers(0, 10**9 - 1))
def _with_check(first17: str) -> str:
    return first17 + id_check_digit(first17)


ids = st.builds(lambda region, day, seq: _with_check(f"{region}{day.strftime('%Y%m%d')}{seq:03d}"),
    st.sampled_from(["371523", "110101", "440305"]),
    st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31)),
    st.integers(0, 999))
spacing = st.sampled_from(["", " ", "  ", "\u3000"])


@given(mobiles, spacing, st.booleans())
def test_a_mobile_reads_back_however_it_was_typed(number, space, wide):
    typed = number.translate(FULL_WIDTH) if wide else number
    typed = space + typed[:3] + space + typed[3:7] + space + typed[7:] + space
    assert phone_cell(typed, "电话") == number
    assert phone_cell(int(number), "电话") == number
    assert phone_cell(float(number), "电话") == number


@given(ids, spacing, st.booleans())
def test_an_id_number_reads_back_however_it_was_typed_as_text(number, space, wide):
    typed = number.translate(FULL_WIDTH) if wide else number
    assert id_cell(space + typed + space, "身份证号") == number
    assert id_cell(typed.lower(), "身份证号") == number


@given(ids)
def test_an_id_number_stored_as_a_number_is_always_refused(number):
    if number[-1] == "X":
        number = number[:-1] + "0"
    with pytest.raises(ValidationError, match="存成了数字"):
        id_cell(float(number), "身份证号")
    with pytest.raises(ValidationError, match="科学计数法"):
        id_cell(f"{float(number):.14E}", "身份证号")
