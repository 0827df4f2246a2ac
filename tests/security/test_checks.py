"""`manage.py check --deploy`: zero warnings on production settings, and our own checks catch what
Django's do not (webhook secret, CSP, SECRET_KEY, SITE_URL, email backend)."""

import io
import os
import secrets
import subprocess
import sys

import pytest
from csp.constants import NONCE, SELF, UNSAFE_INLINE
from django.core.management import call_command
from django.core.management.base import SystemCheckError

PRODUCTION_LIKE = {
    "DEBUG": False,
    "SECRET_KEY": secrets.token_urlsafe(60),
    "SITE_URL": "https://maillon.example",
    "ALLOWED_HOSTS": ["maillon.example"],
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "X_FRAME_OPTIONS": "DENY",
}


@pytest.fixture
def production(settings, monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # set for Playwright by conftest
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)
    return settings


def deploy_check():
    """The messages of `check --deploy --fail-level WARNING`, "" when it passes."""
    out = io.StringIO()
    try:
        call_command("check", "--deploy", "--fail-level", "WARNING", stdout=out, stderr=out)
    except SystemCheckError as exc:
        return str(exc)
    return ""


def test_production_like_settings_pass_with_zero_warnings(production):
    assert deploy_check() == ""


def test_a_provider_backend_without_webhook_secret_is_an_error(production):
    production.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    for secret in ("", "maillon", "maillon:court"):
        production.ANYMAIL = {**production.ANYMAIL, "WEBHOOK_SECRET": secret}
        assert "maillon.E001" in deploy_check()
    production.ANYMAIL = {**production.ANYMAIL, "WEBHOOK_SECRET": "maillon:" + secrets.token_urlsafe(24)}
    assert deploy_check() == ""


def test_no_content_security_policy_is_reported(production):
    production.MIDDLEWARE = [m for m in production.MIDDLEWARE if "security_headers" not in m]
    assert "maillon.W002" in deploy_check()


@pytest.mark.parametrize("unsafe", [UNSAFE_INLINE, "'unsafe-eval'", "*", "https:"])
def test_a_policy_that_lets_inline_or_foreign_scripts_run_is_reported(production, unsafe):
    directives = production.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    production.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "script-src": [SELF, NONCE, unsafe]}}
    assert "maillon.W003" in deploy_check()


def test_a_policy_without_script_or_default_source_is_reported(production):
    directives = {
        k: v
        for k, v in production.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()
        if k[:6] not in ("script", "defaul")
    }
    production.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    assert "maillon.W003" in deploy_check()


def test_no_permissions_policy_is_reported(production):
    production.PERMISSIONS_POLICY = ""
    assert "maillon.W007" in deploy_check()


@pytest.mark.parametrize(
    "key",
    [
        "dev-only-insecure-key-change-me" + "x" * 30,
        "test-secret-key-not-for-production" + secrets.token_urlsafe(30),
        "ab" * 40,  # long but only two characters
        secrets.token_urlsafe(20),  # too short
    ],
    # Names that do not depend on the random keys: pytest-xdist's processes must collect the same tests.
    ids=["development", "test-settings", "two-characters", "too-short"],
)
def test_a_weak_or_development_secret_key_is_reported(production, key):
    production.SECRET_KEY = key
    assert "maillon.W004" in deploy_check()


def test_a_site_url_in_clear_is_reported(production):
    production.SITE_URL = "http://maillon.example"
    assert "maillon.W005" in deploy_check()


@pytest.mark.parametrize("backend", ["filebased", "console", "locmem", "dummy"])
def test_an_email_backend_that_delivers_nothing_is_reported(production, backend):
    production.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"
    assert "maillon.W006" in deploy_check()


def manage_check_deploy(**env):
    from tests.security.test_settings import PRODUCTION_ENV, ROOT

    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL")
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, **PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(60), **env},
        capture_output=True,
        text=True,
    )


def test_the_real_production_settings_pass_and_report_a_site_url_in_clear():
    passing = manage_check_deploy()
    assert passing.returncode == 0, passing.stdout + passing.stderr
    result = manage_check_deploy(SITE_URL="http://maillon.example")
    assert result.returncode != 0 and "maillon.W005" in result.stderr
