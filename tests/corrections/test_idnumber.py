import datetime

import pytest
from django.core.exceptions import ValidationError

from corrections.idnumber import (
    birth_date_from_id,
    check_character,
    gender_from_id,
    make_id_number,
    mask_id_number,
    normalize_id_number,
    validate_id_number,
)

TODAY = datetime.date(2026, 3, 1)


def error_code(value: str, *, today: datetime.date = TODAY) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_id_number(value, today=today)
    return caught.value.code


def with_checksum(first_17: str) -> str:
    return first_17 + check_character(first_17=first_17)


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the example of GB 11643-1999
        "110101199003074477",
        make_id_number(region="370402", birth_date=datetime.date(1990, 1, 1), sequence=12, gender="male"),
        make_id_number(region="440305", birth_date=datetime.date(2000, 2, 29), sequence=0, gender="female"),
        make_id_number(region="650102", birth_date=datetime.date(1900, 1, 1), sequence=99, gender="male"),
        make_id_number(region="820000", birth_date=datetime.date(1985, 12, 31), sequence=5, gender="female"),
        make_id_number(region="330106", birth_date=TODAY, sequence=1, gender="male"),
    ],
)
def test_valid_numbers_pass(number):
    assert validate_id_number(number, today=TODAY) is None
    assert check_character(first_17=number[:17]) == number[17]


def gb_weighted_sum(number: str) -> int:
    # GB 11643-1999 (ISO 7064 MOD 11-2) stated independently of the code: position i (from 0) weighs
    # 2**(17 - i) mod 11, X stands for 10, and a correct number sums to 1 modulo 11.
    values = [10 if character == "X" else int(character) for character in number]
    return sum(value * pow(2, 17 - position, 11) for position, value in enumerate(values)) % 11


def test_check_character_satisfies_the_mod_11_2_definition_for_every_check_character():
    numbers = [
        make_id_number(
            region="370402",
            birth_date=datetime.date(1990, 1, 1) + datetime.timedelta(days=day),
            sequence=day % 100,
            gender="male" if day % 2 else "female",
        )
        for day in range(200)
    ]
    assert {number[17] for number in numbers} == set("0123456789X")
    assert all(gb_weighted_sum(number) == 1 for number in numbers)
    assert all(validate_id_number(number, today=TODAY) is None for number in numbers)


def test_lower_case_x_is_accepted_and_normalized_to_upper_case():
    assert validate_id_number("11010519491231002x", today=TODAY) is None
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"


def test_normalize_removes_spaces_and_full_width_characters():
    assert normalize_id_number(" 110105 19491231 002x ") == "11010519491231002X"
    assert normalize_id_number("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


def test_validate_does_not_accept_spaces_a_model_would_store():
    assert error_code(" 11010519491231002X") == "id_number_length"


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # last digit changed from X
        "11010519491231003X",  # a sequence digit changed
        "11010519491231020X",  # two adjacent digits swapped
    ],
)
def test_wrong_checksum_is_refused(number):
    with pytest.raises(ValidationError) as caught:
        validate_id_number(number, today=TODAY)
    assert caught.value.code == "id_number_checksum"
    assert "checksum does not match" in caught.value.messages[0]


@pytest.mark.parametrize(
    "number",
    [
        "1101051949123100",  # 16
        "11010519491231002",  # 17
        "11010519491231002X1",  # 19
        "",
    ],
)
def test_wrong_length_is_refused(number):
    with pytest.raises(ValidationError) as caught:
        validate_id_number(number, today=TODAY)
    assert caught.value.code == "id_number_length"
    assert caught.value.messages == [f"An ID number must have 18 characters; this one has {len(number)}."]


@pytest.mark.parametrize(
    "number",
    [
        "1101051949A231002X",  # a letter in the middle
        "X10105194912310021",  # X anywhere but the end
        "11010519491231-02X",
        "１10105194912310021",  # one full-width digit left un-normalized
        "11010519491231002Y",
    ],
)
def test_bad_characters_are_refused(number):
    assert error_code(number) == "id_number_characters"


@pytest.mark.parametrize(
    "region",
    [
        "000000",
        "100101",  # 10: no such province
        "160101",  # just past Inner Mongolia (15)
        "240101",
        "380101",
        "470101",
        "550101",
        "660101",
        "720101",
        "830000",
        "910101",
        "990101",
        "370000",  # a whole province, not a registered residence
    ],
)
def test_implausible_region_is_refused_even_with_a_correct_checksum(region):
    number = make_id_number(region=region, birth_date=datetime.date(1990, 1, 1), sequence=1, gender="male")
    assert error_code(number) == "id_number_region"


@pytest.mark.parametrize(
    "region",
    [
        "110101",
        "150102",
        "210102",
        "230102",
        "310101",
        "370402",
        "460105",
        "500101",
        "540102",
        "610102",
        "650102",
        "710000",
        "810000",
    ],
)
def test_every_province_range_boundary_is_accepted(region):
    number = make_id_number(region=region, birth_date=datetime.date(1990, 1, 1), sequence=1, gender="male")
    assert validate_id_number(number, today=TODAY) is None


@pytest.mark.parametrize(
    "birth_digits",
    [
        "19990230",  # February 30
        "19990229",  # not a leap year
        "19000229",  # 1900 is not a leap year
        "19991301",  # month 13
        "19990001",  # month 0
        "19990100",  # day 0
        "19990431",  # April has 30 days
    ],
)
def test_impossible_birth_date_is_refused(birth_digits):
    number = with_checksum(f"370402{birth_digits}001")
    with pytest.raises(ValidationError) as caught:
        validate_id_number(number, today=TODAY)
    assert caught.value.code == "id_number_birth_date"
    assert birth_digits in caught.value.messages[0]


def test_leap_day_birth_date_is_accepted_in_a_leap_year():
    assert validate_id_number(with_checksum("37040220000229001"), today=TODAY) is None


@pytest.mark.parametrize(
    "birth_date",
    [
        TODAY + datetime.timedelta(days=1),
        datetime.date(2099, 1, 1),
        datetime.date(1899, 12, 31),
    ],
)
def test_birth_date_in_the_future_or_before_1900_is_refused(birth_date):
    number = make_id_number(region="370402", birth_date=birth_date, sequence=1, gender="female")
    assert error_code(number) == "id_number_birth_date_range"


def test_the_gb_example_born_in_1880_is_refused_by_the_1900_limit():
    assert error_code("440524188001010014") == "id_number_birth_date_range"


def test_today_defaults_to_the_office_day(clock):
    def born_on(day: datetime.date) -> str:
        return make_id_number(region="370402", birth_date=day, sequence=1, gender="male")

    # Without `today`: 00:30 on 25 November in Asia/Shanghai is still the 24th in UTC. Someone born on
    # the 25th has been born (the office's day counts); someone born on the 26th has not.
    clock.move_to("2026-11-24T16:30:00Z")
    assert validate_id_number(born_on(datetime.date(2026, 11, 25))) is None
    with pytest.raises(ValidationError):
        validate_id_number(born_on(datetime.date(2026, 11, 26)))
    assert validate_id_number("11010519491231002X") is None


def test_birth_date_and_gender_are_read_from_the_number():
    assert birth_date_from_id("11010519491231002X") == datetime.date(1949, 12, 31)
    assert gender_from_id("11010519491231002X") == "female"  # 17th digit 2
    assert gender_from_id("110101199003074477") == "male"  # 17th digit 7
    assert birth_date_from_id("11010519491231002x") == datetime.date(1949, 12, 31)


@pytest.mark.parametrize("gender", ["male", "female"])
@pytest.mark.parametrize("sequence", [0, 37, 99])
def test_make_id_number_round_trips(gender, sequence):
    birth_date = datetime.date(1988, 7, 15)
    number = make_id_number(region="370402", birth_date=birth_date, sequence=sequence, gender=gender)
    assert len(number) == 18
    assert number.startswith("37040219880715")
    assert number[14:16] == f"{sequence:02d}"
    assert gender_from_id(number) == gender
    assert birth_date_from_id(number) == birth_date


@pytest.mark.parametrize(
    "kwargs",
    [
        {"region": "37040", "sequence": 1, "gender": "male"},
        {"region": "37040a", "sequence": 1, "gender": "male"},
        {"region": "370402", "sequence": 100, "gender": "male"},
        {"region": "370402", "sequence": -1, "gender": "male"},
        {"region": "370402", "sequence": 1, "gender": "m"},
    ],
)
def test_make_id_number_refuses_malformed_inputs(kwargs):
    with pytest.raises(ValueError):
        make_id_number(birth_date=datetime.date(1990, 1, 1), **kwargs)


def test_extracting_from_an_invalid_number_raises():
    with pytest.raises(ValidationError):
        birth_date_from_id("110105194912310021")
    with pytest.raises(ValidationError):
        gender_from_id("11010519491231002")


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("37040219900101123X", "370402********123X"),
        ("37040219900101123x", "370402********123X"),
        ("11010519491231002X", "110105********002X"),
        ("1234567890", "**********"),
        ("", ""),
    ],
)
def test_mask_keeps_region_and_last_four(value, masked):
    assert mask_id_number(value) == masked
