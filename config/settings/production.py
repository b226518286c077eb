"""Production: no default secret key, DEBUG off, HTTPS only. Passes
`manage.py check --deploy --fail-level WARNING` (.ci/run checks it);
https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")

# Persistent database connections: a new one per request is a PostgreSQL backend started and torn down per
# request (issue 14: a check-in POST is a dozen short statements). Each gunicorn thread keeps its own
# (config/gunicorn.py); the health check replaces one the database closed, before the request uses it.
# https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections
for _alias in DATABASES:  # noqa: F405
    DATABASES[_alias]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)  # noqa: F405
    DATABASES[_alias]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Static files from the application itself (an office's server has no CDN and no separate web server to
# configure): whitenoise, right after SecurityMiddleware as its docs ask, serving what `collectstatic`
# put in STATIC_ROOT when the image was built, with hashed names (cached for ever) and compressed copies.
# https://whitenoise.readthedocs.io/en/stable/django.html
_after = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1  # noqa: F405
_whitenoise = "whitenoise.middleware.WhiteNoiseMiddleware"
MIDDLEWARE = [*MIDDLEWARE[:_after], _whitenoise, *MIDDLEWARE[_after:]]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS only: plain HTTP is redirected, except the probes, which load balancers call over HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Behind a proxy that ends TLS, the application sees plain HTTP: believe the proxy's
# X-Forwarded-Proto, and only when it is the proxy that sets it (it must drop any the client sent).
if env.bool("TLS_TERMINATED_BY_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS: browsers refuse plain HTTP to this host for a year. Preload only declares consent to the
# browsers' preload list; nothing is listed unless someone submits the domain.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
