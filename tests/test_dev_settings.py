"""`make run` (config/settings/dev.py) answers a missing page with the application's own 404, not
Django's debug page listing every URL pattern."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import django, json
django.setup()
from django.conf import settings
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
response = Client().get("/no-such-page/")
print(json.dumps([settings.DEBUG, response.status_code, response.content.decode()]))
"""


def test_the_dev_settings_show_the_applications_404(tmp_path):
    environment = {name: value for name, value in os.environ.items() if name != "DJANGO_DEBUG"}
    environment |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        # Its own database file, so that the developer's var/db.sqlite3 is never touched.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr[-2000:]
    debug, status, html = json.loads(run.stdout.strip().splitlines()[-1])
    assert (debug, status) == (False, 404)
    assert "URLconf" not in html and "supervisees/" not in html
    assert "页面不存在" in html  # templates/404.html, in the default language
