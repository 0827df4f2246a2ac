"""Organisation contacts: who an editor attached, who shares the organisation's web domain, and no one
else; the admin screens by permission; merging; the privacy service."""

import json

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError

from website import organisations, privacy
from website.models import Organisation, OrganisationContact
from website.organisation_contacts import is_contact, organisations_for_email
from website.permissions import CONTENT, PRIVACY, ensure_groups
from website.web_domains import email_domain, website_domain

# --- Domains ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, domain",
    [
        ("https://www.example.org/fr/", "example.org"),
        ("http://EXAMPLE.org", "example.org"),
        ("example.org", "example.org"),
        ("https://cab.example.qc.ca", "example.qc.ca"),
        # A private suffix of the list: the page's own name is the domain, never wixsite.com itself.
        ("https://popote.wixsite.com/site", "popote.wixsite.com"),
        ("https://wixsite.com/popote", ""),
        ("https://www.facebook.com/popote", ""),
        ("https://192.168.0.1/", ""),
        ("https://café.ca", "xn--caf-dma.ca"),
        ("https://org/", ""),
        ("", ""),
        ("http://[::1", ""),
    ],
)
def test_the_registrable_domain_of_a_website(url, domain):
    assert website_domain(url) == domain


@pytest.mark.parametrize(
    "email, domain",
    [
        ("ana@example.org", "example.org"),
        ("Ana@Mail.Example.ORG", "example.org"),
        ("ana@evil-example.org", "evil-example.org"),
        ("ana@example.org.evil.com", "evil.com"),
        ("ana@gmail.com", ""),
        ("ana@hotmail.com", ""),
        ("ana@outlook.com", ""),
        ("ana@videotron.ca", ""),
        ("ana@yahoo.fr", ""),
        ("ana@yahoo.co.uk", ""),
        ("ana@xn--caf-dma.ca", "xn--caf-dma.ca"),
        ("ana@café.ca", "xn--caf-dma.ca"),
        ("ana@[10.0.0.1]", ""),
        ("@example.org", ""),
        ("example.org", ""),
    ],
)
def test_the_registrable_domain_of_an_address(email, domain):
    assert email_domain(email) == domain


# --- Who is a contact ---------------------------------------------------------------------------------


@pytest.fixture
def popote(db):
    return Organisation.objects.create(
        name="Popote roulante", website="https://www.popote.example.org/", verified=True
    )


def test_an_address_at_the_organisations_web_domain_is_a_contact(popote):
    assert popote.web_domain == "example.org"
    assert list(organisations_for_email("Ana@popote.example.org")) == [popote]
    assert list(organisations_for_email("ana@example.org")) == [popote]
    assert is_contact("direction@EXAMPLE.ORG", popote)


@pytest.mark.parametrize(
    "email",
    [
        "ana@evil-example.org",
        "ana@example.org.evil.com",
        "ana@example.com",
        "ana@org",
        "example.org",
        "ana@exampleXorg",
        "",
    ],
)
def test_a_look_alike_domain_is_not_a_contact(popote, email):
    assert not organisations_for_email(email).exists()


@pytest.mark.parametrize("free", ["gmail.com", "hotmail.com", "outlook.com", "videotron.ca", "yahoo.ca"])
def test_a_free_mail_domain_never_makes_a_contact(db, free):
    organisation = Organisation.objects.create(name="Club", website=f"https://{free}/club", verified=True)
    assert organisation.web_domain == ""
    assert not organisations_for_email(f"someone@{free}").exists()


def test_an_unverified_organisations_domain_makes_no_contact_until_an_editor_verifies_it(db):
    # Anyone can create an unverified organisation by typing a name and someone else's website.
    claimed = Organisation.objects.create(name="Pas la Popote", website="https://popote.example.org/")
    assert claimed.web_domain == "example.org" and not claimed.verified
    assert not organisations_for_email("ana@example.org").exists()
    assert not is_contact("ana@popote.example.org", claimed)
    claimed.verified = True
    claimed.save(update_fields=["verified"])
    assert list(organisations_for_email("ana@example.org")) == [claimed]


def test_an_editor_attached_contact_counts_even_for_an_unverified_organisation(db):
    unverified = Organisation.objects.create(
        name="Nouvelle friperie", website="https://friperie.example.net/"
    )
    OrganisationContact.objects.create(organisation=unverified, email="lea@example.net")
    assert list(organisations_for_email("lea@example.net")) == [unverified]
    assert not organisations_for_email("zoe@example.net").exists()


def test_a_changed_website_changes_the_domain(popote):
    popote.website = "https://autre.example.net"
    popote.save(update_fields=["website"])
    popote.refresh_from_db()
    assert popote.web_domain == "example.net"
    assert not organisations_for_email("ana@example.org").exists()
    assert organisations_for_email("ana@example.net").get() == popote


def test_an_address_an_editor_attached_is_a_contact_of_that_organisation_only(popote):
    other = Organisation.objects.create(name="Friperie")
    OrganisationContact.objects.create(organisation=other, email="  Bea@Gmail.com ")
    assert list(organisations_for_email("bea@gmail.com")) == [other]
    assert not organisations_for_email("cleo@gmail.com").exists()
    assert not is_contact("bea@gmail.com", popote)


def test_both_ways_list_each_organisation_once(popote):
    OrganisationContact.objects.create(organisation=popote, email="ana@example.org")
    second = Organisation.objects.create(
        name="Comptoir", website="https://example.org/comptoir", verified=True
    )
    found = organisations_for_email("ana@example.org").order_by("name")
    assert list(found) == [second, popote]


def test_one_row_per_address_and_organisation(popote):
    OrganisationContact.objects.create(organisation=popote, email="ana@example.org")
    with pytest.raises(IntegrityError):
        OrganisationContact.objects.create(organisation=popote, email="ANA@example.org ")


def test_merging_keeps_one_contact_per_address(popote):
    duplicate = Organisation.objects.create(name="Popote roulante inc")
    OrganisationContact.objects.create(organisation=popote, email="ana@gmail.com")
    OrganisationContact.objects.create(organisation=duplicate, email="ana@gmail.com")
    OrganisationContact.objects.create(organisation=duplicate, email="bea@gmail.com")
    organisations.merge(popote, duplicate)
    emails = sorted(popote.contacts.values_list("email", flat=True))
    assert emails == ["ana@gmail.com", "bea@gmail.com"]


# --- Admin --------------------------------------------------------------------------------------------

CONTACTS_URL = "/admin/snippets/website/organisationcontact/"


def user_in(django_user_model, group_name, username):
    ensure_groups()
    user = django_user_model.objects.create_user(username, password="x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_the_content_group_adds_a_contact_and_is_named_as_who_added_it(client, popote, django_user_model):
    editor = user_in(django_user_model, CONTENT, "contenu")
    client.force_login(editor)
    form = client.get(CONTACTS_URL + f"add/?organisme={popote.pk}").content.decode()
    assert f'<option value="{popote.pk}" selected>' in form
    data = {"organisation": popote.pk, "email": "Ana@Gmail.com", "name": "Ana", "role": "Direction"}
    response = client.post(CONTACTS_URL + "add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = OrganisationContact.objects.get()
    assert contact.email == "ana@gmail.com" and contact.added_by == editor
    # The same address again is a form error, not a 500.
    again = client.post(CONTACTS_URL + "add/", {**data, "email": "ANA@gmail.com"})
    assert again.status_code == 200 and OrganisationContact.objects.count() == 1
    edit = client.get(f"/admin/snippets/website/organisation/edit/{popote.pk}/").content.decode()
    assert "Personnes-ressources (1)" in edit
    listed = client.get(CONTACTS_URL + f"?organisation={popote.pk}").content.decode()
    assert "ana@gmail.com" in listed


def test_without_the_permission_no_contact_is_shown_or_added(client, popote, django_user_model):
    OrganisationContact.objects.create(organisation=popote, email="ana@gmail.com")
    ensure_groups()
    user = django_user_model.objects.create_user("organismes", password="x")
    content = Group.objects.get(name=CONTENT)
    # Someone who may edit organisations but holds none of the contacts' permissions.
    user.user_permissions.add(*content.permissions.exclude(codename__endswith="organisationcontact"))
    client.force_login(user)
    edit = client.get(f"/admin/snippets/website/organisation/edit/{popote.pk}/")
    assert edit.status_code == 200 and "Personnes-ressources" not in edit.content.decode()
    assert client.get(CONTACTS_URL).status_code in (302, 403)
    data = {"organisation": popote.pk, "email": "bea@gmail.com"}
    assert client.post(CONTACTS_URL + "add/", data).status_code in (302, 403)
    assert not OrganisationContact.objects.filter(email="bea@gmail.com").exists()


def test_the_privacy_officer_reads_contacts_but_does_not_change_them(client, popote, django_user_model):
    contact = OrganisationContact.objects.create(organisation=popote, email="ana@gmail.com")
    client.force_login(user_in(django_user_model, PRIVACY, "vieprivee"))
    assert "ana@gmail.com" in client.get(CONTACTS_URL).content.decode()
    client.post(CONTACTS_URL + f"delete/{contact.pk}/")
    assert OrganisationContact.objects.filter(pk=contact.pk).exists()


# --- Privacy ------------------------------------------------------------------------------------------


def test_privacy_finds_exports_and_erases_contacts(popote):
    OrganisationContact.objects.create(organisation=popote, email="ana@gmail.com", name="Ana", role="Dir.")
    kept = OrganisationContact.objects.create(organisation=popote, email="bea@gmail.com")
    found = dict(privacy.find("ANA@gmail.com", record=False))
    assert any(source.name == "organisations" for source in found)
    exported = json.loads(privacy.export_json("ana@gmail.com"))
    assert exported["data"]["organisations"]["contacts"][0]["organisation"] == "Popote roulante"
    privacy.erase("ana@gmail.com")
    assert list(OrganisationContact.objects.all()) == [kept]
    assert not privacy.leftovers("ana@gmail.com")
