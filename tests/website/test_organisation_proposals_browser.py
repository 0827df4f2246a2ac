"""A contact asks for the proposal link, follows it from the real email and proposes changes and a logo,
in French and in English; the demo editor reviews it, the proposed logo shown, and approves; axe finds
nothing on the pages, the error state and the review screen included."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.walks.journeys import log_in, t
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
                "logo": "Nouveau logo (facultatif)",
            },
        ),
        (
            "/en",
            {
                "email": "Your email",
                "send": "Get the link",
                "website": "Website",
                "go": "Send the proposal",
                "logo": "New logo (optional)",
            },
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
    png = io.BytesIO()
    Image.new("RGBA", (300, 120), "#2a6").save(png, "PNG")
    page.get_by_label(labels["logo"]).set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": png.getvalue()}
    )
    page.get_by_role("button", name=labels["go"]).click()
    expect(page.locator("h1")).to_be_visible()
    proposal = ProfileProposal.objects.get()
    assert proposal.logo and organisation.logo is None
    assert proposal.changes == {"website": "https://popote.example.org"}
    assert proposal.language == ("en" if prefix else "fr-ca")
    organisation.refresh_from_db()
    assert organisation.website == ""

    # The demo editor reviews it, the proposed logo shown, and approves: it becomes the organisation's.
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/propositions-organismes/{proposal.pk}/")
    logo = page.locator(f'img[src="/admin/propositions-organismes/{proposal.pk}/logo.jpg"]')
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 300
    assert_accessible(page)
    page.get_by_role("button", name=t("fr", "Approuver et appliquer")).click()
    expect(page.locator(".messages")).to_be_visible()
    organisation.refresh_from_db()
    assert organisation.website == "https://popote.example.org" and organisation.logo.width == 300
