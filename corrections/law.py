"""The one table of legal references the software cites.

Every message a person reads, every constant worth a comment and every data default that names an
article takes it from here (`law.COURT_DECIDES_REVOCATION`), so a wrong number is corrected once.
A `Ref` renders in the active language: "Community Correction Law art. 48 para. 1" in English,
"《社区矫正法》第四十八条第一款" in Chinese; `cite()` joins several.

Each entry below was checked, article by article (第N条, its 款 and 项), against the official texts
of the laws (the project's law folder: 社区矫正法 2019, 刑法 as amended, 刑事诉讼法 2018, and the
Supreme People's Court's 2021 interpretation of the Criminal Procedure Law). The 2020 Implementation
Measures (社区矫正法实施办法) were not available to check, so nothing here cites them; where a number
comes only from them it is data an administrator sets. `tests/corrections/test_law.py` holds the
checked list, so an entry added here without being checked fails.

This module lives in `corrections`, the lowest app that cites the law, so every app above can use it.
"""

from dataclasses import dataclass

from django.utils.translation import get_language

# Abbreviation: (English name, Chinese name). SPC: 最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释.
LAWS = {
    "CCL": ("Community Correction Law", "《社区矫正法》"),
    "CL": ("Criminal Law", "《刑法》"),
    "CPL": ("Criminal Procedure Law", "《刑事诉讼法》"),
    "SPC": (
        "the Supreme People's Court's Interpretation of the Criminal Procedure Law",
        "《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》",
    ),
}

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 48 → 四十八, 105 → 一百零五, 543 → 五百四十三 (up to 999)."""
    if not 0 < n < 1000:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if units:
        out += _DIGITS[units]
    return out


def _chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


@dataclass(frozen=True)
class Ref:
    """An article of a law, optionally one paragraph (款) and one numbered item (项) of it."""

    law: str
    article: int
    paragraph: int | None = None
    item: int | None = None

    def __post_init__(self):
        if self.law not in LAWS:
            raise ValueError(f"unknown law {self.law!r}")

    def english(self, *, with_law: bool = True) -> str:
        text = f"art. {self.article}"
        if self.paragraph:
            text += f" para. {self.paragraph}"
        if self.item:
            text += f"({self.item})"
        return f"{LAWS[self.law][0]} {text}" if with_law else text

    def chinese(self, *, with_law: bool = True) -> str:
        text = f"第{chinese_number(self.article)}条"
        if self.paragraph:
            text += f"第{chinese_number(self.paragraph)}款"
        if self.item:
            text += f"第（{chinese_number(self.item)}）项"
        return f"{LAWS[self.law][1]}{text}" if with_law else text

    def render(self, *, with_law: bool = True) -> str:
        return self.chinese(with_law=with_law) if _chinese() else self.english(with_law=with_law)

    def __str__(self) -> str:
        return self.render()


def cite(*refs: Ref) -> str:
    """Several references in the active language, the law named once per run of the same law:
    "Criminal Law art. 77; Community Correction Law art. 46", or
    "《刑法》第七十七条、《社区矫正法》第四十六条"."""
    parts, previous = [], None
    for ref in refs:
        parts.append(ref.render(with_law=ref.law != previous))
        previous = ref.law
    if _chinese():
        return "、".join(parts)
    out = parts[0] if parts else ""
    for ref, part in zip(refs[1:], parts[1:], strict=True):
        out += (", " if not part.startswith(LAWS[ref.law][0]) else "; ") + part
    return out


# --- Intake (CCL 20-22) ---------------------------------------------------------------------------
# The deciding agency notifies the institution within 5 days and delivers the documents within 10.
DECIDER_NOTIFIES_AND_DELIVERS = Ref("CCL", 20)
# Control, probation, parole: report within 10 days of the judgment or ruling taking effect.
REPORT_WITHIN_TEN_DAYS = Ref("CCL", 21, paragraph=1)
# Temporary execution decided by a court: the custodian hands over within 10 days of receiving it.
COURT_TEMPORARY_EXECUTION_HANDOVER = Ref("CCL", 21, paragraph=2)
# Temporary execution approved by a prison authority or the police: likewise.
APPROVED_TEMPORARY_EXECUTION_HANDOVER = Ref("CCL", 21, paragraph=3)
# Receipt, registration, the file and the announcement.
INTAKE_REGISTRATION = Ref("CCL", 22)

# --- The case in the community --------------------------------------------------------------------
REPORTING_DUTY = Ref("CCL", 23)
CORRECTION_TEAM = Ref("CCL", 25, paragraph=1)
# A female supervisee's team includes a woman.
TEAM_WOMAN_FOR_WOMAN = Ref("CCL", 25, paragraph=2)
LEAVE_NEEDS_APPROVAL = Ref("CCL", 27, paragraph=1)
TRANSFER_OF_PLACE = Ref("CCL", 27, paragraph=2)
# Admonition, warning, a police penalty, a revocation or recommitment proposal for a breach.
MEASURES_FOR_BREACH = Ref("CCL", 28)
# Electronic positioning (电子定位装置): on one of the five grounds of para. 1, approved by the head of
# the county-level justice administration; each of its items is a ground.
POSITIONING_GROUNDS = Ref("CCL", 29, paragraph=1)
# (1) violated a court's prohibition order;
POSITIONING_PROHIBITION_VIOLATED = Ref("CCL", 29, paragraph=1, item=1)
# (2) left the city or county of residence without approval and without a proper reason;
POSITIONING_LEFT_WITHOUT_APPROVAL = Ref("CCL", 29, paragraph=1, item=2)
# (3) refused to report their activities as required, and was warned for it;
POSITIONING_WARNED_FOR_NOT_REPORTING = Ref("CCL", 29, paragraph=1, item=3)
# (4) given a public-security penalty for breaching the supervision rules;
POSITIONING_PUBLIC_SECURITY_PENALTY = Ref("CCL", 29, paragraph=1, item=4)
# (5) about to be proposed for revocation of probation or parole, or for recommitment.
POSITIONING_REVOCATION_PENDING = Ref("CCL", 29, paragraph=1, item=5)
# At most three months; ended as soon as it is no longer needed; extended after an assessment, with
# approval, at most three months each time.
POSITIONING_TERM = Ref("CCL", 29, paragraph=2)
# What the device yields is kept strictly confidential and used only for community correction work.
POSITIONING_DATA_CONFIDENTIAL = Ref("CCL", 29, paragraph=3)
ABSCONDER_SEARCH = Ref("CCL", 30)
# A breach of the supervision rules or of a court's prohibition order in progress is stopped at once,
# and the police called when it cannot be.
BREACH_STOPPED = Ref("CCL", 31)
# Detention, compulsory drug rehabilitation or a criminal coercive measure: the agency notifies.
CUSTODY_NOTIFIED = Ref("CCL", 32)

# --- The end of correction ------------------------------------------------------------------------
# At the end of the period or on a pardon: the release certificate and the notices.
RELEASE = Ref("CCL", 44)
TERMINATION = Ref("CCL", 45)
# The court revokes probation and parole.
COURT_REVOKES = Ref("CCL", 46, paragraph=1)
# The proposal goes to the original trial court or the court of the place of execution, copied to
# the procuratorate.
REVOCATION_PROPOSAL_ADDRESSEE = Ref("CCL", 46, paragraph=3)
# An arrest request with a revocation proposal, decided within 48 hours.
ARREST_REQUEST = Ref("CCL", 47)
# Para. 1: when the person proposed for revocation may abscond or pose a danger to society, the
# correction agency may, together with the revocation proposal, ask the people's court to decide an
# arrest (to the court, not to the police).
ARREST_REQUEST_WITH_PROPOSAL = Ref("CCL", 47, paragraph=1)
# Para. 2: the court decides within 48 hours; the police execute an arrest; custody after the arrest
# may not exceed 30 days.
ARREST_DECIDED_BY_COURT = Ref("CCL", 47, paragraph=2)
ARREST_DECISION_HOURS = 48
ARREST_CUSTODY_LIMIT_DAYS = 30
# The court rules within 30 days of receiving the revocation proposal.
COURT_DECIDES_REVOCATION = Ref("CCL", 48, paragraph=1)
# Revoked: each day held after an arrest offsets one day of the sentence.
ARREST_CUSTODY_OFFSET = Ref("CCL", 48, paragraph=3)
# Not revoked: the police release an arrested person at once.
ARREST_RELEASE_IF_NOT_REVOKED = Ref("CCL", 48, paragraph=4)
# The proposal goes to the agency of the place of execution or the original deciding agency.
RECOMMITMENT_PROPOSAL_ADDRESSEE = Ref("CCL", 49, paragraph=1)
# The deciding agency decides within 30 days of receiving the recommitment proposal.
RECOMMITMENT_DECIDED = Ref("CCL", 49, paragraph=2)
DEATH = Ref("CCL", 51)

# --- Minors ---------------------------------------------------------------------------------------
# A minor's team includes someone versed in minors' physical and mental traits.
MINORS_TEAM = Ref("CCL", 52, paragraph=2)
MINORS_APART = Ref("CCL", 52, paragraph=3)
MINORS_IDENTITY_CONFIDENTIAL = Ref("CCL", 54, paragraph=1)
# A minor who turns 18 during correction stays under the minors' rules.
MINOR_STAYS_MINOR = Ref("CCL", 58)

# --- Police penalties and the procuratorate ------------------------------------------------------
POLICE_PENALTY = Ref("CCL", 59)
PROCURATORIAL_NOTICE = Ref("CCL", 62)

# --- Criminal Law ---------------------------------------------------------------------------------
# Prohibition orders (禁止令): with control, for its duration (CL 38 para. 2), and with probation, for
# the probation term (CL 72 para. 2): engaging in specified activities, entering specified areas or
# places, contacting specified persons.
CONTROL_PROHIBITION_ORDER = Ref("CL", 38, paragraph=2)
PROBATION_PROHIBITION_ORDER = Ref("CL", 72, paragraph=2)
# Control: a breach of the prohibition order is punished by the police under the Public Security
# Administration Punishments Law.
CONTROL_PROHIBITION_BREACH = Ref("CL", 38, paragraph=4)
PROBATION_REVOKED_NEW_CRIME = Ref("CL", 77, paragraph=1)
PROBATION_REVOKED_BREACH = Ref("CL", 77, paragraph=2)
PAROLE_REVOKED_NEW_CRIME = Ref("CL", 86, paragraph=1)
PAROLE_REVOKED_BREACH = Ref("CL", 86, paragraph=3)

# --- Criminal Procedure Law -----------------------------------------------------------------------
# Periods are counted in hours, days and months; the hour and the day on which one begins do not count.
PERIOD_COUNTING = Ref("CPL", 105, paragraph=2)
TEMPORARY_EXECUTION_GROUNDS = Ref("CPL", 265)
# A serious illness that requires medical parole is diagnosed, and its certificate issued, by a hospital
# the provincial government designates.
DESIGNATED_HOSPITAL = Ref("CPL", 265, paragraph=4)
RECOMMITMENT_GROUNDS = Ref("CPL", 268, paragraph=1)
# Recommitted promptly when the circumstances of temporary execution have ended and the term has not.
RECOMMITMENT_GROUND_ENDED = Ref("CPL", 268, paragraph=1, item=3)

# --- The Supreme People's Court's interpretation --------------------------------------------------
RECOMMITMENT_GROUNDS_DETAILED = Ref("SPC", 516)
# Unreported or out of contact for more than a month (item 2); two warnings (item 4).
PROBATION_REVOCATION_GROUNDS = Ref("SPC", 543, paragraph=1)
OUT_OF_CONTACT_OVER_A_MONTH = Ref("SPC", 543, paragraph=1, item=2)
TWO_WARNINGS_UNCORRECTED = Ref("SPC", 543, paragraph=1, item=4)
# Parole: items 2 and 4, or any other breach; the police-penalty ground (item 3) is left out.
PAROLE_REVOCATION_GROUNDS = Ref("SPC", 543, paragraph=2)
# Recommitment: left without approval or out of contact (item 2), two warnings (item 4).
RECOMMITMENT_OUT_OF_CONTACT = Ref("SPC", 516, item=2)
RECOMMITMENT_TWO_WARNINGS = Ref("SPC", 516, item=4)
# Medical parole: the re-examination of the illness not submitted as required, and not corrected after a
# warning (item 5); the circumstances of temporary execution ended with the term unserved (item 6).
RECOMMITMENT_NO_REEXAMINATION = Ref("SPC", 516, item=5)
RECOMMITMENT_GROUND_ENDED_DETAILED = Ref("SPC", 516, item=6)

TABLE = {name: value for name, value in dict(globals()).items() if isinstance(value, Ref)}
