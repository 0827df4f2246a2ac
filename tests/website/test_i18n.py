"""French first, English complete: every interface string has its English translation, compiled."""

from pathlib import Path

import polib
from django.utils import translation

from website.money import format_money

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_english_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    assert len(po) > 100
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    mo = {
        (e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural)
        for e in polib.mofile(str(LOCALE / "en/LC_MESSAGES/django.mo"))
    }
    for entry in po:  # the same msgid may have several contexts (pgettext)
        key = (entry.msgctxt, entry.msgid)
        assert key in mo, f"not compiled: {entry.msgid!r} (run `make messages`)"
        assert mo[key] == (entry.msgstr or entry.msgstr_plural)


def test_settings_are_french_first(settings):
    assert settings.LANGUAGE_CODE == "fr-ca"
    assert settings.TIME_ZONE == "America/Toronto"
    assert [code for code, _name in settings.LANGUAGES] == ["fr-ca", "en"]


def test_wagtail_admin_speaks_french(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert "Tableau de bord" in html


def test_money_in_canadian_conventions():
    assert format_money(1234.5, "fr-ca") == "1\u202f234,50\u00a0$"
    assert format_money(240, "fr-ca") == "240\u00a0$"
    assert format_money(1234.5, "en") == "$1,234.50"
    assert format_money(-3, "fr-ca") == "-3\u00a0$"
    with translation.override("en"):
        assert format_money(1000) == "$1,000"


def test_dates_in_fr_ca_format():
    import datetime

    from django.utils.formats import date_format

    with translation.override("fr-ca"):
        assert date_format(datetime.date(2026, 4, 17)) == "17 avril 2026"
        assert date_format(datetime.time(13, 40), "TIME_FORMAT") == "13\xa0h\xa040"
