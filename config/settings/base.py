"""Settings shared by every environment, read from the environment with django-environ.

Every variable is listed in `.env.example`. With none set, the project runs on embedded defaults:
SQLite under `var/` and a Celery broker on the file system (no server needed).
"""

import datetime as dt
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Each environment sets SECRET_KEY: dev and test have local defaults, production requires it.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "import_export",
    "axes",
    "csp",
    # Our apps, in the one direction imports may point (README.md#where-things-are):
    # accounts <- corrections <- documents <- supervision <- coordination <- community <- reports
    # <- workspace
    "accounts",
    "corrections",
    "documents",
    "supervision",
    "coordination",
    "community",
    "reports",
    "workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After both: signs out a session past its limits, with a message saying why.
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A query parameter refused by config.params on a page or an export: 400 naming it, not 500.
    "config.middleware.BadInputMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp, https://django-csp.readthedocs.io/en/latest/configuration.html):
# everything from this origin only (offices run on closed networks: nothing comes from the internet),
# no inline script or style unless it carries the response's nonce ({{ CSP_NONCE }}), no plugins, no
# framing, forms post only here. data: images are Swagger UI's icons (its stylesheet embeds them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Cache-Control: no-store on pages and answers that carry personal data (config.middleware): case
# pages, the API, the exports. A shared computer's browser cache must not keep them.
NO_STORE_PATH_PREFIXES = ("/supervisees/", "/api/v1/", "/reports/exports/")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server's threads and the worker write the one file at once (`make run`). Django's SQLite
    # notes (https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes):
    # - transaction_mode IMMEDIATE: a transaction takes the write lock when it begins. With the default
    #   (DEFERRED) one that read first and writes later cannot upgrade its lock while another writes, and
    #   SQLite answers "database is locked" at once, without waiting out the timeout.
    # - timeout: how long a writer waits for the lock (seconds) before giving up.
    # - init_command, run on each new connection: WAL, so readers never wait for the writer nor it for
    #   them; synchronous=NORMAL, SQLite's advice for WAL (https://www.sqlite.org/wal.html): a commit
    #   survives the application crashing; a power cut may lose the last commits, never the file.
    #   Production runs PostgreSQL; this is the embedded default of a small office.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two database roles on PostgreSQL (README "Database roles", accounts/db_roles.py): the application
# connects as DATABASE_URL's role, which may only read and add audit rows; DATABASE_OWNER_URL's role owns
# the tables and runs migrations. DJANGO_DB_ROLE=owner (which manage.py sets for `migrate`) connects as
# the owner instead. Without DATABASE_OWNER_URL (SQLite, or one role for both) nothing changes.
DATABASE_APP_ROLE = DATABASES["default"].get("USER", "")
DATABASE_OWNER = env.db("DATABASE_OWNER_URL") if env("DATABASE_OWNER_URL", default="") else None
DATABASE_ROLE = env("DJANGO_DB_ROLE", default="") or "app"
if DATABASE_ROLE not in ("app", "owner"):
    raise ImproperlyConfigured("DJANGO_DB_ROLE is app (the default) or owner")
if DATABASE_OWNER and DATABASE_ROLE == "owner":
    DATABASES["default"].update(
        {key: DATABASE_OWNER[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}
    )

# A read replica for the statistics and the exports (config/db_router.py): set DATABASE_REPLICA_URL to
# the replica's URL (the application role's, read-only there). Unset: everything reads `default`.
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
READ_REPLICA_ENABLED = "replica" in DATABASES
# No JIT compilation on PostgreSQL, for every connection (issue 14's plans at 700,000 people): this
# application's statements are short lookups and the counts of the statistics and the sweep, whose costs
# pass jit_above_cost; JIT then compiled each (hundreds of conditional aggregates in the statistics, one
# sweep statement per district) for as long as it ran, or longer: 22 s of the /reports/ page, 0.1-0.2 s per
# sweep statement. https://www.postgresql.org/docs/15/jit-decision.html
for _database in DATABASES.values():
    if _database["ENGINE"].startswith("django.db.backends.postgresql"):
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked (right or wrong).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# guardian: no anonymous user row; every view requires sign-in.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"

# Proxies whose X-Forwarded-For is believed (addresses or networks, e.g. 10.0.0.5,10.1.0.0/16); with none,
# the client is REMOTE_ADDR whatever the headers say (accounts.receivers.client_ip).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Sign-in lockout (API.md "Operating"), https://django-axes.readthedocs.io/en/latest/4_configuration.html:
# after 5 failures for one username within 15 minutes the next attempt, right or wrong, is refused for
# 15 minutes, from any address (the count is by username only).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Attempts refused during the lockout do not restart it: it ends 15 minutes after the fifth failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "accounts.receivers.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.sign_in.sign_in_locked_out"
# Successful sign-ins are already in the audit trail (accounts.receivers); no second copy.
AXES_DISABLE_ACCESS_LOG = True
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Store UTC, compute days in the office's time zone (docs/rules.md#time-the-offices-day): this one setting
# names it, and config/office_time.py is the one module that reads it.
USE_TZ = True
OFFICE_TIME_ZONE = env("OFFICE_TIME_ZONE", default="Asia/Shanghai")
TIME_ZONE = OFFICE_TIME_ZONE
USE_I18N = True
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # `Authorization: Token <token>` as API.md says: django-rest-knox's tokens, expiry and is_active,
        # read with the user's agency in one query (accounts.authentication says what differs from knox's).
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every view states what else it needs.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Bodies are JSON (API.md "Conventions"), 415 otherwise. DRF's default also reads form and multipart
    # bodies, which cannot carry a nested object or a list: a PATCH of a case sent as a form had its
    # `sentence` dropped without a word. The one upload (referral attachments) names its own parser.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DATE_FORMAT": "iso-8601",
    "DATETIME_FORMAT": "iso-8601",
    "DEFAULT_THROTTLE_RATES": {"sign_in": env("SIGN_IN_RATE", default="30/min")},
    # Throttles key on REMOTE_ADDR, never on a client-sent X-Forwarded-For (DRF's default with None);
    # the sign-in throttle uses client_ip, which believes the header from TRUSTED_PROXIES only.
    "NUM_PROXIES": 0,
}
# API tokens (API.md "Operating"): expire API_TOKEN_TTL_HOURS after sign-in, and die with a password
# change or a disabled user (accounts.receivers). https://jazzband.github.io/django-rest-knox/settings/
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=12)
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=API_TOKEN_TTL_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,  # an expiry that use pushes back would never come for a busy script
}
# Browser sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after sign-in
# (accounts.middleware.SessionLifetimeMiddleware). The cookie and the stored session last the idle time;
# the middleware renews them as the user works.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60

SPECTACULAR_SETTINGS = {
    "TITLE": "Community correction case system API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Every operation's 4xx answers (docs/api.md#conventions), added in one place: config/schema.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.add_error_responses",
    ],
    # Assets come from drf-spectacular-sidecar, served by the application (no CDN: closed networks).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("kind", "role", "status") get one stable name each, instead of
    # a hash suffix that changes when a choice does (https://drf-spectacular.readthedocs.io/en/latest/faq.html).
    "ENUM_NAME_OVERRIDES": {
        "ActivityKindEnum": "community.constants.ActivityKind",
        "AgencyKindEnum": "accounts.constants.AgencyKind",
        "ArrestGroundEnum": "coordination.constants.ArrestGround",
        "CheckInKindEnum": "supervision.constants.CheckInKind",
        "CustodyGroundEnum": "corrections.constants.CustodyGround",
        "MedicalReportKindEnum": "supervision.constants.MedicalReportKind",
        "PermitStatusEnum": "supervision.constants.PermitStatus",
        "PositioningGroundEnum": "supervision.constants.PositioningGround",
        "ProviderKindEnum": "community.constants.ProviderKind",
        "SuperviseeStatusEnum": "corrections.constants.Status",
        "TeamRoleEnum": "corrections.models.TeamRole",
    },
}

# Celery: https://docs.celeryq.dev/en/stable/userguide/configuration.html
REDIS_URL = env("REDIS_URL", default="")
# With Redis, a message a worker has taken waits in Redis's unacked set until the worker acknowledges it
# (acks_late: when the task ends). If the worker dies first (kill -9, power cut), another worker, or the
# same one restarted, takes the message back once it is this many seconds old: the bound on how late a
# killed worker's task runs again. It must stay above every task's hard time limit and retry countdown, or
# a task still running is delivered a second time (tests/supervision/test_worker_faults.py checks this):
# the longest today are the ledger import's 30 minutes and the sweep's 35, hence 40.
# https://docs.celeryq.dev/en/stable/getting-started/backends-and-brokers/redis.html#visibility-timeout
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=2400)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
else:
    # A broker that needs no server (README.md#the-two-commands): kombu's filesystem transport under var/.
    # CELERY_BROKER_DIR: another folder, for a process whose messages no `make run` worker should take
    # (make bench's gunicorn).
    _broker_dir = Path(env("CELERY_BROKER_DIR", default=str(VAR_DIR / "celery-broker")))
    for _folder in ("processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        # Where fanout exchanges (the worker's control channel) are kept; the default is ./control.
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TIMEZONE = OFFICE_TIME_ZONE

# Django's cache: the figures of closed months (reports.figure_cache). With Redis, one cache for every web
# worker; without, each process keeps its own in memory (correct either way: the key carries the latest
# change of the records counted). https://docs.djangoproject.com/en/5.2/topics/cache/#redis
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "correction",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# The broker connection lost while a task runs: its message will be delivered again (it was never
# acknowledged), so stop the task rather than run it twice at once (Celery 6's default).
# https://docs.celeryq.dev/en/stable/userguide/configuration.html#worker-cancel-long-running-tasks-on-connection-loss
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A cold shutdown (SIGQUIT, or SIGTERM with REMAP_SIGTERM=SIGQUIT as docker-compose.yml sets) first gives
# running tasks this long, then stops them and hands their messages back to the broker at once.
# https://docs.celeryq.dev/en/stable/userguide/workers.html#soft-shutdown
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = env.float("CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT", default=30)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 900
# Bounded waits when the broker is down: an enqueue gives up instead of hanging a request.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The beat schedule lives in one place: config/celery.py.

IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# The largest document a referral may carry (coordination.services.referral_attach).
REFERRAL_ATTACHMENT_MAX_BYTES = env.int("REFERRAL_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# The fonts of the official documents' PDFs (documents/rendering.py), a CSS font-family list: the first
# one installed is embedded. Debian: fonts-wqy-microhei (small subsets), then fonts-noto-cjk.
DOCUMENT_FONT_FAMILY = env(
    "DOCUMENT_FONT_FAMILY",
    default="'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif",
)

# E-mail (https://docs.djangoproject.com/en/5.2/topics/email/): the reminders before deadlines
# (workspace.reminders) go out only when a way to send is configured: EMAIL_HOST for SMTP (empty by
# default: nothing is sent), or another EMAIL_BACKEND (the console's, for trying it out).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="correction@localhost")

# SQLite (the embedded default) cannot enforce "NULLS NOT DISTINCT" on the rule tables' district-wide
# defaults; PostgreSQL, which production and CI use, does.
SILENCED_SYSTEM_CHECKS = [
    "models.W047",
    # django-axes would also count by address. Offices sign in from behind one NAT address, so an address
    # lockout would shut out a whole office after five typos; the contract locks by username, and the
    # per-address defence is the sign-in throttle (SIGN_IN_RATE, keyed on client_ip).
    "axes.W006",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs each step of every document it lays out at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
