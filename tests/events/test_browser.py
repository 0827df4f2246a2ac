"""In Chromium: register, receive the confirmation, open its magic link, cancel; the first person on
the waiting list is promoted and emailed."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.worker
def test_register_confirm_cancel_promotes_the_waiting_list(
    page, live_server, make_event, register, celery_worker, smtp
):
    event = make_event(capacity=2, title="Atelier sur le partage de locaux")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(live_server.url + event.url)
    expect(page.get_by_text("2 places disponibles")).to_be_visible()
    page.get_by_label(re.compile(r"^\s*Personne responsable")).fill("Alex Tremblay")
    page.get_by_label(re.compile(r"^\s*Courriel")).fill("alex@example.org")
    page.get_by_label(re.compile(r"^\s*Organisme")).fill("Comptoir du Nord")
    page.get_by_label(re.compile(r"^\s*Nombre de places")).fill("2")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon inscription")
    expect(page.get_by_text("Inscrite")).to_be_visible()

    waiting = register(event, seats=1, email="camille@example.org", organisation="Popote")
    assert waiting.state == "waiting"

    _, confirmation = smtp.wait_for_message(
        lambda to, m: to == ["alex@example.org"] and "confirmée" in m["Subject"]
    )
    link = re.search(
        r"http://testserver(/inscriptions/\S+/)", confirmation.get_body(("plain",)).get_content()
    ).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler mon inscription?")
    page.get_by_role("button", name="Annuler mon inscription", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Votre inscription est annulée")

    _, promotion = smtp.wait_for_message(
        lambda to, m: to == ["camille@example.org"] and "libérée" in m["Subject"]
    )
    assert "Atelier sur le partage de locaux" in promotion.get_body(("plain",)).get_content()
    waiting.refresh_from_db()
    assert waiting.state == "confirmed"
    assert errors == []


def test_event_pages_pass_axe(page, live_server, make_event, register):
    from events import services

    event = make_event(total_cost=900, threshold=2, decision_date=make_event().start.date())
    registration = register(event, seats=2)
    for url in [
        "/evenements/",
        event.url,
        services.manage_url(registration).replace("http://testserver", ""),
    ]:
        page.goto(live_server.url + url)
        assert_accessible(page, label=url)
    page.goto(live_server.url + event.url)
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.locator("#error_1_id_email")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_event_admin_screens_pass_axe(page, live_server, make_event, register, admin_user, language):
    """The editors' screens of one event (Inscriptions, présences, bulk email, cancel, a registration's
    seats), in the admin language of the editor."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = language
    profile.save()
    event = make_event(capacity=1, title="Formation : comptabilité partagée")
    registration = register(event, seats=1)
    register(event, seats=1)  # waiting
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill(admin_user.username)
    page.locator("#id_password").fill("password")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    for path in ["", "presences/", "courriel/", "annuler/", f"inscriptions/{registration.pk}/places/"]:
        url = f"{live_server.url}/admin/evenements/{path if path.startswith('inscriptions') else f'{event.pk}/{path}'}"
        page.goto(url)
        expect(
            page.get_by_role("heading", name="Formation : comptabilité partagée", exact=True)
        ).to_be_visible()
        assert_accessible(page, label=url)
