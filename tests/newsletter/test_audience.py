"""An issue's audience narrowed by MRC region and organisation type, on top of its topics: who matches,
what happens to subscribers linked to no organisation, the send screen's count (the sender's own
queryset), revisions, constant queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.users.models import UserProfile

from newsletter import audience, sending
from newsletter.models import Subscriber
from tests import factories
from website.models import Organisation

pytestmark = pytest.mark.django_db

OBNL, COOP = Organisation.Kind.NON_PROFIT, Organisation.Kind.COOPERATIVE


def organisation(name, kind="", regions=()):
    org = Organisation.objects.create(name=name, kind=kind)
    org.regions.set(regions)
    org.save()
    return org


def subscriber(email, org=None, **fields):
    topics = fields.pop("topics", None)
    return factories.SubscriberFactory(email=email, member_organisation=org, topics=topics, **fields)


@pytest.fixture
def network():
    """Two MRC, organisations of each kind and region, and a subscriber linked to each (plus others)."""
    laurentides = factories.RegionFactory(slug="les-laurentides", name="Les Laurentides")
    mirabel = factories.RegionFactory(slug="mirabel", name="Mirabel")
    orgs = {
        "obnl-laurentides": organisation("Centre du Nord", OBNL, [laurentides]),
        "coop-mirabel": organisation("Coop de Mirabel", COOP, [mirabel]),
        "obnl-both": organisation("Réseau des deux MRC", OBNL, [laurentides, mirabel]),
        "bare": organisation("Sans fiche"),  # no type, no region on record
    }
    for key, org in orgs.items():
        subscriber(f"{key}@example.org", org)
    subscriber("unlinked@example.org")
    subscriber("left@example.org", orgs["obnl-laurentides"], state=Subscriber.State.UNSUBSCRIBED)
    lapsed = timezone.now() - datetime.timedelta(days=1)
    subscriber("lapsed@example.org", orgs["obnl-laurentides"], consent_expires_at=lapsed)
    other = factories.TopicFactory(slug="formations", name="Formations")
    subscriber("other-topic@example.org", orgs["obnl-laurentides"], topics=[other])
    return {"laurentides": laurentides, "mirabel": mirabel, **orgs}


def narrowed_issue(slug="numero-cible", regions=(), kinds=(), include_unlinked=False):
    issue = factories.make_issue(slug=slug, organisation_kinds=list(kinds), include_unlinked=include_unlinked)
    issue.regions.set(regions)
    issue.save()
    return issue


def emails(queryset):
    return {address.split("@")[0] for address in queryset.values_list("email", flat=True)}


EVERYONE = {"obnl-laurentides", "coop-mirabel", "obnl-both", "bare", "unlinked"}


def test_without_a_region_or_type_everyone_of_the_topics_receives_it(network):
    assert emails(sending.audience(narrowed_issue())) == EVERYONE


def test_a_region_keeps_organisations_of_that_region_only(network):
    issue = narrowed_issue(regions=[network["laurentides"]])
    assert emails(sending.audience(issue)) == {"obnl-laurentides", "obnl-both"}


def test_a_type_keeps_organisations_of_that_type_only(network):
    assert emails(sending.audience(narrowed_issue(kinds=[COOP]))) == {"coop-mirabel"}


def test_region_and_type_both_apply(network):
    issue = narrowed_issue(regions=[network["mirabel"]], kinds=[OBNL])
    assert emails(sending.audience(issue)) == {"obnl-both"}
    issue = narrowed_issue("deux", regions=[network["mirabel"], network["laurentides"]], kinds=[OBNL, COOP])
    assert emails(sending.audience(issue)) == {"obnl-laurentides", "coop-mirabel", "obnl-both"}


def test_subscribers_without_an_organisation_are_left_out_unless_the_issue_includes_them(network):
    issue = narrowed_issue(kinds=[OBNL])
    assert "unlinked" not in emails(sending.audience(issue))
    assert audience.summary(issue)["unlinked_left_out"] == 1
    included = narrowed_issue("avec-sans-organisme", kinds=[OBNL], include_unlinked=True)
    assert emails(sending.audience(included)) == {"obnl-laurentides", "obnl-both", "unlinked"}
    assert audience.summary(included)["unlinked_left_out"] == 0


def test_an_organisation_with_no_region_or_type_on_record_matches_no_filter(network):
    for issue in (narrowed_issue(regions=[network["laurentides"]]), narrowed_issue("type", kinds=[OBNL])):
        assert "bare" not in emails(sending.audience(issue))


def test_the_sender_snapshots_exactly_what_the_screen_counts(network, django_capture_on_commit_callbacks):
    issue = narrowed_issue(regions=[network["laurentides"]], kinds=[OBNL], include_unlinked=True)
    counted = sending.recipients_left(issue).count()
    with django_capture_on_commit_callbacks(execute=False):
        send = sending.start(issue)
        created = sending.prepare(send.pk)
    delivered_to = emails(Subscriber.objects.filter(deliveries__send=send))
    assert created == counted == 3 and delivered_to == {"obnl-laurentides", "obnl-both", "unlinked"}


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def screen_count(html):
    return int(re.search(r"(\d+) personnes? abonnées? recevr", html).group(1))


def test_the_send_screen_shows_the_count_the_filters_and_what_happens_to_unlinked_subscribers(
    client, editor, network
):
    issue = narrowed_issue(regions=[network["mirabel"]])
    html = client.get(f"/admin/infolettre/numeros/{issue.pk}/").content.decode()
    assert screen_count(html) == 2 == sending.recipients_left(issue).count()
    assert "Régions (MRC)" in html and "Mirabel" in html and "Types d'organisme" in html
    assert "Les abonnés sans organisme lié ne reçoivent pas ce numéro (1 personne de ses thèmes)." in html
    confirm = client.get(f"/admin/infolettre/numeros/{issue.pk}/envoyer/").content.decode()
    assert "maintenant à 2 personnes" in confirm
    plain = narrowed_issue("pour-tous")
    html = client.get(f"/admin/infolettre/numeros/{plain.pk}/").content.decode()
    assert screen_count(html) == 5 and "quels que soient leur région et leur organisme" in html


def test_the_send_screen_in_english(client, editor, network):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    issue = narrowed_issue(kinds=[COOP], include_unlinked=True)
    html = client.get(f"/admin/infolettre/numeros/{issue.pk}/").content.decode()
    assert "Organisation types:" in html and "Co-operative" in html
    assert "Subscribers linked to no organisation receive this issue too." in html


def test_the_editor_chooses_regions_and_types_as_checkboxes_and_they_live_in_revisions(
    client, editor, network
):
    issue = narrowed_issue()
    html = client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert f'name="regions" value="{network["mirabel"].pk}"' in html
    assert re.search(r'<input type="checkbox" name="organisation_kinds" value="cooperative"', html)
    assert 'name="include_unlinked"' in html and "sinon, ils ne le reçoivent pas" in html
    issue.regions.set([network["mirabel"]])
    issue.organisation_kinds = [COOP]
    revision = issue.save_revision()
    draft = type(issue).objects.get(pk=issue.pk).get_latest_revision_as_object()
    assert list(draft.regions.all()) == [network["mirabel"]] and draft.organisation_kinds == [COOP]
    live = type(issue).objects.get(pk=issue.pk)
    assert emails(sending.audience(live)) == EVERYONE  # a draft changes nothing until published
    revision.publish()
    live = type(issue).objects.get(pk=issue.pk)
    assert emails(sending.audience(live)) == {"coop-mirabel"}


def queries_of_send_screen(client, issue):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/admin/infolettre/numeros/{issue.pk}/").status_code == 200
    return len(queries)


def test_the_send_screen_costs_the_same_queries_for_few_or_many_subscribers(client, editor, network):
    issue = narrowed_issue(regions=[network["laurentides"]], kinds=[OBNL])
    queries_of_send_screen(client, issue)  # warm-up (content types, site)
    few = queries_of_send_screen(client, issue)
    for index in range(40):
        org = organisation(f"Organisme {index}", OBNL, [network["laurentides"], network["mirabel"]])
        subscriber(f"plus{index}@example.org", org)
        subscriber(f"seul{index}@example.org")
    many = queries_of_send_screen(client, issue)
    assert screen_count(client.get(f"/admin/infolettre/numeros/{issue.pk}/").content.decode()) == 42
    assert many == few
