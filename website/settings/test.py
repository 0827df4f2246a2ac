"""Tests: real PostgreSQL when DATABASE_URL says so (CI), SQLite otherwise; fast hashing, local cache.

Celery workers started by the tests use these settings too, pointed at the test database through
DATABASE_URL and at a loopback SMTP server through EMAIL_URL.
"""

from .base import *  # noqa: F403
from .base import CACHES as PRODUCTION_CACHES
from .base import DATABASES, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]
if not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each pytest-xdist worker process (gw0, gw1…) has its own media folder and SQLite file (pytest-django
# suffixes the test database's name); the processes a test starts inherit PYTEST_XDIST_WORKER.
XDIST_WORKER = env("PYTEST_XDIST_WORKER", default="")
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "-".join(filter(None, ["test-media", XDIST_WORKER]))))
PRIVATE_MEDIA_ROOT = str(VAR_DIR / "-".join(filter(None, ["test-private-media", XDIST_WORKER])))
SITE_URL = "http://testserver"
# Off unless a test turns it on (tests/website/test_page_cache.py; the fault tests through the
# environment): most tests change rows without the signals a real change sends, then read the page.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
WAGTAILADMIN_BASE_URL = SITE_URL

# Its own Redis database, so tests never see a development worker's queue.
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
if env.bool("TEST_CACHE_REDIS", default=False):
    # Fault tests run the app with the production cache (base's backend, not a copy of its name), in
    # their private Redis.
    CACHES = {"default": {**PRODUCTION_CACHES["default"], "LOCATION": REDIS_URL, "KEY_PREFIX": "t"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a Celery worker process can open the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# Static files straight from the app folders, as in development (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
