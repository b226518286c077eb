#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if sys.argv[1:2] == ["migrate"]:
        # Migrations run as the role that owns the tables (DATABASE_OWNER_URL, where set), never as the
        # application's (README "Database roles"; config/settings/base.py).
        os.environ.setdefault("DJANGO_DB_ROLE", "owner")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
