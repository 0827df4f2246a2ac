"""Profile proposals: a contact asks for the link, proposes changes from the real email, editors compare
and approve or refuse, the person learns the decision in their language; nothing is public before."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from website import organisation_proposals as proposals
from website import outbox, privacy
from website.models import Organisation, OrganisationContact, OutgoingEmail, ProfileProposal, Region
from website.permissions import CONTENT, PRIVACY, ensure_groups
from website.tokens import make_token

LINK = "/organismes/proposer/lien/"
CONTACT = "ana@popote.example.org"


@pytest.fixture
def popote(db):
    return Organisation.objects.create(
        name="Popote roulante",
        website="https://popote.example.org",
        description="Repas livrés.",
        kind=Organisation.Kind.NON_PROFIT,
        verified=True,
    )


@pytest.fixture
def region(db):
    return Region.objects.create(name="Mirabel", name_en="Mirabel", slug="mirabel")


def deliver_all(smtp):
    """Send every queued email through the real (loopback) SMTP server; the messages received."""
    for pk in OutgoingEmail.objects.filter(state=OutgoingEmail.State.QUEUED).values_list("pk", flat=True):
        outbox.deliver(pk)
    return list(smtp.messages)


def form_data(organisation, **changes):
    data = {
        "description": organisation.description,
        "website": organisation.website,
        "email": organisation.email,
        "phone": organisation.phone,
        "postal_address": organisation.postal_address,
        "kind": organisation.kind,
        "name": "Ana",
    }
    if organisation.public_profile:
        data["public_profile"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def link_from(message, language_prefix=""):
    body = message.get_body(("plain",)).get_content()
    match = re.search(rf"https?://[^\s]+({language_prefix}/organismes/proposer/[^\s/]+/)", body)
    assert match, body
    return match.group(1)


# --- Asking for the link ------------------------------------------------------------------------------


def test_a_contact_and_a_stranger_get_the_same_answer_and_only_the_contact_an_email(client, popote, smtp):
    stranger = client.post(LINK, {"email": "someone@gmail.com"})
    contact = client.post(LINK, {"email": "Ana@Popote.Example.org"})
    assert stranger.status_code == contact.status_code == 302
    assert stranger["Location"] == contact["Location"]
    assert client.get(contact["Location"]).status_code == 200
    ((recipients, message),) = deliver_all(smtp)
    assert recipients == [CONTACT] and "Popote roulante" in message.get_body(("plain",)).get_content()


def test_the_link_form_is_validated_and_rate_limited(client, popote, settings):
    assert client.post(LINK, {"email": "pas-un-courriel"}).status_code == 400
    assert client.post(LINK, {"email": "a" * 250 + "@x.org"}).status_code == 400
    settings.PUBLIC_FORM_RATE = "1/d"
    client.post(LINK, {"email": CONTACT})
    refused = client.post(LINK, {"email": CONTACT})
    assert refused.status_code == 429 and "Trop d" in refused.content.decode()
    assert OutgoingEmail.objects.count() == 1


# --- The link -----------------------------------------------------------------------------------------


def test_a_forged_expired_or_foreign_link_changes_nothing(client, popote):
    other = Organisation.objects.create(name="Friperie")
    forged = make_token("other-purpose", popote.pk, CONTACT)
    not_a_contact = proposals.link_token(other, CONTACT)
    for token in (forged, not_a_contact, "abc", proposals.link_token(popote, CONTACT) + "x"):
        response = client.get(f"/organismes/proposer/{token}/")
        assert response.status_code == 404
        assert client.post(f"/organismes/proposer/{token}/", form_data(popote)).status_code == 404
    assert not ProfileProposal.objects.exists()


def test_a_link_expires(client, popote, monkeypatch):
    token = proposals.link_token(popote, CONTACT)
    monkeypatch.setattr(proposals, "LINK_MAX_AGE", -1)
    assert client.get(f"/organismes/proposer/{token}/").status_code == 404


def test_a_link_dies_when_the_person_is_no_longer_a_contact(client, db):
    friperie = Organisation.objects.create(name="Friperie")
    contact = OrganisationContact.objects.create(organisation=friperie, email="bea@gmail.com")
    token = proposals.link_token(friperie, "bea@gmail.com")
    assert client.get(f"/organismes/proposer/{token}/").status_code == 200
    contact.delete()
    assert client.get(f"/organismes/proposer/{token}/").status_code == 404


# --- Proposing ----------------------------------------------------------------------------------------


def test_the_form_refuses_bad_values_next_to_the_field_and_never_a_500(client, popote, settings):
    settings.PUBLIC_FORM_RATE = "100/m"
    url = f"/organismes/proposer/{proposals.link_token(popote, CONTACT)}/"
    cases = {
        "website": "pas une adresse",
        "email": "pas-un-courriel",
        "phone": "appelez-moi",
        "description": "x" * 601,
        "postal_address": "<script>alert(1)</script>",
        "kind": "inconnu",
        "regions": "99999999999999999999",
    }
    for field, value in cases.items():
        response = client.post(url, form_data(popote, **{field: value}))
        assert response.status_code == 400, field
        assert response.context["form"].errors.get(field), field
    unchanged = client.post(url, form_data(popote))
    assert unchanged.status_code == 400 and "Rien n" in unchanged.content.decode()
    assert not ProfileProposal.objects.exists()


def test_proposing_again_replaces_the_pending_proposal(popote, region):
    first = proposals.propose(
        organisation=popote,
        email=CONTACT,
        name="Ana",
        language="fr",
        values={**proposals.current_values(popote), "phone": "450 555-0101"},
    )
    values = {**proposals.current_values(popote), "regions": [region], "phone": "450 555-0199"}
    second = proposals.propose(organisation=popote, email=CONTACT, name="Ana", language="en", values=values)
    assert first.pk == second.pk and ProfileProposal.objects.count() == 1
    assert second.changes == {"phone": "450 555-0199", "regions": [region.pk]}
    assert second.previous == {"phone": "", "regions": []} and second.language == "en"


def test_the_whole_journey_in_english_from_the_real_emails(client, admin_client, popote, region, smtp):
    client.post("/en" + LINK, {"email": CONTACT})
    ((_to, message),) = deliver_all(smtp)
    assert message["Subject"] == "Propose changes to your organisation's profile"
    path = link_from(message, "/en")
    page = client.get(path)
    assert page.status_code == 200 and "Propose changes to the profile" in page.content.decode()

    data = form_data(popote, description="Repas chauds livrés à domicile.", public_profile="on")
    data["regions"] = [region.pk]
    sent = client.post(path, data)
    assert sent.status_code == 302 and client.get(sent["Location"]).status_code == 200

    # Nothing public before approval: the organisation is unchanged and still out of the directory.
    popote.refresh_from_db()
    assert popote.description == "Repas livrés." and not popote.public_profile
    assert client.get(f"/organismes/{popote.slug}/").status_code == 404

    index = admin_client.get("/admin/propositions-organismes/").content.decode()
    assert "1 proposition en attente" in index and "Popote roulante" in index
    proposal = ProfileProposal.objects.get()
    review = admin_client.get(f"/admin/propositions-organismes/{proposal.pk}/").content.decode()
    assert "Repas livrés." in review and "Repas chauds livrés à domicile." in review and "Mirabel" in review
    assert admin_client.post(f"/admin/propositions-organismes/{proposal.pk}/approuver/").status_code == 302

    popote.refresh_from_db()
    assert popote.description == "Repas chauds livrés à domicile." and popote.public_profile
    assert list(popote.regions.all()) == [region]
    assert "Repas chauds" in client.get(f"/organismes/{popote.slug}/").content.decode()
    entry = ModelLogEntry.objects.get(action="website.organisation.proposal_approve")
    assert entry.object_id == str(popote.pk) and CONTACT not in json.dumps(entry.data)

    (_first, (recipients, decision)) = deliver_all(smtp)
    assert recipients == [CONTACT]
    assert decision["Subject"] == "Your changes to the profile of “Popote roulante” are approved"
    assert f"/en/organismes/{popote.slug}/" in decision.get_body(("plain",)).get_content()
    # Deciding twice does nothing.
    admin_client.post(f"/admin/propositions-organismes/{proposal.pk}/refuser/", {"reason": "non"})
    proposal.refresh_from_db()
    assert proposal.state == ProfileProposal.State.APPROVED


def test_a_refusal_changes_nothing_and_tells_why_in_french(admin_client, popote, smtp):
    values = {**proposals.current_values(popote), "website": "https://autre.example.net"}
    proposal = proposals.propose(organisation=popote, email=CONTACT, name="", language="fr", values=values)
    response = admin_client.post(
        f"/admin/propositions-organismes/{proposal.pk}/refuser/", {"reason": "Ce site n'est pas le vôtre."}
    )
    assert response.status_code == 302
    popote.refresh_from_db()
    assert popote.website == "https://popote.example.org"
    ((recipients, message),) = deliver_all(smtp)
    assert message["Subject"] == "Vos changements au profil de « Popote roulante » n'ont pas été retenus"
    assert "Ce site n'est pas le vôtre." in message.get_body(("plain",)).get_content()
    assert ModelLogEntry.objects.filter(action="website.organisation.proposal_refuse").exists()


# --- Admin permissions and queries ----------------------------------------------------------------------


def user_in(django_user_model, group_name, username):
    ensure_groups()
    user = django_user_model.objects.create_user(username, password="x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def proposal(popote):
    values = {**proposals.current_values(popote), "phone": "450 555-0101"}
    return proposals.propose(organisation=popote, email=CONTACT, name="Ana", language="fr", values=values)


def test_the_content_group_decides_the_privacy_officer_only_reads(client, proposal, django_user_model):
    client.force_login(user_in(django_user_model, PRIVACY, "vieprivee"))
    assert client.get(f"/admin/propositions-organismes/{proposal.pk}/").status_code == 200
    client.post(f"/admin/propositions-organismes/{proposal.pk}/approuver/")
    proposal.refresh_from_db()
    assert proposal.state == ProfileProposal.State.PENDING
    client.force_login(user_in(django_user_model, CONTENT, "contenu"))
    assert "Propositions de profil (1)" in client.get("/admin/").content.decode()
    client.post(f"/admin/propositions-organismes/{proposal.pk}/approuver/")
    proposal.refresh_from_db()
    assert proposal.state == ProfileProposal.State.APPROVED


def test_without_the_permission_the_screens_refuse(client, proposal, django_user_model):
    ensure_groups()
    user = django_user_model.objects.create_user("organismes", password="x")
    content = Group.objects.get(name=CONTENT)
    user.user_permissions.add(*content.permissions.exclude(codename__endswith="profileproposal"))
    client.force_login(user)
    for url in ("", f"{proposal.pk}/"):
        assert client.get(f"/admin/propositions-organismes/{url}").status_code == 302
    assert "Propositions de profil" not in client.get("/admin/").content.decode()
    client.post(f"/admin/propositions-organismes/{proposal.pk}/approuver/")
    proposal.refresh_from_db()
    assert proposal.state == ProfileProposal.State.PENDING


def test_the_list_takes_the_same_queries_at_two_sizes(admin_client, popote):
    def make(count):
        for i in range(count):
            organisation = Organisation.objects.create(name=f"Organisme {i} {count}")
            values = {**proposals.current_values(organisation), "phone": "450 555-0101"}
            proposals.propose(
                organisation=organisation, email=f"p{i}@gmail.com", name="", language="fr", values=values
            )

    make(2)
    # Warm: the first admin request of a process fills caches of its own (content types, locales), which
    # depends on what ran before in that process, not on the list's size.
    assert admin_client.get("/admin/propositions-organismes/").status_code == 200
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get("/admin/propositions-organismes/").status_code == 200
    make(10)
    with CaptureQueriesContext(connection) as large:
        page = admin_client.get("/admin/propositions-organismes/").content.decode()
    assert "12 propositions en attente" in page
    assert len(large.captured_queries) == len(small.captured_queries)


# --- Privacy and retention ------------------------------------------------------------------------------


def test_privacy_exports_and_erases_proposals(proposal):
    exported = json.loads(privacy.export_json(CONTACT))
    assert exported["data"]["organisations"]["proposals"][0]["changes"] == {"phone": "450 555-0101"}
    privacy.erase(CONTACT)
    assert not ProfileProposal.objects.exists()
    assert not privacy.leftovers(CONTACT)


def test_retention_removes_decided_proposals_after_the_period(proposal, popote, settings):
    pending = proposals.propose(
        organisation=popote,
        email="bea@popote.example.org",
        name="",
        language="fr",
        values={**proposals.current_values(popote), "email": "info@popote.example.org"},
    )
    proposals.refuse(proposal)
    later = timezone.now() + timezone.timedelta(days=31 * settings.RETENTION_PROPOSAL_MONTHS + 1)
    assert proposals.apply_retention(timezone.now()) == {"proposals_deleted": 0}
    assert proposals.apply_retention(later) == {"proposals_deleted": 1}
    assert list(ProfileProposal.objects.all()) == [pending]


# --- Reviewers are told -----------------------------------------------------------------------------------


def reviewer(django_user_model, username, email, language="", group=CONTENT):
    user = user_in(django_user_model, group, username)
    user.email = email
    user.save(update_fields=["email"])
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save(update_fields=["preferred_language"])
    return user


def test_the_content_group_is_told_of_a_new_proposal_once_in_each_ones_language(
    client, popote, region, smtp, django_user_model
):
    reviewer(django_user_model, "chloe", "chloe@reseau.example", language="en")
    reviewer(django_user_model, "remi", "remi@reseau.example")  # no preference: the site's language
    reviewer(django_user_model, "vp", "vp@reseau.example", group=PRIVACY)  # reads, never decides
    user_in(django_user_model, CONTENT, "sans-courriel")  # no address: skipped
    client.post(LINK, {"email": CONTACT})
    path = link_from(deliver_all(smtp)[0][1])
    data = form_data(popote, description="Repas chauds.", phone="450 555-0101")
    data["regions"] = [region.pk]
    assert client.post(path, data).status_code == 302
    assert client.post(path, {**data, "phone": "450 555-0199"}).status_code == 302  # the same proposal
    proposal = ProfileProposal.objects.get()
    told = {recipients[0]: message for recipients, message in deliver_all(smtp)[1:]}
    assert sorted(told) == ["chloe@reseau.example", "remi@reseau.example"]
    review = f"http://testserver/admin/propositions-organismes/{proposal.pk}/"
    english = told["chloe@reseau.example"].get_body(("plain",)).get_content()
    french = told["remi@reseau.example"].get_body(("plain",)).get_content()
    assert review in english and review in french
    assert told["chloe@reseau.example"]["Subject"] == "Change proposed to the profile of Popote roulante"
    assert told["remi@reseau.example"]["Subject"] == "Modification proposée au profil de Popote roulante"
    assert "description" in french and "Nothing is published" in english
    assert CONTACT not in english + french


def test_no_reviewer_is_told_when_nothing_changes(popote, django_user_model):
    reviewer(django_user_model, "chloe", "chloe@reseau.example")
    assert (
        proposals.propose(
            organisation=popote,
            email=CONTACT,
            name="Ana",
            language="fr",
            values=proposals.current_values(popote),
        )
        is None
    )
    assert not OutgoingEmail.objects.filter(tag="organisation-proposal-reviewers").exists()
