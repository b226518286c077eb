"""The Simplified Chinese catalogue is complete, and the compiled catalogue is the one Django uses.

`test_every_msgid_is_translated` extracts the msgids of the project's templates and Python code with
Django's own `makemessages` (so templates are read exactly as in production), run on a copy of the
sources into a temporary locale folder: the real catalogue is never touched. It then compares them
with locale/zh_Hans/LC_MESSAGES/django.po and names every msgid that is missing, untranslated or fuzzy.

Needs GNU gettext (xgettext, msgmerge) on the PATH, like `makemessages` itself; CI installs it.
"""

import gettext as gnu_gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tests.tools import require_tool

LOCALE = "zh_Hans"
CATALOGUE = Path(settings.BASE_DIR) / "locale" / LOCALE / "LC_MESSAGES" / "django.po"
# The same folders the Makefile's `makemessages` leaves out, plus what is never source.
IGNORED_DIRS = {".venv", "var", "tests", "locale", "docs", ".git", "node_modules", "__pycache__"}
# The file types `makemessages -d django` reads.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|\{\{\s*[\w.]+\s*\}\}")
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def label(self) -> str:
        text = repr(self.msgid) + (f" / {self.msgid_plural!r}" if self.msgid_plural else "")
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        where = f"  ({', '.join(self.references)})" if self.references else ""
        return context + text + where


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text)


def parse_po(text: str) -> list[Entry]:
    """A small reader of the PO format (enough for what xgettext and msgmerge write), so the test
    needs nothing beyond Django and gettext."""
    entries: list[Entry] = []
    entry = Entry()
    started = False
    current: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, started, current
        if started:
            entries.append(entry)
        entry, started, current = Entry(), False, None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith("|"):
                continue
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        elif line.startswith("#:"):
            entry.references.extend(line[2:].split())
            continue
        elif line.startswith("#"):
            continue
        match = KEYWORD.match(line)
        if match:
            keyword, index, value = match.groups()
            if keyword == "msgid" and started and entry.msgstr:
                finish()  # an entry without a blank line before it
            started = True
            if keyword.startswith("msgstr"):
                current = ("msgstr", int(index) if index is not None else 0)
                entry.msgstr[current[1]] = _unescape(value)
            else:
                current = (keyword, None)
                setattr(entry, keyword, _unescape(value))
            continue
        if line.startswith('"') and line.endswith('"') and current is not None:
            value = _unescape(line[1:-1])
            name, index = current
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, (getattr(entry, name) or "") + value)
            continue
        raise ValueError(f"Cannot read this line of the catalogue: {raw!r}")
    finish()
    return entries


def _active(entries: list[Entry]) -> dict[tuple, Entry]:
    """Entries in use, keyed by (context, msgid, plural); the header (msgid "") is left out."""
    return {entry.key: entry for entry in entries if not entry.obsolete and entry.msgid}


def _copy_sources(destination: Path) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        return {
            name
            for name in names
            if name in IGNORED_DIRS
            or name.startswith(".")
            or ((here / name).is_file() and Path(name).suffix not in SOURCE_SUFFIXES)
        }

    shutil.copytree(settings.BASE_DIR, destination, ignore=ignore, symlinks=False)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[tuple, Entry]:
    """The msgids the code and templates use now, as `makemessages` finds them."""
    require_tool("xgettext", install="apt-get install -y gettext")
    root = tmp_path_factory.mktemp("i18n")
    sources = root / "src"
    _copy_sources(sources)
    locale_dir = sources / "locale"
    locale_dir.mkdir()
    # makemessages reads from the current folder and writes into the first of LOCALE_PATHS.
    with pytest.MonkeyPatch.context() as patch, override_settings(LOCALE_PATHS=[str(locale_dir)]):
        patch.chdir(sources)
        call_command(
            "makemessages",
            locale=[LOCALE],
            domain="django",
            ignore_patterns=sorted(IGNORED_DIRS),
            verbosity=0,
        )
    generated = locale_dir / LOCALE / "LC_MESSAGES" / "django.po"
    return _active(parse_po(generated.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def catalogue() -> dict[tuple, Entry]:
    assert CATALOGUE.exists(), f"{CATALOGUE} is missing: run makemessages -l {LOCALE}"
    return _active(parse_po(CATALOGUE.read_text(encoding="utf-8")))


def test_the_extraction_finds_the_project_strings(extracted):
    # Guards the test itself: an extraction that found nothing would pass everything below.
    msgids = {msgid for _context, msgid, _plural in extracted}
    assert {"Caseload", "Sign in", "Probation"} <= msgids


def test_every_msgid_is_translated(extracted, catalogue):
    missing = [entry.label() for key, entry in extracted.items() if key not in catalogue]
    untranslated = [
        entry.label()
        for key, entry in extracted.items()
        if key in catalogue and not _translated(catalogue[key])
    ]
    fuzzy = [entry.label() for entry in catalogue.values() if "fuzzy" in entry.flags]
    problems = []
    if missing:
        problems.append("Missing from the catalogue (run makemessages):\n  " + "\n  ".join(missing))
    if untranslated:
        problems.append("Not translated:\n  " + "\n  ".join(untranslated))
    if fuzzy:
        problems.append("Marked fuzzy (check the translation, then drop the flag):\n  " + "\n  ".join(fuzzy))
    if problems:
        # pytrace=False: the message names the msgids; the parsed catalogues would only bury them.
        pytest.fail(
            f"{CATALOGUE.relative_to(settings.BASE_DIR)} is incomplete. Run\n"
            f"  python manage.py makemessages -l {LOCALE} --ignore=.venv --ignore=var --ignore=tests\n"
            "translate every entry, then python manage.py compilemessages --ignore=.venv\n\n"
            + "\n\n".join(problems),
            pytrace=False,
        )


def _translated(entry: Entry) -> bool:
    if entry.msgid_plural is None:
        return bool(entry.msgstr.get(0))
    # Chinese has one plural form (nplurals=1): msgstr[0] serves every count.
    return bool(entry.msgstr) and all(entry.msgstr.values())


def test_translations_keep_their_placeholders(catalogue):
    wrong = []
    for entry in catalogue.values():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for translation_text in entry.msgstr.values():
            if translation_text and sorted(PLACEHOLDER.findall(translation_text)) != expected:
                wrong.append(f"{entry.label()}: {translation_text!r}")
    if wrong:
        pytest.fail("Placeholders differ from the msgid:\n  " + "\n  ".join(wrong), pytrace=False)


def test_catalogue_header_declares_one_plural_form():
    header = next(entry for entry in parse_po(CATALOGUE.read_text(encoding="utf-8")) if entry.msgid == "")
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    assert "fuzzy" not in header.flags


def test_compiled_catalogue_matches_the_po(catalogue):
    """Fails when the .mo is missing or older than the .po: run `python manage.py compilemessages`."""
    compiled_path = CATALOGUE.with_suffix(".mo")
    assert compiled_path.exists(), f"{compiled_path} is missing: run python manage.py compilemessages"
    with compiled_path.open("rb") as handle:
        compiled = gnu_gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue.values():
        if "fuzzy" in entry.flags or not _translated(entry):
            continue
        if entry.msgid_plural is not None:
            found = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
        elif entry.msgctxt is not None:
            found = compiled.pgettext(entry.msgctxt, entry.msgid)
        else:
            found = compiled.gettext(entry.msgid)
        if found != entry.msgstr[0]:
            stale.append(entry.label())
    if stale:
        pytest.fail(
            "The compiled catalogue is older than django.po; run\n"
            "  python manage.py compilemessages --ignore=.venv\n"
            "Not compiled yet:\n  " + "\n  ".join(stale),
            pytrace=False,
        )


def test_compiled_catalogue_is_active():
    """Fails when the .mo is missing or stale: run `python manage.py compilemessages --ignore=.venv`."""
    with translation.override("zh-hans"):
        assert translation.gettext("Caseload") == "矫正对象列表"
        assert translation.gettext("Probation") == "缓刑"
        assert translation.ngettext("%(n)s case", "%(n)s cases", 3) % {"n": 3} == "共 3 件"
    with translation.override("en"):
        assert translation.gettext("Caseload") == "Caseload"


def test_a_persons_name_is_xingming_and_an_organisations_mingcheng():
    from accounts.models import Agency, District
    from corrections.models import CorrectionTeamMember, Supervisee

    def label(model):
        return str(model._meta.get_field("name").verbose_name)

    with translation.override("zh-hans"):
        assert [label(m) for m in (Supervisee, CorrectionTeamMember)] == ["姓名", "姓名"]
        assert [label(m) for m in (Agency, District)] == ["名称", "名称"]
        assert translation.pgettext("person", "Name") == "姓名"
    with translation.override("en"):
        assert {label(m) for m in (Supervisee, CorrectionTeamMember, Agency, District)} == {"name"}
