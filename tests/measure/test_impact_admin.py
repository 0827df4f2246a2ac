"""An editor creates the impact page in the admin (the form as the browser posts it) and changes it."""

import re

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from measure.models import ImpactPage
from tests import factories
from website.i18n import in_default_locale
from website.models import CaseStudyPage

pytestmark = pytest.mark.django_db


def form(story, **fields):
    return nested_form_data(
        {
            "title": "Impact",
            "slug": "impact",
            "intro": rich_text("<p>Nos résultats.</p>"),
            "period": "year",
            "year": 2026,
            "show_board": "on",
            "show_accompaniment": "on",
            "show_charts": "on",
            "featured_case_studies": inline_formset([{"case_study": story.pk}]),
            "action-publish": "publish",
            **fields,
        }
    )


def errors(response):
    return re.findall(r'class="error-message">(.*?)<', response.content.decode(), re.S)


def test_an_editor_creates_the_impact_page_in_the_admin_and_it_shows_what_they_chose(client, admin_user):
    home = factories.home_page()
    story = factories.child_page(home, CaseStudyPage, "histoire", title="Une histoire partagée", summary="Ok")
    client.force_login(admin_user)
    url = f"/admin/pages/add/measure/impactpage/{home.pk}/"
    refused = client.post(url, form(story, year=""))
    assert refused.status_code == 200 and errors(refused)  # a year is needed for "une année"
    response = client.post(url, form(story))
    assert response.status_code == 302, errors(response)
    page = in_default_locale(ImpactPage.objects).get()
    assert page.live and page.scope().first_day.isoformat() == "2026-01-01"
    assert (page.show_board, page.show_events, page.show_charts) == (True, False, True)
    client.logout()
    shown = client.get("/impact/").content.decode()
    assert "Une histoire partagée" in shown and "Accompagnement" in shown and "Événements" not in shown
    client.force_login(admin_user)
    edited = client.post(f"/admin/pages/{page.pk}/edit/", form(story, title="Notre impact", show_charts=""))
    assert edited.status_code == 302, errors(edited)
    page.refresh_from_db()
    assert page.title == "Notre impact" and not page.show_charts
    assert client.get(f"/admin/pages/add/measure/impactpage/{home.pk}/").status_code in (302, 403)  # one
