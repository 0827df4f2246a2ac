"""The support-request screens in Chromium, as the support team uses them: on a phone, change the status,
assign, add a note; axe finds no violation on the list or the request."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.factories import support_request as make_request
from tests.support.axe import violations
from website.models import SupportRequest
from website.permissions import SUPPORT_REQUESTS

pytestmark = pytest.mark.browser


def test_the_support_team_follows_a_request_on_a_phone(page, live_server, demo, django_user_model):
    support_request = make_request()
    user = django_user_model.objects.create_user("suivi", password="mot-de-passe-suivi", first_name="Anne")
    user.groups.add(Group.objects.get(name=SUPPORT_REQUESTS))
    page.set_default_timeout(20_000)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("suivi")
    page.locator("#id_password").fill("mot-de-passe-suivi")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(live_server.url + "/admin/accompagnement/")
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name=str(support_request)).click()
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_label("Nouveau statut").select_option("in_progress")
    page.get_by_role("button", name="Changer le statut").click()
    expect(page.get_by_text("Statut changé; la personne en est avisée par courriel.")).to_be_visible()
    page.get_by_label("Responsable", exact=True).select_option(str(user.pk))
    page.get_by_role("button", name="Enregistrer le responsable").click()
    expect(page.get_by_text("Responsable enregistré.")).to_be_visible()
    page.get_by_label("Note interne").fill("Premier appel fait, rappeler en janvier.")
    page.get_by_role("button", name="Ajouter la note").click()
    expect(page.get_by_text("Premier appel fait, rappeler en janvier.")).to_be_visible()
    expect(page.get_by_text("Nouvelle → En cours")).to_be_visible()
    assert violations(page) == []

    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.IN_PROGRESS
    assert support_request.assigned_to == user
