"""The statistics as rows a person reads: the page and the workbook show the same rows, in the reader's
language, each with the JSON key it comes from (`exits.expired`), so a reader can match them."""

from django.utils.translation import gettext_lazy as _

from corrections.constants import Category, CrimeChapter, Education, ExitReason, Gender, ManagementLevel
from supervision.constants import MeasureKind

AGE_BAND_LABELS = {
    "under_18": _("Under 18"),
    "18_45": _("18 to 45"),
    "46_60": _("46 to 60"),
    "61_plus": _("61 and over"),
}
BREAKDOWN_TITLES = {
    "by_category": (_("By category"), Category),
    "by_gender": (_("By gender"), Gender),
    "by_education": (_("By education"), Education),
    "by_age_band": (_("By age on the last day of the month"), AGE_BAND_LABELS),
    "by_crime_chapter": (_("By crime (chapter of the Criminal Law)"), CrimeChapter),
    "by_management_level": (_("By management level (today's level)"), ManagementLevel),
}


def _label(labels, code: str) -> str:
    if isinstance(labels, dict):
        return str(labels[code])
    return str(labels(code).label)


def figure_rows(statistics: dict) -> list[tuple[str, str, int | float]]:
    """`(key, label, value)` for every figure that is not a breakdown, in reading order."""
    rows: list[tuple[str, str, int | float]] = [
        ("opening", str(_("Under correction at the start of the month")), statistics["opening"]),
        ("intake", str(_("Taken in during the month")), statistics["intake"]),
    ]
    # Transfers from another district (corrections.transfers): absent from statistics signed before.
    if "transferred_in" in statistics:
        rows.append(
            ("transferred_in", str(_("Transferred in from another district")), statistics["transferred_in"])
        )
    for reason, count in statistics["exits"].items():
        rows.append(
            (f"exits.{reason}", str(_("Left: %(reason)s") % {"reason": ExitReason(reason).label}), count)
        )
    rows += [
        ("exits", str(_("Left during the month, in all")), sum(statistics["exits"].values())),
        ("closing", str(_("Under correction at the end of the month")), statistics["closing"]),
        ("absconded", str(_("Absconded on the last day of the month")), statistics["absconded"]),
    ]
    for kind, count in statistics["measures"].items():
        rows.append(
            (
                f"measures.{kind}",
                str(_("Measures decided: %(kind)s") % {"kind": MeasureKind(kind).label}),
                count,
            )
        )
    rows += [
        (
            "reoffended",
            str(_("Reoffended (proxy: probation or parole revoked in the month)")),
            statistics["reoffended"],
        ),
        ("report_compliance", str(_("Reports made on time (share)")), statistics["report_compliance"]),
        ("cumulative.received", str(_("Received since records began")), statistics["cumulative"]["received"]),
        ("cumulative.exited", str(_("Left since records began")), statistics["cumulative"]["exited"]),
    ]
    # Social forces (community): absent from statistics signed before they were counted.
    education = statistics.get("education")
    if education is not None:
        rows += [
            (
                "education.sessions",
                str(_("Education and assistance: activities held")),
                education["sessions"],
            ),
            ("education.hours", str(_("Education and assistance: participants' hours")), education["hours"]),
            (
                "education.participants",
                str(_("Education and assistance: people who took part")),
                education["participants"],
            ),
            (
                "education.employment_helped",
                str(_("People given employment help")),
                education["employment_helped"],
            ),
        ]
    return rows


def breakdown_sections(statistics: dict) -> list[tuple[str, str, list[tuple[str, str, int]]]]:
    """`(key, title, [(code, label, count), ...])` for each breakdown of the closing figure."""
    sections = []
    for key, (title, labels) in BREAKDOWN_TITLES.items():
        rows = [(code, _label(labels, code), count) for code, count in statistics[key].items()]
        sections.append((key, str(title), rows))
    return sections


# The figures whose label does not depend on a code (those with one are built in `figure_label`).
FIGURE_LABELS = {
    "opening": _("Under correction at the start of the month"),
    "intake": _("Taken in during the month"),
    "transferred_in": _("Transferred in from another district"),
    "exits": _("Left during the month, in all"),
    "closing": _("Under correction at the end of the month"),
    "absconded": _("Absconded on the last day of the month"),
    "reoffended": _("Reoffended (proxy: probation or parole revoked in the month)"),
    "report_compliance": _("Reports made on time (share)"),
    "cumulative.received": _("Received since records began"),
    "cumulative.exited": _("Left since records began"),
}


def figure_label(key: str) -> str:
    """The words of a figure's dotted key (`by_age_band.under_18` reads "By age on the last day of the
    month: Under 18"), as the monthly page labels its rows; an unknown key is returned as it is."""
    if key in FIGURE_LABELS:
        return str(FIGURE_LABELS[key])
    section, _dot, code = key.partition(".")
    try:
        if section == "exits":
            return str(_("Left: %(reason)s") % {"reason": ExitReason(code).label})
        if section == "measures":
            return str(_("Measures decided: %(kind)s") % {"kind": MeasureKind(code).label})
        if section in BREAKDOWN_TITLES:
            title, labels = BREAKDOWN_TITLES[section]
            return f"{title}: {_label(labels, code)}"
    except (KeyError, ValueError):
        pass
    return key
