"""Every public form links what a person wrote to an organisation; a merge moves every link, and cost
shares follow organisations, not typed names. On the demo's content (its organisations included)."""

import datetime

import pytest
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from bulletin.models import Post
from events import services as event_services
from events.models import EventPage, Registration
from newsletter.models import Subscriber, Topic
from website import organisations
from website.i18n import in_default_locale
from website.models import Organisation, Region, ResourceCategory, SupportRequestOrganisation


@pytest.fixture
def training(home):
    return in_default_locale(EventPage.objects).get(slug="formation-gestion-benevoles")


def demo_organisation(name):
    return Organisation.objects.get(name=name)


def post_data(organisation):
    return {
        "kind": "offre",
        "title": "Remorque à prêter",
        "description": "Disponible les fins de semaine.",
        "category": ResourceCategory.objects.get(slug="transport").pk,
        "regions": [Region.objects.get(slug="mirabel").pk],
        "organisation": organisation,
        "contact_name": "Alex",
        "contact_email": "alex@example.org",
        "expires_on": Post.default_expiry().isoformat(),
        "premises_accessible": "unknown",
        "notify_matches": "on",
    }


def support_data(organisation):
    return {
        "nom_de_lorganisme": organisation,
        "personne_ressource": "Julie Tremblay",
        "courriel": "julie@example.org",
        "telephone": "",
        "region": "Mirabel",
        "decrivez_votre_projet": "Partager une salle de formation avec un organisme voisin.",
    }


def test_each_public_form_links_a_known_name_or_alias(client, training, settings):
    settings.PUBLIC_FORM_RATE = "100/m"
    comptoir = demo_organisation("Comptoir alimentaire du Nord (fictif)")
    friperie = demo_organisation("Friperie solidaire (fictif)")

    assert (
        client.post("/babillard/publier/", post_data("COMPTOIR ALIMENTAIRE DU NORD (FICTIF)")).status_code
        == 302
    )
    post = Post.objects.get(title="Remorque à prêter")
    assert (
        post.member_organisation == comptoir and post.organisation == "COMPTOIR ALIMENTAIRE DU NORD (FICTIF)"
    )

    data = {"contact_name": "Robin", "email": "robin@example.org", "organisation": "CAN (fictif)", "seats": 1}
    assert client.post(training.url, data).status_code == 302
    registration = Registration.objects.get(email="robin@example.org")
    assert registration.member_organisation == comptoir  # through the alias

    signup = {
        "email": "lea@example.org",
        "first_name": "Léa",
        "organisation": "Friperie solidaire Basses-Laurentides (fictif)",
        "language": "fr-ca",
        "topics": [Topic.objects.first().pk],
        "consent": "on",
    }
    assert client.post("/infolettre/inscription/", signup).status_code == 302
    assert Subscriber.objects.get(email="lea@example.org").member_organisation == friperie

    assert client.post("/accompagnement/", support_data("friperie solidaire (fictif)")).status_code == 302
    link = SupportRequestOrganisation.objects.get(submission=FormSubmission.objects.latest("pk"))
    assert link.member_organisation == friperie and link.organisation == "friperie solidaire (fictif)"
    assert not Organisation.objects.filter(verified=False, name__icontains="friperie").exists()


def test_a_new_name_creates_one_unverified_organisation_for_editors(client, home):
    assert client.post("/accompagnement/", support_data("Ressourcerie des Moulins inc.")).status_code == 302
    assert client.post("/babillard/publier/", post_data("RESSOURCERIE DES MOULINS")).status_code == 302
    created = Organisation.objects.get(key="ressourcerie des moulins")
    assert (
        created.name == "Ressourcerie des Moulins inc."
        and not created.verified
        and not created.public_profile
    )
    assert Post.objects.get(title="Remorque à prêter").member_organisation == created


def test_the_forms_offer_verified_consenting_names_as_you_type(client, training):
    for url in ["/babillard/publier/", training.url, "/infolettre/inscription/", "/accompagnement/"]:
        html = client.get(url).content.decode()
        assert "<datalist" in html and 'list="id_' in html, url
        assert '<option value="Popote roulante de Mirabel (fictif)">' in html, url
        assert "Association des aînés de Mirabel" not in html, url  # no public-profile consent


def test_an_edited_name_links_again_unless_an_editor_chose_the_link(home):
    post = Post.objects.filter(organisation="Comptoir alimentaire du Nord (fictif)").first()
    post.organisation = "Popote roulante de Mirabel (fictif)"
    post.save()
    post.refresh_from_db()
    assert post.member_organisation.name == "Popote roulante de Mirabel (fictif)"
    chosen = demo_organisation("Friperie solidaire (fictif)")
    post.organisation, post.member_organisation = "Autre chose", chosen
    post.save()
    post.refresh_from_db()
    assert post.member_organisation == chosen


def test_a_merge_moves_every_link_and_the_cost_shares_follow(training):
    kept = demo_organisation("Popote roulante de Mirabel (fictif)")
    typo = "Popotte roulante de Mirabel"
    Registration.objects.create(
        event=training,
        organisation=kept.name,
        contact_name="A",
        email="a@example.org",
        seats=1,
        state=Registration.State.CONFIRMED,
    )
    registration = Registration.objects.create(
        event=training,
        organisation=typo,
        contact_name="B",
        email="b@example.org",
        seats=1,
        state=Registration.State.CONFIRMED,
    )
    duplicate = registration.member_organisation
    assert duplicate != kept and not duplicate.verified
    post = Post.objects.create(
        kind="demande",
        title="Bac réfrigéré",
        description="Pour l'été.",
        organisation=typo,
        contact_name="B",
        contact_email="b@example.org",
        category=ResourceCategory.objects.get(slug="transport"),
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    subscriber = Subscriber.objects.create(email="b@example.org", organisation=typo)
    submission = FormSubmission.objects.create(
        page=in_default_locale(EventPage.objects).first(), form_data={}
    )
    support = SupportRequestOrganisation.objects.create(submission=submission, organisation=typo)
    assert {post.member_organisation, subscriber.member_organisation, support.member_organisation} == {
        duplicate
    }
    shares_before = event_services.cost_shares(training)
    assert len(shares_before) == 4  # the demo's two, the Popote and its misspelled twin

    moved = organisations.merge(kept, duplicate)

    assert moved == {
        "bulletin.Post": 1,
        "events.Registration": 1,
        "newsletter.Subscriber": 1,
        "website.SupportRequestOrganisation": 1,
    }
    for record in (post, registration, subscriber, support):
        record.refresh_from_db()
        assert record.member_organisation == kept
    assert len(event_services.cost_shares(training)) == 3  # one share for the Popote, not two
    assert Organisation.objects.for_name(typo) == kept  # the misspelling is now an alias


def test_a_cost_share_shows_the_organisations_registry_name_not_what_was_typed(training):
    popote = demo_organisation("Popote roulante de Mirabel (fictif)")
    for email, typed in (
        ("c@example.org", "POPOTE ROULANTE DE MIRABEL (fictif) inc."),
        ("d@example.org", popote.name),
    ):
        Registration.objects.create(
            event=training,
            organisation=typed,
            contact_name="C",
            email=email,
            seats=1,
            state=Registration.State.CONFIRMED,
        )
    names = [name for name, _seats, _amount in event_services.cost_shares(training)]
    assert names.count(popote.name) == 1 and not any("POPOTE" in name for name in names)


def test_edit_screens_show_the_linked_organisation(client, admin_user, home):
    client.force_login(admin_user)
    comptoir = demo_organisation("Comptoir alimentaire du Nord (fictif)")
    post = Post.objects.filter(member_organisation=comptoir).first()
    registration = Registration.objects.filter(member_organisation=comptoir).first()
    subscriber = Subscriber.objects.exclude(member_organisation=None).first()
    for url in [
        f"/admin/snippets/bulletin/post/edit/{post.pk}/",
        f"/admin/snippets/events/registration/edit/{registration.pk}/",
        f"/admin/snippets/newsletter/subscriber/edit/{subscriber.pk}/",
    ]:
        html = client.get(url).content.decode()
        assert 'name="member_organisation"' in html and "Organisme membre" in html, url
    html = client.get(f"/admin/snippets/website/organisation/edit/{comptoir.pk}/").content.decode()
    assert "Fusionner un doublon" in html and "CAN (fictif)" in html
