"""Settings shared by every environment. Everything configurable comes from the environment."""

import datetime
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from website.settings.schedule import CELERY_BEAT_SCHEDULE  # noqa: F401 (a setting)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "website"
VAR_DIR = BASE_DIR / "var"
# SQLite files, development mail and the embedded Redis live here; a fresh clone has no var/ yet.
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    "website",
    "bulletin",
    "events",
    "newsletter",
    "measure",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_ratelimit",
    "axes",
    "csp",
    "anymail",
    "crispy_forms",
    "crispy_bootstrap5",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "website.bruteforce.ClientAddressMiddleware",
    "website.security_headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After CSRF and messages: it gives each visitor a CSRF token of their own (website/page_cache.py).
    "website.page_cache.AnonymousPageCacheMiddleware",
    # The site of a page Wagtail serves, from the cache (website/page_routes.py).
    "website.page_routes.KnownSiteMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A publish racing the create form's first autosave publishes that draft (website/page_creation.py).
    "website.page_creation.SerialPageCreationMiddleware",
    # Last: turns a locked-out login into the login page with its message (website/bruteforce.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "website.site_chrome.context",
            ],
        },
    },
    {
        # Plain-text emails: the same templates, never HTML-escaped ("d'accompagnement", not "d&#x27;").
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'maillon.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A kept connection that the server dropped (restart, failover) is replaced before a request uses it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Celery workers and the web server write to the same file: wait for locks, don't fail. WAL, synced at
    # checkpoints only (a power cut may lose the last commits): SQLite serves development and tests only.
    sqlite_init = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": sqlite_init}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")

# While Redis is down the cache serves from each process's memory (website/cache.py): pages keep working
# and rate limits count per process. CACHE_REDIS_URL: the cache's own Redis, with maxmemory (README).
CACHE_REDIS_URL = env("CACHE_REDIS_URL", default=REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "website.cache.FailOpenRedisCache",
        "LOCATION": CACHE_REDIS_URL,
        "KEY_PREFIX": "maillon",
    }
}

# Whole public pages for visitors without a session (website/page_cache.py): how long one is served when
# no change announced itself (0: off), which views are stored, whose saves make them out of date.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=15)
# Query parameters pages read (any other: not stored); query strings stored per path and window.
PAGE_CACHE_QUERY_PARAMS = {"q", "type", "categorie", "region", "mois", "periode", "page", "envoye"}
PAGE_CACHE_VARIANTS = env.int("PAGE_CACHE_VARIANTS", default=50)
PAGE_CACHE_VIEWS = [
    "wagtail_serve",
    "search",
    "sitemap",
    "bulletin:post_list",
    "bulletin:post_detail",
    "bulletin:feed",
    "events_calendar",
    "event_calendar",
    "organisation_list",
    "organisation_detail",
]
PAGE_CACHE_APPS = [
    "wagtailcore",
    "wagtaildocs",
    "wagtailimages",
    "taggit",
    "website",
    "bulletin",
    "events",
    "newsletter",
]
# Rows no site chrome shows (menus, footer, language switcher): a change leaves the chrome as it was.
PAGE_CACHE_CONTENT_ONLY_MODELS = ["events.Registration", "website.Organisation", "bulletin.Post"]
PAGE_CACHE_IGNORED_MODELS = [
    "wagtailimages.Rendition",
    "wagtailcore.ModelLogEntry",  # the audit log: only the admin shows it
    "website.OutgoingEmail",
    "website.SuppressedAddress",
    "website.PersonalDataRequest",
    "newsletter.Subscriber",
    "newsletter.SignupRequest",
    "newsletter.ConsentRecord",
    "newsletter.Delivery",
    "newsletter.ChainLease",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Brute force (website/bruteforce.py): a username is locked from one address after LOGIN_FAILURE_LIMIT
# wrong passwords, for LOGIN_COOLOFF_MINUTES; attempts live in the database, not in Redis.
AUTHENTICATION_BACKENDS = [
    "website.bruteforce.LoginAttemptsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "website.bruteforce.client_ip"
AXES_LOCKOUT_CALLABLE = "website.bruteforce.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_USE_ATTEMPT_EXPIRATION = True  # failures older than the cool-off stop counting, and are deleted
AXES_DISABLE_ACCESS_LOG = True  # no row per successful login (addresses are personal data)
AXES_VERBOSE = False
PASSWORD_RESET_RATE_PER_ADDRESS = env("PASSWORD_RESET_RATE_PER_ADDRESS", default="3/h")
PASSWORD_RESET_RATE_PER_IP = env("PASSWORD_RESET_RATE_PER_IP", default="10/h")
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "website.bruteforce.PasswordResetForm"

# French first: Quebec French by default, English under /en/.
LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
# Every French page gets an English alias (see website/i18n.py), so /en/ always routes and stays English.
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private-media"))  # website/images.py
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email: EMAIL_URL (smtp://user:pass@host:587/?tls=True, consolemail://, filemail:///path …)
# or EMAIL_BACKEND for a django-anymail provider (its key in ANYMAIL_* variables).
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_BACKEND = env("EMAIL_BACKEND", default=EMAIL_BACKEND)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
ANYMAIL = {
    "SENDGRID_API_KEY": env("SENDGRID_API_KEY", default=""),
    "MAILGUN_API_KEY": env("MAILGUN_API_KEY", default=""),
    "POSTMARK_SERVER_TOKEN": env("POSTMARK_SERVER_TOKEN", default=""),
    "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default=""),
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Maillon <ne-pas-repondre@maillon.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where support requests and moderation notices go when the site settings name no address.
EDITORS_EMAIL = env.list("EDITORS_EMAIL", default=["equipe@maillon.example"])

# Wagtail
WAGTAIL_SITE_NAME = "Maillon"
WAGTAILDOCS_DOCUMENT_MODEL = "website.ResourceDocument"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Any text a visitor types is cleaned to words before the database sees it (website/search_backend.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "website.search_backend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # French stemming after removing accents: "formations" finds "formation", "evenement" finds
    # "événement" (the configuration is created by migration website 0013).
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french_unaccent"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_NOTIFICATION_USE_HTML = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy (django-csp) and Permissions-Policy: website/security_headers.py.
# Video providers whose players the embed block may show (comma-separated origins).
EMBED_FRAME_SOURCES = env.list(
    "EMBED_FRAME_SOURCES",
    default=["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [SELF, *EMBED_FRAME_SOURCES],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# The Wagtail admin needs inline scripts and styles (and blob: images for upload previews).
ADMIN_CSP_PREFIXES = ("/admin/",)
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
# Wagtail shows editors' Gravatar pictures, which would send a hash of their address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Rate limits for public forms (django-ratelimit syntax: count/period).
PUBLIC_FORM_RATE = env("PUBLIC_FORM_RATE", default="5/m")
# Per address, whoever asks: links to one's space, a pending sign-up's confirmation again (Mon espace).
SPACE_LINK_RATE = env("SPACE_LINK_RATE", default="3/h")
NEWSLETTER_RESEND_RATE = env("NEWSLETTER_RESEND_RATE", default="3/h")
RATELIMIT_VIEW = "website.views.rate_limited"
# Behind a reverse proxy, the request header holding the client's address, e.g. HTTP_X_REAL_IP.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default="") or None
# A cache that cannot count lets the request through instead of refusing everyone.
RATELIMIT_FAIL_OPEN = True

# Celery: one app (website/celery.py), JSON only, bounded tasks, schedules here.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers and beat wait for Redis as long as it takes (Celery's default gives up after 100 tries).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A task acknowledged late and lost with its worker comes back after visibility_timeout seconds. The
# socket timeouts keep a Redis that accepts connections but never answers from holding a request.
CELERY_BROKER_TRANSPORT_OPTIONS = dict(visibility_timeout=15 * 60, socket_connect_timeout=2, socket_timeout=5)
# Else Celery closes the database connection around every task: website/signal_handlers.py does as Django.
CELERY_DB_REUSE_MAX = 1000
# Bulk newsletter sends have their own queue so that they never hold up confirmations and reminders.
CELERY_TASK_ROUTES = {
    "newsletter.tasks.send_batch": {"queue": "newsletter"},
    "newsletter.tasks.prepare_send": {"queue": "newsletter"},
}
# Outbox retries after a temporary refusal: this many seconds, then doubling (at most an hour).
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=120)
# /healthz/ names the failing dependency only to staff or to a caller sending this token (empty: staff only).
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")

# Personal data (Quebec's Law 25, website/privacy/). Erased addresses are kept only as an HMAC keyed
# with PRIVACY_HASH_KEY (default: SECRET_KEY): set it once and keep it, or the suppression list is lost.
PRIVACY_HASH_KEY = env("PRIVACY_HASH_KEY", default="")
# How long personal data is kept; the nightly jobs (schedule.py) remove or anonymise what is older.
RETENTION_UNCONFIRMED_DAYS = env.int("RETENTION_UNCONFIRMED_DAYS", default=30)
RETENTION_POST_CONTACT_MONTHS = env.int("RETENTION_POST_CONTACT_MONTHS", default=12)
RETENTION_BOARD_MESSAGES_MONTHS = env.int("RETENTION_BOARD_MESSAGES_MONTHS", default=12)
RETENTION_ATTENDEES_MONTHS = env.int("RETENTION_ATTENDEES_MONTHS", default=6)
RETENTION_OUTBOX_DAYS = env.int("RETENTION_OUTBOX_DAYS", default=30)
RETENTION_SUPPORT_REQUESTS_MONTHS = env.int("RETENTION_SUPPORT_REQUESTS_MONTHS", default=24)
RETENTION_PROPOSAL_MONTHS = env.int("RETENTION_PROPOSAL_MONTHS", default=12)

# Newsletter sending (newsletter/sending.py)
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=100)
NEWSLETTER_PARALLEL_BATCHES = env.int("NEWSLETTER_PARALLEL_BATCHES", default=2)
NEWSLETTER_RATE_PER_SECOND = env.int("NEWSLETTER_RATE_PER_SECOND", default=0)  # 0: no limit
NEWSLETTER_CLAIM_TIMEOUT = env.int("NEWSLETTER_CLAIM_TIMEOUT", default=600)
NEWSLETTER_RETRY_BASE_SECONDS = env.int("NEWSLETTER_RETRY_BASE_SECONDS", default=30)
# Sent rows are marked this many at a time: also the most a worker process killed can send twice.
NEWSLETTER_RECORD_EVERY = env.int("NEWSLETTER_RECORD_EVERY", default=20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # Wagtail 8 runs its search-index and reference-index tasks inline and logs each at INFO;
    # WeasyPrint (the impact report) logs each step of every PDF at INFO, from its import on.
    "loggers": {name: {"level": "WARNING"} for name in ("django_tasks", "wagtail", "weasyprint")},
}

# Names shown in templates that are not in the database.
MAILLON_TAGLINE = _("Mutualiser nos ressources, ensemble")

# django-ratelimit only knows django-redis by name; Django's own RedisCache increments atomically too.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
FORMAT_MODULE_PATH = ["website.formats"]
WAGTAILADMIN_USER_LOGIN_FORM = "website.admin_forms.LoginForm"
