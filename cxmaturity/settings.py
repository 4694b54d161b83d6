"""The only settings module: every value comes from the environment, with defaults that
run locally (SQLite and a filesystem broker under var/, emails written to var/mail/)."""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from cxmaturity.media_storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    # Generated once so sessions survive restarts of a local site; production sets SECRET_KEY.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
HTTPS = env.bool("HTTPS", default=not DEBUG)
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=LOCAL_HOSTS)
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and set(ALLOWED_HOSTS) - set(LOCAL_HOSTS):
        # A site served to the world, maybe from several machines: keys of their own would
        # break sessions and links between them.
        raise ImproperlyConfigured("Set SECRET_KEY: a site served beyond localhost needs one.")
    SECRET_KEY = _local_secret_key()
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    # Our apps first: where a msgid is also in Django's or a library's catalogue ("Save",
    # "Action", "None"), the first app's translation wins, and ours is the one meant.
    "cxmaturity",
    "workspaces",
    "assessments",
    "kpis",
    "playbooks",
    "insights",
    "audit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "auditlog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cxmaturity.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's saved language beats the browser's Accept-Language.
    "cxmaturity.middleware.UserLanguageMiddleware",
    # request.user.is_verified(): whether this session passed two-factor sign-in.
    "django_otp.middleware.OTPMiddleware",
    "workspaces.two_factor.TwoFactorRequiredMiddleware",
    # Names the person and address behind each change the audit trail records.
    "audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that lockouts see the final response of a sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cxmaturity.urls"
WSGI_APPLICATION = "cxmaturity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workspaces.context_processors.current_workspace",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that a Celery worker process in the tests shares it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_db.sqlite3")}
# Keep connections between requests: opening one (and, on SQLite, setting WAL up again)
# cost more than a whole autosave.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "workspaces.User"

# --- Authentication ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a check: its hook runs whenever a password is saved (change, reset, admin,
    # changepassword), and revokes every API token of that user.
    {"NAME": "workspaces.tokens.RevokeApiTokensOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
# Lock the account for the address it is attacked from, so nobody can lock out a colleague.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "cxmaturity.forms.axes_username"
# Site staff and owners create workspaces; true lets any signed-in person who is not only a
# client member do it too.
WORKSPACE_CREATION_OPEN = env.bool("WORKSPACE_CREATION_OPEN", default=False)
# Two-factor sign-in (django-otp): authenticator apps show this name beside the account.
OTP_TOTP_ISSUER = "cxmaturity"
# Behind N trusted proxies the client's address is the one the N-th proxy from the end
# appended to X-Forwarded-For; entries left of it may be forged (cxmaturity.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "cxmaturity.client_ip.client_ip"

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "en"
# Each named in its own language: the menu is read by someone who may not read the current one.
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Local sites serve static files straight from the source folders; production runs
# collectstatic once into hashed, compressed files.
STATIC_FROM_FINDERS = env.bool("STATIC_FROM_FINDERS", default=DEBUG)
# Logos, documents and analysis tables live in one store that every web process and worker
# reaches: the local disk, or an S3 bucket (credentials from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY), e.g. s3://bucket?endpoint_url=http://127.0.0.1:9000.
MEDIA_STORAGE_URL = env("MEDIA_STORAGE_URL", default="")
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
# Signed download links come after the access check: short, so a copied one soon fails.
MEDIA_SIGNED_URL_SECONDS = env.int("MEDIA_SIGNED_URL_SECONDS", default=60)
STORAGES = {
    "default": media_storage(MEDIA_STORAGE_URL, AWS_STORAGE_BUCKET_NAME, MEDIA_SIGNED_URL_SECONDS),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if STATIC_FROM_FINDERS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = STATIC_FROM_FINDERS
WHITENOISE_AUTOREFRESH = DEBUG
# A logo may be at most 1 MB; allow a little more for the multipart envelope.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The largest request body read at all (a transactions export); larger ones get a 413.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=100 * 1024 * 1024)
# A listening upload is written in one transaction, and on SQLite that holds the one write
# lock every workspace shares. Its rows are added up per month, brand and source before
# the write, so a file's length does not matter; the brands do, and past this limit a file
# is refused, naming it (tests/insights/test_listening_limits.py).
LISTENING_MAX_BRANDS = env.int("LISTENING_MAX_BRANDS", default=500)
# Bigger insight files arrive by chunks (insights/services/uploads.py), each its own request
# well under MAX_REQUEST_BYTES; unfinished uploads are deleted after INSIGHT_UPLOAD_EXPIRY.
INSIGHT_UPLOAD_MAX_BYTES = env.int("INSIGHT_UPLOAD_MAX_BYTES", default=2 * 1024**3)
INSIGHT_UPLOAD_CHUNK_BYTES = env.int("INSIGHT_UPLOAD_CHUNK_BYTES", default=8 * 1024**2)
INSIGHT_UPLOAD_EXPIRY = env.int("INSIGHT_UPLOAD_EXPIRY", default=86400)

# --- Email ------------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail")))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="cxmaturity <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
        # Fanout lives here: worker pings (/healthz/) and remote control need it.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "polling_interval": 0.2,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A test's own worker listens on a queue of its own, so no other worker takes its tasks.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_DEFAULT_QUEUE", default="default")
# PDF rendering has its own queue, so its memory-hungry workers scale on their own.
CELERY_PDF_QUEUE = env("CELERY_PDF_QUEUE", default="pdf")
CELERY_TASK_ROUTES = {"playbooks.tasks.*": {"queue": CELERY_PDF_QUEUE}}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=100)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "invitations-expire": {"task": "workspaces.tasks.invitations_expire", "schedule": 3600.0},
    "respondents-remind": {"task": "assessments.tasks.respondents_remind_due", "schedule": 3600.0},
    # Hourly; each workspace's digest goes out on its chosen weekday, once per ISO week.
    "roadmap-digests": {"task": "assessments.tasks.roadmap_digests_send", "schedule": 3600.0},
    "audit-events-prune": {"task": "audit.tasks.audit_events_prune", "schedule": 86400.0},
    # Jobs whose lease ran out (a worker killed mid-way) or whose task was lost are sent
    # again (cxmaturity.leases).
    "analyses-requeue-stuck": {
        "task": "insights.tasks.analyses_requeue_stuck",
        "schedule": env.float("ANALYSES_REQUEUE_SECONDS", default=60.0),
    },
    "clients-trash-purge": {"task": "workspaces.tasks.clients_trash_purge", "schedule": 3600.0},
    "documents-requeue-stuck": {
        "task": "playbooks.tasks.documents_requeue_stuck",
        "schedule": env.float("DOCUMENTS_REQUEUE_SECONDS", default=60.0),
    },
    "insight-uploads-expire": {"task": "insights.tasks.uploads_expire", "schedule": 3600.0},
    "uploads-sweep-orphans": {"task": "cxmaturity.tasks.uploads_sweep_orphans", "schedule": 3600.0},
}
# Background jobs (cxmaturity.leases), in seconds. A worker's claim lasts the lease and is
# renewed each time the job reports progress; past it the worker is presumed dead and the
# job is sent again. A queued job no worker has claimed after its patience is sent again.
# After JOB_MAX_ATTEMPTS claims the job is failed with a message.
DOCUMENT_RENDER_LEASE = env.int("DOCUMENT_RENDER_LEASE", default=600)
DOCUMENT_QUEUED_PATIENCE = env.int("DOCUMENT_QUEUED_PATIENCE", default=300)
ANALYSIS_LEASE = env.int("ANALYSIS_LEASE", default=600)
ANALYSIS_QUEUED_PATIENCE = env.int("ANALYSIS_QUEUED_PATIENCE", default=300)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
# A file under MEDIA_ROOT/uploads/ that no row names is deleted once it is this old; the
# grace keeps an upload still being saved (its row not yet committed) from being removed.
UPLOADS_ORPHAN_GRACE = env.int("UPLOADS_ORPHAN_GRACE", default=86400)
if CELERY_BROKER_URL.startswith("redis"):
    # An unacknowledged task (its worker died) is delivered again after this many seconds;
    # longer than the longest render, so a slow render is never run twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }

# --- Trash ---------------------------------------------------------------------------------
# A deleted client stays in the workspace's trash this many days, restorable by an owner.
# A benchmark is shown against at least this many comparable closed assessments; never
# fewer than five, so no small group can be made out (SCORING.md §9).
BENCHMARK_MIN_PEERS = max(5, env.int("BENCHMARK_MIN_PEERS", default=5))
# Ranked benchmark peers are kept per process under a fingerprint (assessments/benchmarks.py):
# this bounds how long a change the fingerprint cannot see stays unseen.
BENCHMARK_CACHE_SECONDS = env.int("BENCHMARK_CACHE_SECONDS", default=600)
# A pooled (site-wide) benchmark needs this many assessments from this many workspaces.
BENCHMARK_POOL_MIN_ASSESSMENTS = 10
BENCHMARK_POOL_MIN_WORKSPACES = 3

CLIENT_TRASH_DAYS = env.int("CLIENT_TRASH_DAYS", default=30)

# --- Audit trail ---------------------------------------------------------------------------
# Events are kept this many days (at least 400), then a daily task deletes them.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=400)
if AUDIT_RETENTION_DAYS < 400:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 400.")
# django-auditlog: changes as JSON values (not strings), and no entries for fixture loads.
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_ON_RAW_SAVE = True

# --- Cache: shared by every web process (rate limits) --------------------------------------
# The database cache by default (`manage.py createcachetable` after `migrate`; the test
# database gets it on its own), or CACHE_URL, e.g. redis://host:6379/1.
CACHE_URL = env("CACHE_URL", default="")
CACHES = {
    "default": (
        env.cache("CACHE_URL")
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}
    ),
    # Ranked benchmark peers, in-process: a query or network trip would cost what keeping
    # them saves. Keyed by a fingerprint of the peers (assessments/benchmarks.py).
    "benchmarks": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "benchmarks",
        "OPTIONS": {"MAX_ENTRIES": 100},  # about 270 KB each at 2,000 peers
    },
}
# Password-reset requests per hour: per client address (then 429), and per email address
# (then nothing is sent, and the page says the same as ever).
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=5)
PASSWORD_RESET_PER_ACCOUNT = env.int("PASSWORD_RESET_PER_ACCOUNT", default=3)

# seed_demo renders Northwind's playbook at once (the test suite, which seeds often,
# turns this off and leaves the render to a worker).
DEMO_RENDER_PLAYBOOK = env.bool("DEMO_RENDER_PLAYBOOK", default=True)

# --- API ----------------------------------------------------------------------------------
# Personal API tokens (django-rest-knox, stored as SHA-512 digests): they expire after
# API_TOKEN_DEFAULT_DAYS unless their maker picks 1..API_TOKEN_MAX_DAYS days.
KNOX_TOKEN_MODEL = "workspaces.ApiToken"  # noqa: S105 (a model, not a secret)
# knox's own migrations create its stock token table even though our model replaces it;
# that orphan table's foreign key to users stops PostgreSQL from flushing the users table.
# With no migrations the replaced model gets no table at all.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_PREFIX": "cxm_",  # recognisable by secret scanners
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": None,  # every token is made with its own expiry
    "AUTO_REFRESH": False,
}
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
REST_FRAMEWORK = {
    # Token first, so an anonymous call gets 401 with WWW-Authenticate rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "workspaces.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "cxmaturity.api_request.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        # A token limited to one workspace or to reading goes no further.
        "workspaces.tokens.ApiTokenScope",
    ],
    "DEFAULT_PAGINATION_CLASS": "cxmaturity.api.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cxmaturity.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cxmaturity API",
    "DESCRIPTION": (
        "Customer experience maturity assessments, strategy-to-KPI plans and playbooks. "
        'Errors share one shape: `{"detail": "…"}` for a single message, or '
        '`{"field": ["…"]}` naming each bad field (`non_field_errors` for the whole body). '
        "Authenticate with your session or with `Authorization: Token …` (make a token on "
        "your account page)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MemberRoleEnum": "workspaces.models.Role",
        "ClientRoleEnum": "workspaces.models.ClientRole",
        "WorkspaceRoleEnum": "workspaces.models.WORKSPACE_ROLES",
        "AuditActionEnum": "audit.models.AuditAction",
        "RespondentRoleEnum": "assessments.models.RespondentRole",
        "AssessmentStatusEnum": "assessments.models.Assessment.Status",
        "InvitationStatusEnum": "workspaces.models.Invitation.Status",
        "ActionStatusEnum": "assessments.models.Action.Status",
        "CampaignStatusEnum": "playbooks.models.CampaignPlan.Status",
        "DocumentStatusEnum": "playbooks.models.Document.Status",
        "ChannelEnum": "assessments.models.Channel",
        "DocumentKindEnum": "playbooks.models.Document.Kind",
        "InsightUploadKindEnum": "insights.models.ChunkedUpload.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cxmaturity.api.add_error_responses",
    ],
    # Served from our own static files: sites run offline, with no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Content security policy: no inline script, nothing from another origin -----------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- HTTPS hardening whenever DEBUG is off (HTTPS is read at the top) -----------------
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^livez/$", r"^healthz/$"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Respondents' tokens never reach a log: the filter rewrites records on the loggers that
# write request paths (before any handler, pytest's included) and on every handler.
_REDACT = ["redact_respondent_tokens"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_respondent_tokens": {"()": "cxmaturity.log_filters.RedactRespondentTokens"}
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": _REDACT},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": _REDACT,
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": _REDACT},
        "django.security.csrf": {"filters": _REDACT},
        # runserver's request lines, as Django logs them, but redacted.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": _REDACT,
        },
    },
}

# Test runs set this so a missing PostgreSQL/Redis/Chromium fails the run instead of skipping.
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)
