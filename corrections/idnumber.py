"""Resident identity card numbers (公民身份号码), GB 11643-1999.

An 18-character number: a 6-digit administrative region code (GB/T 2260), the birth date as YYYYMMDD,
a 3-digit sequence whose last digit is odd for men and even for women, and an ISO 7064 MOD 11-2
check character (0-9 or X).

Lower-case x: `validate_id_number` accepts a lower-case trailing x as valid, because clerks type it
that way and it names the same number; the model and the services store `normalize_id_number(value)`,
so a stored number always ends in an upper-case X. Whitespace is not accepted by the validator (a
stored value must not contain it); `normalize_id_number` removes it from typed input first.

Every function here is pure: no database, no settings beyond translation.
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_NUMBER_LENGTH = 18

# GB 11643-1999 section 7: weight of position i is 2**(17 - i) mod 11, and the check character is
# chosen so that the weighted sum of all 18 positions is 1 mod 11.
CHECKSUM_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"

# GB/T 2260: province-level codes of the PRC (the first two digits of the region code).
PROVINCE_CODES = frozenset(
    {
        *(str(code) for code in range(11, 16)),  # Beijing, Tianjin, Hebei, Shanxi, Inner Mongolia
        *(str(code) for code in range(21, 24)),  # Liaoning, Jilin, Heilongjiang
        *(str(code) for code in range(31, 38)),  # Shanghai ... Shandong
        *(str(code) for code in range(41, 47)),  # Henan ... Hainan
        *(str(code) for code in range(50, 55)),  # Chongqing, Sichuan, Guizhou, Yunnan, Tibet
        *(str(code) for code in range(61, 66)),  # Shaanxi, Gansu, Qinghai, Ningxia, Xinjiang
        "71",  # Taiwan
        "81",  # Hong Kong
        "82",  # Macao
    }
)
# Hong Kong, Macao and Taiwan are coded only at the province level (810000, 820000, 710000): residence
# permits of their residents carry such a code. Everywhere else a region ending in 0000 names a whole
# province, never a person's registered residence.
_PROVINCE_ONLY_REGIONS = frozenset({"71", "81", "82"})

EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)

_WELL_FORMED = re.compile(r"[0-9]{17}[0-9X]")
_WHITESPACE = re.compile(r"\s+")


def normalize_id_number(value: str) -> str:
    """Return the number as it is stored: no spaces, full-width digits made ASCII, upper-case X."""
    # NFKC turns full-width digits and letters (typed with a Chinese input method) into ASCII ones.
    text = _WHITESPACE.sub("", unicodedata.normalize("NFKC", value or ""))
    if text.endswith("x"):
        text = text[:-1] + "X"
    return text


def check_character(*, first_17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    if len(first_17) != 17 or not first_17.isascii() or not first_17.isdigit():
        raise ValueError("check_character needs exactly 17 ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(first_17, CHECKSUM_WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def _today_in_office() -> datetime.date:
    # Days are counted in the office's time zone (docs/rules.md#time-the-offices-day, Time).
    from config.office_time import office_today

    return office_today()


def _parse_birth_date(number: str) -> datetime.date | None:
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str, *, today: datetime.date | None = None) -> None:
    """Raise ValidationError (a plain message, usable as a model field validator) unless `value` is a
    plausible resident ID number. A lower-case trailing x is accepted (see the module docstring).

    `today` is for tests; by default it is today in the office's time zone.
    """
    number = value[:-1] + value[-1:].upper() if value else ""
    if len(number) != ID_NUMBER_LENGTH:
        raise ValidationError(
            _("An ID number must have 18 characters; this one has %(length)d."),
            code="id_number_length",
            params={"length": len(number)},
        )
    if not _WELL_FORMED.fullmatch(number):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or the letter X."),
            code="id_number_characters",
        )
    province, rest_of_region = number[:2], number[2:6]
    if province not in PROVINCE_CODES or (
        rest_of_region == "0000" and province not in _PROVINCE_ONLY_REGIONS
    ):
        raise ValidationError(
            _("The first six digits of the ID number (%(region)s) are not a region code of China."),
            code="id_number_region",
            params={"region": number[:6]},
        )
    birth_date = _parse_birth_date(number)
    if birth_date is None:
        raise ValidationError(
            _("The birth date in the ID number (%(digits)s) is not a real date."),
            code="id_number_birth_date",
            params={"digits": number[6:14]},
        )
    today = today or _today_in_office()
    if birth_date > today or birth_date < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _(
                "The birth date in the ID number (%(birth_date)s) must be between 1900-01-01 and today "
                "(%(today)s)."
            ),
            code="id_number_birth_date_range",
            params={"birth_date": birth_date.isoformat(), "today": today.isoformat()},
        )
    if check_character(first_17=number[:17]) != number[17]:
        raise ValidationError(
            _("ID number checksum does not match: check the digits for a typing mistake."),
            code="id_number_checksum",
        )


def birth_date_from_id(value: str) -> datetime.date:
    """The birth date encoded in a valid ID number; raises ValidationError for an invalid one."""
    number = normalize_id_number(value)
    validate_id_number(number)
    birth_date = _parse_birth_date(number)
    assert birth_date is not None  # validate_id_number refused an impossible date
    return birth_date


def gender_from_id(value: str) -> str:
    """Return "male" when the 17th digit is odd, "female" when it is even (GB 11643-1999 section 6.3)."""
    number = normalize_id_number(value)
    validate_id_number(number)
    return "male" if int(number[16]) % 2 == 1 else "female"


def make_id_number(*, region: str, birth_date: datetime.date, sequence: int, gender: str) -> str:
    """Build an ID number with a correct check character, for demo data and tests.

    The third sequence digit carries the gender: 1 for a man, 2 for a woman. Only the shape of the inputs
    is checked, not their plausibility, so tests can build numbers that `validate_id_number` refuses for
    their region or birth date while the checksum is right.
    """
    if len(region) != 6 or not region.isascii() or not region.isdigit():
        raise ValueError("region must be 6 digits")
    if not 0 <= sequence <= 99:
        raise ValueError("sequence must be between 0 and 99")
    if gender not in ("male", "female"):
        raise ValueError('gender must be "male" or "female"')
    gender_digit = "1" if gender == "male" else "2"
    first_17 = (
        f"{region}{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}{sequence:02d}{gender_digit}"
    )
    return first_17 + check_character(first_17=first_17)


def mask_id_number(value: str) -> str:
    """Keep the region (first 6) and the last 4 characters: "370402********123X".

    A value too short to keep anything hidden is masked entirely.
    """
    number = normalize_id_number(value)
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# What a search box holds when it is after an ID number: the number or its beginning, at least the
# six digits of a region (corrections.selectors matches these from the left).
ID_NUMBER_LIKE = re.compile(r"^\d{6,17}[\dXx]?$")
# A whole 18-character number standing alone inside other text (a note, a filter, a file name).
_ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def mask_id_numbers_in(text: str) -> str:
    """`text` with every whole ID number in it masked as `mask_id_number` does: the audit trail's
    last line of defence (registered with accounts.services by corrections.apps)."""
    return _ID_NUMBER_IN_TEXT.sub(lambda match: mask_id_number(match.group()), text)


def mask_search_text(q: str) -> str:
    """A search as the audit trail keeps it: a query that is an ID number or the start of one is
    masked (the trail is read by more people than the case is), and any whole number inside other text."""
    text = q.strip()
    if ID_NUMBER_LIKE.match(text):
        return mask_id_number(text)
    return mask_id_numbers_in(q)
