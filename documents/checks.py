"""A system check: the official documents can be written on this machine (`manage.py check`, and the
deploy check CI runs). WeasyPrint needs Debian's Pango; without it, intake and release would fail when
they write their documents, so say so at start-up instead (scripts/system_packages.sh installs it)."""

import shutil
import subprocess

from django.core.checks import Warning, register


@register()
def documents_can_be_written(app_configs, **kwargs):
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return [
            Warning(
                f"Official documents cannot be written: WeasyPrint does not load ({error}).",
                hint="Install Debian's libpango-1.0-0 and libpangoft2-1.0-0 (scripts/system_packages.sh).",
                id="documents.W001",
            )
        ]
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10)  # noqa: S603, S607
        if not fonts.stdout.strip():
            return [
                Warning(
                    "Official documents would show no Chinese text: no Chinese font is installed.",
                    hint="Install Debian's fonts-wqy-microhei (scripts/system_packages.sh).",
                    id="documents.W002",
                )
            ]
    return []
