"""A contact asks for the proposal link, follows it from the real email and proposes changes, in French
and in English; axe finds nothing on the pages, the error state included."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from website import outbox
from website.models import Organisation, OrganisationContact, OutgoingEmail, ProfileProposal

pytestmark = pytest.mark.browser


def delivered_link(smtp, live_server):
    for pk in OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED).values_list("pk", flat=True):
        outbox.deliver(pk)
    (_to, message) = smtp.wait_for(1)[-1]
    body = message.get_body(("plain",)).get_content()
    return live_server.url + re.search(r"https?://\S+?(/(?:en/)?organismes/proposer/[^\s/]+/)", body).group(1)


@pytest.mark.parametrize(
    "prefix, labels",
    [
        (
            "",
            {
                "email": "Votre courriel",
                "send": "Recevoir le lien",
                "website": "Site web",
                "go": "Envoyer la proposition",
            },
        ),
        (
            "/en",
            {"email": "Your email", "send": "Get the link", "website": "Website", "go": "Send the proposal"},
        ),
    ],
)
def test_a_contact_proposes_changes_from_the_emailed_link(page, live_server, demo, smtp, prefix, labels):
    organisation = Organisation.objects.create(name="Popote roulante du Nord", description="Repas livrés.")
    OrganisationContact.objects.create(organisation=organisation, email="ana@gmail.com")

    page.goto(live_server.url + prefix + "/organismes/proposer/lien/")
    assert_accessible(page)
    page.get_by_label(labels["email"]).fill("ana@gmail.com")
    page.get_by_role("button", name=labels["send"]).click()
    expect(page.locator("h1")).to_be_visible()

    page.goto(delivered_link(smtp, live_server))
    assert_accessible(page)
    page.get_by_label(labels["website"]).fill("pas une adresse")
    page.get_by_role("button", name=labels["go"]).click()
    expect(page.get_by_label(labels["website"])).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.get_by_label(labels["website"]).fill("https://popote.example.org")
    page.get_by_role("button", name=labels["go"]).click()
    expect(page.locator("h1")).to_be_visible()
    proposal = ProfileProposal.objects.get()
    assert proposal.changes == {"website": "https://popote.example.org"}
    assert proposal.language == ("en" if prefix else "fr-ca")
    organisation.refresh_from_db()
    assert organisation.website == ""
