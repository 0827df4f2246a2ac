"""Mon espace for an organisation's contact (website.organisation_contacts): under "Mon organisme", the
records their organisation left, read-only, and never another organisation's."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PostFactory
from website import space
from website.models import Organisation, OrganisationContact, SpaceKey

pytestmark = pytest.mark.django_db

CAROLE = "carole@example.org"


def space_of(email):
    Client().post("/mon-espace/", {"email": email})
    key = SpaceKey.objects.get(email=email)
    return Client().get(f"/mon-espace/{space.token_for(key)}/")


def test_a_contact_sees_only_their_organisations_records(make_event, register):
    ours, theirs = (
        Organisation.objects.create(name="Maison des jeunes"),
        Organisation.objects.create(name="Centre d'action bénévole"),
    )
    OrganisationContact.objects.create(organisation=ours, email=CAROLE, name="Carole")
    event = make_event(title="Formation premiers soins")
    PostFactory(title="Salle de la Maison", member_organisation=ours, contact_email="colleague@example.org")
    PostFactory(title="Salle du Centre", member_organisation=theirs, contact_email="other@example.org")
    register(
        event,
        seats=3,
        email="colleague@example.org",
        contact_name="Collègue",
        organisation="Maison des jeunes",
    )
    Registration = event.registrations.model
    Registration.objects.filter(email="colleague@example.org").update(member_organisation=ours)
    register(event, seats=2, email="other@example.org", contact_name="Autre", organisation="Centre")
    Registration.objects.filter(email="other@example.org").update(member_organisation=theirs)

    # A contact with nothing of their own still gets the link: their organisation's records are theirs to see.
    page = space_of(CAROLE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mon organisme" in html and "Maison des jeunes" in html
    assert "Salle de la Maison" in html and "Collègue" in html
    assert "Salle du Centre" not in html and "Autre" not in html and "other@example.org" not in html
    assert 'href="/organismes/proposer/lien/"' in html  # a contact can propose profile changes
    # Read-only: no management link to a colleague's post or registration.
    assert not re.search(r'href="/babillard/gerer/', html)
    assert not re.search(r'href="/inscriptions/', html)


def test_a_person_who_is_no_contact_has_no_organisation_part():
    PostFactory(title="Ma remorque", contact_email="solo@example.org")
    html = space_of("solo@example.org").content.decode()
    assert "Ma remorque" in html and "Mon organisme" not in html and "/organismes/proposer/" not in html


def test_an_address_at_the_organisations_web_domain_makes_a_contact():
    organisation = Organisation.objects.create(
        name="Friperie du Nord", website="https://www.friperie-nord.example/", verified=True
    )
    PostFactory(title="Tri du samedi", member_organisation=organisation, contact_email="benevole@gmail.com")
    html = space_of("direction@friperie-nord.example").content.decode()
    assert "Mon organisme" in html and "Tri du samedi" in html
    Client().post("/mon-espace/", {"email": "direction@friperie-nord-example.com"})  # a look-alike domain
    assert not SpaceKey.objects.filter(email="direction@friperie-nord-example.com").exists()


def test_an_unverified_organisations_web_domain_shows_nothing_of_it():
    # Anyone can type an organisation's name and someone else's website: unverified, it proves nothing.
    organisation = Organisation.objects.create(
        name="Friperie du Sud", website="https://friperie-sud.example/"
    )
    PostFactory(title="Vente de mitaines", member_organisation=organisation, contact_email="autre@gmail.com")
    PostFactory(title="Mon vélo cargo", contact_email="curieux@friperie-sud.example")
    html = space_of("curieux@friperie-sud.example").content.decode()
    assert "Mon vélo cargo" in html
    assert "Mon organisme" not in html and "Vente de mitaines" not in html


def test_the_organisation_part_takes_the_same_queries_whatever_its_records(make_event, register):
    ours = Organisation.objects.create(name="Maison des jeunes")
    OrganisationContact.objects.create(organisation=ours, email=CAROLE, name="Carole")
    event = make_event(title="Formation premiers soins")
    Registration = event.registrations.model

    def add(n):
        PostFactory(title=f"Salle {n}", member_organisation=ours, contact_email=f"c{n}@example.org")
        register(event, email=f"c{n}@example.org", contact_name=f"Collègue {n}", organisation="Maison")
        Registration.objects.filter(email=f"c{n}@example.org").update(member_organisation=ours)

    add(0)
    client = Client()
    client.post("/mon-espace/", {"email": CAROLE})
    url = f"/mon-espace/{space.token_for(SpaceKey.objects.get(email=CAROLE))}/"
    client.get(url)  # the first page of a site creates its settings' rows
    with CaptureQueriesContext(connection) as small:
        assert "Salle 0" in client.get(url).content.decode()
    for n in range(1, 6):
        add(n)
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert all(f"Salle {n}" in html and f"Collègue {n}" in html for n in range(6))
    assert len(large.captured_queries) == len(small.captured_queries)
