"""Settings for the ESF project records portal. Every value comes from the environment.

Without DATABASE_URL the portal uses the embedded PostgreSQL server of esfportal.embedded_db,
with its data under .pgdata/ in the project: the one default that is not read from the
environment, so that one command brings a laptop copy up.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from esfportal import embedded_db
from esfportal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# Development only: a fixed, public, clearly unsafe key so that DEBUG=1 needs no setup.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-only" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "projects",
    "evaluations",
]

MIDDLEWARE = [
    # With a read replica, keeps writing and signed-in requests on the primary (routers.py).
    # Before the request log, which looks up the signed-in user after the response.
    "esfportal.routers.ReadYourWritesMiddleware",
    # Outside all the others, so that its one line a request times them all and has the
    # status sent.
    "esfportal.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "esfportal.middleware.FinnishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user on each change history row (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a database that cannot be reached into the 503 page, wherever a view or its
    # template met it.
    "esfportal.middleware.DatabaseOutageMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "esfportal.urls"
WSGI_APPLICATION = "esfportal.wsgi.application"

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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or embedded_db.database_url(),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Set on every connection (docs/adr/0005-scale.md): the portal's server-side cursors (the CSV
# export) always read to the end, so plan them for the whole result, not its first tenth;
# memory enough that a common word's match bitmap at a million projects stays exact; and a
# random read costed as what it is on SSDs or in memory, not on a spinning disk (the default
# 4), so that a set of a few thousand projects is probed through the link tables' indexes
# rather than joined to every link; and no parallel workers for a request's query, which on a
# small machine compete with the other requests for the same cores. Empty to send nothing (e.g.
# through a pooler that refuses startup options).
DATABASE_SESSION_OPTIONS = env_str(
    "DATABASE_SESSION_OPTIONS",
    "-c cursor_tuple_fraction=1 -c work_mem=32MB -c random_page_cost=1.1"
    " -c max_parallel_workers_per_gather=0",
)
# A streaming read replica of the primary takes the reads (esfportal/routers.py). Tests mirror
# it to the test database instead of creating one for it.
if replica_url := env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    ) | {"TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["esfportal.routers.PrimaryReplicaRouter"]
if DATABASE_SESSION_OPTIONS:
    for database in DATABASES.values():
        database["OPTIONS"] = database.get("OPTIONS", {}) | {"options": DATABASE_SESSION_OPTIONS}
# The feedback address of the accessibility statement (laki digitaalisten palvelujen
# tarjoamisesta 306/2019 asks for one); production sets it, development may leave it out.
FEEDBACK_EMAIL = env_str("FEEDBACK_EMAIL", "")

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes refuses a login while its username and address are locked out; ModelBackend then
# checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins for one username from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "projects.admin_base.locked_out"

# Staff sessions: a working day long, cookies out of reach of scripts and other sites, and sent
# over HTTPS only in production. SESSION_COOKIE_SECURE=0 serves production over plain HTTP
# (e.g. the loopback benchmark).
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS only in production: plain HTTP is redirected and browsers are told to remember that
# for a year, subdomains included (SECURE_HSTS_PRELOAD asks to be on the browsers' built-in
# list). SECURE_SSL_REDIRECT=0 serves plain HTTP, e.g. on loopback (scripts/serve-production,
# the benchmark). Behind a proxy that ends TLS, SECURE_PROXY_SSL_HEADER names the header it
# sets to "https" (e.g. X-Forwarded-Proto); the proxy must drop that header from clients.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if proxy_ssl_header := env_str("SECURE_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the portal's own files run or style a page, and no other site may frame it. Inline
# <script> and <style> need the request's nonce ({% csp_nonce_attr %}): the admin's templates
# and the API docs' (templates/drf_spectacular/) carry it; the portal's own have none.
# data: images are the Swagger UI's icons.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["esfportal.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed names (css/portal.3f2a….css), compressed copies, and a year-long (WhiteNoise: ten
# years) "immutable" Cache-Control on every hashed file: a new version gets a new name.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ESR-hankkeet API",
    "DESCRIPTION": "Read-only access to Finnish ESF project records, with the filters and "
    "search of the project list.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # The start and end dates share one choice set; name it once.
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "projects.models.Precision"},
}

# One JSON object a line on stderr (esfportal.logs.JsonFormatter), one line a request from
# esfportal.middleware.RequestLogMiddleware; errors carry their traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "esfportal.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # The request log already has a line for each 4xx; Django's own repeats it.
        "django.request": {"level": "ERROR"},
        # pgserver logs every attach and detach at INFO, django-axes its start-up; axes logs
        # failed logins and lock-outs at WARNING.
        "pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
