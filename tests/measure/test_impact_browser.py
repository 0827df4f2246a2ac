"""The demo's impact page in Chromium, in French and English: reached from the footer, charts beside
their tables, the report link, and no axe violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.browser]


def test_the_demo_impact_page_is_reached_from_the_footer_and_passes_axe_in_both_languages(
    page, live_server, demo
):
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Impact").click()
    expect(page).to_have_url(re.compile(r"/impact/$"))
    for path, words in [("/impact/", "Demandes par statut"), ("/en/impact/", "Requests by status")]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Impact")
        expect(page.get_by_role("heading", name=words)).to_be_visible()
        assert page.locator("svg.measure-chart").count() >= 3
        assert page.locator("table.measure-table").count() >= 3
        expect(page.get_by_role("link", name=re.compile("PDF"))).to_have_attribute("href", path + "rapport/")
        assert_accessible(page, label=path)
