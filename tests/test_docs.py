"""The repository explains itself: docs/api.md is the OpenAPI document as it is now, and every relative
link in README.md and docs/*.md leads somewhere that exists. No database: the API reference is built
from the code alone."""

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([BASE_DIR / "README.md", *(BASE_DIR / "docs").glob("*.md")])
# [text](target) and ![alt](target); the target ends at the first space (a title may follow) or ")".
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXPLICIT_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def _generate(*args: str) -> subprocess.CompletedProcess:
    # A process of its own: the reference is made for the production database backend (the schema's
    # integer bounds depend on it), whatever this test run's database is.
    return subprocess.run(  # noqa: S603
        [sys.executable, str(BASE_DIR / "scripts" / "api_reference.py"), *args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )


def test_api_reference_is_current():
    """docs/api.md is what scripts/api_reference.py makes of today's OpenAPI document."""
    result = _generate("--check")
    assert result.returncode == 0, result.stderr or "docs/api.md is stale: run make docs"


def test_api_reference_is_deterministic(tmp_path):
    first, second = tmp_path / "first.md", tmp_path / "second.md"
    assert _generate("--output", str(first)).returncode == 0
    assert _generate("--output", str(second)).returncode == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    assert "next_report_due" in first.read_text(encoding="utf-8")


def _prose_lines(text: str):
    """Lines outside fenced code blocks, with inline code spans blanked (a link there is an example)."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, re.sub(r"`[^`]*`", "``", line)


def _github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces made hyphens."""
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in ("L", "N") or c.isalnum())
    return kept.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    anchors = set(EXPLICIT_ANCHOR.findall(text))
    seen: dict[str, int] = {}
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            slug = _github_slug(match.group(2))
            count = seen.get(slug, 0)
            anchors.add(slug if count == 0 else f"{slug}-{count}")
            seen[slug] = count + 1
    return anchors


def _links(path: Path):
    for number, line in _prose_lines(path.read_text(encoding="utf-8")):
        for target in LINK.findall(line):
            yield number, target


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_relative_links_resolve(document):
    broken = []
    for number, target in _links(document):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:: not ours to check
            continue
        file_part, _hash, anchor = target.partition("#")
        destination = (document.parent / file_part).resolve() if file_part else document
        where = f"{document.relative_to(BASE_DIR)}:{number}: {target}"
        if not destination.exists():
            broken.append(f"{where} (no such file)")
        elif anchor and destination.suffix == ".md" and anchor not in _anchors(destination):
            broken.append(f"{where} (no such anchor)")
    assert not broken, "broken links:\n" + "\n".join(broken)
