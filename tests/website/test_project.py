"""The project itself: settings, migrations, the demo seed."""

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Page

from website.models import Region, ResourceCategory, ResourceDocument

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "website.settings.production",
    "ALLOWED_HOSTS": "maillon.example",
    "EMAIL_URL": "smtp://mail.example:587/?tls=True",
    "SITE_URL": "https://maillon.example",
}


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", **PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr


def test_production_refuses_to_start_without_a_mail_server():
    env = {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(60)}
    del env["EMAIL_URL"]
    result = manage("check", **env)
    assert result.returncode != 0 and "EMAIL_URL" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECRET_KEY=secrets.token_urlsafe(60)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_content():
    def counts():
        return (
            Page.objects.count(),
            Region.objects.count(),
            ResourceCategory.objects.count(),
            ResourceDocument.objects.count(),
        )

    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    assert "identifiant « editeur »" in out.getvalue()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    assert first[1] == 8 and first[2] == 8 and first[3] == 3
    assert Page.objects.filter(depth=1).count() == 1
    homes = Page.objects.live().filter(depth=2)
    assert {home.specific_class.__name__ for home in homes} == {"HomePage"}
    # The English tree mirrors the French one page for page.
    french = Page.objects.filter(locale__language_code="fr-ca", depth__gt=1)
    english = Page.objects.filter(locale__language_code="en", depth__gt=1)
    assert french.count() == english.count() > 10
