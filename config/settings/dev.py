"""Settings for `make run` on a developer's or office's own machine.

DEBUG stays off unless DJANGO_DEBUG=true. `make run` is also how a small office runs the system, and
Django's debug pages answer a mistyped address with every URL pattern of the application and an error
with the settings and the local variables of the request (supervisees' names and ID numbers among
them). With DEBUG off, a missing page is the application's own 404 (templates/404.html), an error its
own 500 page with the traceback in the terminal, and `make run` serves the static files itself
(`runserver --insecure`). A developer who wants the debug pages sets DJANGO_DEBUG=true.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# A local-only key for the embedded default; production.py has no default.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-not-secret-correction-case-system")
