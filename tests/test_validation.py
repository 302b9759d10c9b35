"""ID numbers (GB 11643) and phone numbers: property-based."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.core import clock
from models.core.errors import ValidationError
from models.core.validation import (
    id_check_digit,
    mask_phone,
    normalise_text,
    validate_id_number,
    validate_phone,
)

regions = st.sampled_from(["110105", "371402", "440305", "510107"])
birthdays = st.dates(min_value=date(1900, 1, 1), max_value=clock.today())
sequences = st.integers(min_value=0, max_value=999)


def make_id(region: str, born: date, sequence: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


def test_a_published_sample_number_is_valid():
    assert validate_id_number("11010519491231002X") == "11010519491231002X"


@given(regions, birthdays, sequences)
def test_every_well_formed_number_is_accepted(region, born, sequence):
    number = make_id(region, born, sequence)
    assert validate_id_number(number.lower()) == number


@given(regions, birthdays, sequences, st.integers(min_value=0, max_value=16),
       st.integers(min_value=1, max_value=9))
def test_changing_one_digit_is_caught(region, born, sequence, position, delta):
    number = make_id(region, born, sequence)
    digit = (int(number[position]) + delta) % 10
    altered = number[:position] + str(digit) + number[position + 1:]
    with pytest.raises(ValidationError):
        validate_id_number(altered)


@given(regions, st.integers(min_value=1, max_value=400), sequences)
def test_a_future_birth_date_is_refused(region, days, sequence):
    with pytest.raises(ValidationError, match="出生日期"):
        validate_id_number(make_id(region, clock.today() + timedelta(days=days), sequence))


def test_an_impossible_birth_date_is_refused():
    first17 = "11010519490231002"
    with pytest.raises(ValidationError, match="出生日期不存在"):
        validate_id_number(first17 + id_check_digit(first17))


def test_empty_id_means_not_given():
    assert validate_id_number("  ") is None


@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_mobiles_are_accepted_even_in_full_width(second, rest):
    number = "1" + second + rest
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert validate_phone(f" {full_width} ") == number
    assert mask_phone(number) == number[:3] + "****" + number[-4:]


@given(st.text(alphabet="0123456789", min_size=1, max_size=15).filter(
    lambda t: not (len(t) == 11 and t[0] == "1" and t[1] in "3456789")))
def test_other_digit_strings_are_not_mobiles(text):
    if text.startswith("0") and 10 <= len(text) <= 12:
        return  # could be a landline with area code
    with pytest.raises(ValidationError, match="不是有效的手机号"):
        validate_phone(text)


def test_normalise_folds_spaces_and_full_width():
    assert normalise_text("  王　 小明  ") == "王 小明"
    assert normalise_text("１２３") == "123"


def test_everyday_readings_are_what_pypinyin_reads_for_the_lone_character():
    from pypinyin import Style, lazy_pinyin

    from models.core.names import EVERYDAY_READINGS, SURNAME_READINGS

    assert set(EVERYDAY_READINGS) == set(SURNAME_READINGS)
    for char, reading in EVERYDAY_READINGS.items():
        assert lazy_pinyin(char, style=Style.NORMAL)[0] == reading
