"""Malformed tokens on every emailed link, by GET and by POST: never a 5xx, always "invalid link",
nothing changed."""

import pytest
from hypothesis import given

from tests.fuzz.conftest import changes, snapshot
from tests.fuzz.strategies import fuzz_settings, malformed_token, value
from website.tokens import make_token

pytestmark = pytest.mark.django_db

EXAMPLES = 10

# (attribute of the `site` fixture holding a live link, suffix after the token)
LINKS = {
    "post-confirm": ("post_confirm", ""),
    "post-manage": ("post_manage", ""),
    "post-renew": ("post_manage", "renouveler/"),
    "post-close": ("post_manage", "fermer/"),
    "report-confirm": ("report_confirm", ""),
    "alert-confirm": ("alert_confirm", ""),
    "alert-unsubscribe": ("alert_unsubscribe", ""),
    "registration-manage": ("registration_manage", ""),
    "registration-cancel": ("registration_manage", "annuler/"),
    "registration-accept": ("registration_manage", "accepter/"),
    "registration-presence": ("registration_manage", "presence/"),
    "newsletter-confirm": ("newsletter_confirm", ""),
    "newsletter-preferences": ("preferences", ""),
    "newsletter-download": ("preferences", "donnees.json"),
    "newsletter-erase": ("preferences", "effacer/"),
    "newsletter-unsubscribe": ("unsubscribe", ""),
    "newsletter-renew": ("renew", ""),
    "newsletter-resend": ("pending_resend", "renvoyer/"),
    "newsletter-cancel": ("pending_cancel", "annuler/"),
    "space": ("space", ""),
    "space-download": ("space", "donnees.json"),
    "space-erase": ("space", "effacer/"),
    "space-logout": ("space", "deconnexion/"),
}


def split(link, suffix):
    """(prefix, token) of a live link: the token is the last segment before the action's suffix."""
    head = link.rstrip("/").rsplit("/", 1)
    return head[0] + "/", head[1], suffix


def assert_refused(client, path, initial, data=None):
    for method in ("get", "post"):
        response = getattr(client, method)(path, data if method == "post" else None)
        assert response.status_code < 500, (method, path)
        assert response.status_code in (404, 405), (method, path, response.status_code)
        assert changes(initial, snapshot()) == [], (method, path)


@pytest.mark.parametrize("name", LINKS)
def test_a_malformed_token_is_an_invalid_link(client, site, isolated, name):
    attribute, suffix = LINKS[name]
    prefix, token, suffix = split(getattr(site, attribute), suffix)

    @fuzz_settings(EXAMPLES)
    @given(bad=malformed_token(token), data=value)
    def check(bad, data):
        assert_refused(client, f"{prefix}{bad}/{suffix}", isolated.initial, {"x": data})

    check()


# Signed with the site's key for the right purpose, but not naming anything: a key rotation, an old
# format or a bug in a future link must still answer "invalid link".
SIGNED_VALUES = [[None], ["abc", "def"], [10**39, "x"], [{"a": 1}, ["x"]]]
PURPOSES = {
    "post.confirm": "/babillard/confirmer/{}/",
    "post.manage": "/babillard/gerer/{}/",
    "report.confirm": "/babillard/signalements/confirmer/{}/",
    "alert.confirm": "/babillard/alertes/confirmer/{}/",
    "alert.unsubscribe": "/babillard/alertes/desabonnement/{}/",
    "registration.manage": "/inscriptions/{}/",
    "newsletter.confirm": "/infolettre/confirmer/{}/",
    "newsletter.preferences": "/infolettre/preferences/{}/",
    "newsletter.unsubscribe": "/infolettre/desabonnement/{}/",
    "newsletter.renew": "/infolettre/renouveler/{}/",
    "newsletter.resend": "/infolettre/en-attente/{}/renvoyer/",
    "newsletter.cancel": "/infolettre/en-attente/{}/annuler/",
    "space.access": "/mon-espace/{}/",
}


@pytest.mark.parametrize("purpose", PURPOSES)
@pytest.mark.parametrize("values", SIGNED_VALUES, ids=[repr(v)[:20] for v in SIGNED_VALUES])
def test_a_signed_token_naming_nothing_is_an_invalid_link(client, site, isolated, purpose, values):
    path = PURPOSES[purpose].format(make_token(purpose, *values))
    assert_refused(client, path, isolated.initial)
