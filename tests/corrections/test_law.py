"""The table of legal references (corrections/law.py): every entry is one that was checked against the
laws' texts, and each renders in both languages."""

import pytest
from django.utils import translation

from corrections import law

# Checked by hand against the texts (社区矫正法 2019, 刑法, 刑事诉讼法 2018, the SPC's 2021 interpretation):
# the article exists, has that paragraph (款) and item (项), and says what the table's comment says.
# The repository's tests must pass without the texts, so the check is this list, not a parser.
CHECKED = {
    ("CCL", 20, None, None),
    ("CCL", 21, 1, None),
    ("CCL", 21, 2, None),
    ("CCL", 21, 3, None),
    ("CCL", 22, None, None),
    ("CCL", 23, None, None),
    ("CCL", 25, 1, None),
    ("CCL", 25, 2, None),
    ("CCL", 27, 1, None),
    ("CCL", 27, 2, None),
    ("CCL", 28, None, None),
    ("CCL", 29, 1, None),
    ("CCL", 29, 1, 1),
    ("CCL", 29, 1, 2),
    ("CCL", 29, 1, 3),
    ("CCL", 29, 1, 4),
    ("CCL", 29, 1, 5),
    ("CCL", 29, 2, None),
    ("CCL", 29, 3, None),
    ("CCL", 30, None, None),
    ("CCL", 31, None, None),
    ("CCL", 32, None, None),
    ("CCL", 44, None, None),
    ("CCL", 45, None, None),
    ("CCL", 46, 1, None),
    ("CCL", 46, 3, None),
    ("CCL", 47, None, None),
    ("CCL", 47, 1, None),
    ("CCL", 47, 2, None),
    ("CCL", 48, 1, None),
    ("CCL", 48, 3, None),
    ("CCL", 48, 4, None),
    ("CCL", 49, 1, None),
    ("CCL", 49, 2, None),
    ("CCL", 51, None, None),
    ("CCL", 52, 2, None),
    ("CCL", 52, 3, None),
    ("CCL", 54, 1, None),
    ("CCL", 58, None, None),
    ("CCL", 59, None, None),
    ("CCL", 62, None, None),
    ("CL", 38, 2, None),
    ("CL", 38, 4, None),
    ("CL", 72, 2, None),
    ("CL", 77, 1, None),
    ("CL", 77, 2, None),
    ("CL", 86, 1, None),
    ("CL", 86, 3, None),
    ("CPL", 105, 2, None),
    ("CPL", 265, None, None),
    ("CPL", 265, 4, None),
    ("CPL", 268, 1, None),
    ("CPL", 268, 1, 3),
    ("SPC", 516, None, None),
    ("SPC", 516, None, 2),
    ("SPC", 516, None, 4),
    ("SPC", 516, None, 5),
    ("SPC", 516, None, 6),
    ("SPC", 543, 1, None),
    ("SPC", 543, 1, 2),
    ("SPC", 543, 1, 4),
    ("SPC", 543, 2, None),
}


@pytest.mark.parametrize("name", sorted(law.TABLE))
def test_every_reference_in_the_table_was_checked_against_the_texts(name):
    ref = law.TABLE[name]
    assert (ref.law, ref.article, ref.paragraph, ref.item) in CHECKED, name


def test_the_table_is_not_empty_and_holds_the_court_s_thirty_days():
    assert len(law.TABLE) >= 30
    assert law.Ref("CCL", 48, paragraph=1) == law.COURT_DECIDES_REVOCATION
    assert law.ARREST_REQUEST.article == 47


def test_a_reference_renders_in_both_languages():
    with translation.override("en"):
        assert str(law.COURT_DECIDES_REVOCATION) == "Community Correction Law art. 48 para. 1"
        assert str(law.OUT_OF_CONTACT_OVER_A_MONTH).endswith("art. 543 para. 1(2)")
    with translation.override("zh-hans"):
        assert str(law.COURT_DECIDES_REVOCATION) == "《社区矫正法》第四十八条第一款"
        assert str(law.MINOR_STAYS_MINOR) == "《社区矫正法》第五十八条"
        assert law.OUT_OF_CONTACT_OVER_A_MONTH.chinese(with_law=False) == "第五百四十三条第一款第（二）项"


def test_cite_names_each_law_once_per_run():
    with translation.override("en"):
        assert law.cite(law.PROBATION_REVOKED_BREACH, law.COURT_REVOKES) == (
            "Criminal Law art. 77 para. 2; Community Correction Law art. 46 para. 1"
        )
        assert law.cite(law.PROBATION_REVOKED_NEW_CRIME, law.PAROLE_REVOKED_BREACH) == (
            "Criminal Law art. 77 para. 1, art. 86 para. 3"
        )
    with translation.override("zh-hans"):
        assert law.cite(law.PROBATION_REVOKED_NEW_CRIME, law.PAROLE_REVOKED_BREACH) == (
            "《刑法》第七十七条第一款、第八十六条第三款"
        )


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (48, "四十八"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (265, "二百六十五"),
        (543, "五百四十三"),
    ],
)
def test_chinese_numbers(n, text):
    assert law.chinese_number(n) == text


def test_an_unknown_law_is_refused():
    with pytest.raises(ValueError):
        law.Ref("XYZ", 1)
