"""Production settings refuse to start misconfigured, even under `python -O`."""

import ast
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_DIR = ROOT / "website" / "settings"

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "website.settings.production",
    "ALLOWED_HOSTS": "maillon.example",
    "EMAIL_URL": "smtp://mail.example:587/?tls=True",
    "SITE_URL": "https://maillon.example",
}


def python(code, *flags, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL")
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, *flags, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True
    )


def test_settings_modules_use_no_assert_for_configuration():
    for path in SETTINGS_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        asserts = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)]
        assert not asserts, f"{path.name} lines {asserts}: python -O drops assert; raise ImproperlyConfigured"


def test_production_without_whitenoise_refuses_to_start_even_with_python_O():
    code = (
        "import website.settings.base as base\n"
        "base.MIDDLEWARE.remove('whitenoise.middleware.WhiteNoiseMiddleware')\n"
        "from django.core.exceptions import ImproperlyConfigured\n"
        "try:\n"
        "    import website.settings.production\n"
        "except ImproperlyConfigured as exc:\n"
        "    print('refused:', exc)\n"
        "else:\n"
        "    print('started')\n"
    )
    result = python(code, "-O", **PRODUCTION_ENV, SECRET_KEY=secrets.token_urlsafe(60))
    assert result.returncode == 0, result.stderr
    assert "refused: WhiteNoiseMiddleware" in result.stdout


def test_production_with_whitenoise_second_starts():
    code = "import website.settings.production; print('started')"
    result = python(code, "-O", **PRODUCTION_ENV, SECRET_KEY=secrets.token_urlsafe(60))
    assert result.returncode == 0 and "started" in result.stdout, result.stderr


def test_production_and_the_fault_tests_use_the_fail_open_cache():
    """A Redis outage must not take the site down (#9): production's cache falls back to each process's
    memory. The fault tests run the app with the cache production configures, so they would catch a
    change of backend; this catches it at once."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    production = python(
        "import django; django.setup(); " + code, **PRODUCTION_ENV, SECRET_KEY=secrets.token_urlsafe(60)
    )
    assert production.stdout.strip() == "website.cache.FailOpenRedisCache", production.stderr
    faults = python(
        "import django; django.setup(); " + code,
        DJANGO_SETTINGS_MODULE="website.settings.test",
        TEST_CACHE_REDIS="true",
    )
    assert faults.stdout.strip() == "website.cache.FailOpenRedisCache", faults.stderr
