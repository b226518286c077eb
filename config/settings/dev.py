"""Settings for `make run` on a developer's or office's own machine."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A local-only key for the embedded default; production.py has no default.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-not-secret-correction-case-system")
