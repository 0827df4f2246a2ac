"""The data migrations link the organisation names typed before the registry existed, on the demo's
content: the database goes back to before the organisations, keeps its typed names, and comes forward."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page

from bulletin.models import Post
from events.models import Registration
from newsletter.models import Subscriber
from website.models import Organisation, SupportRequestOrganisation
from website.organisation_names import normalise

BEFORE = [
    ("website", "0006_default_workflow_in_french"),
    ("bulletin", "0004_post_image_alt"),
    ("events", "0006_state"),
    ("newsletter", "0006_subscriber_state"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def type_names_the_old_way(apps):
    """What visitors typed before: the demo's names, one of them in capitals, and a support request
    (Wagtail's own tables have not changed: their models are used as they are)."""
    posts = apps.get_model("bulletin", "Post")
    posts.objects.filter(organisation="Comptoir alimentaire du Nord (fictif)").update(
        organisation="COMPTOIR ALIMENTAIRE DU NORD (FICTIF)"
    )
    page = Page.objects.get(slug="accompagnement", locale__language_code="fr-ca")
    FormSubmission.objects.create(
        page_id=page.pk,
        form_data={"nom_de_lorganisme": "Popote roulante de Mirabel, OBNL", "courriel": "x@example.org"},
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_links_todays_typed_names_merging_obvious_duplicates(demo):
    try:
        old = migrate(BEFORE)
        type_names_the_old_way(old)
        migrate(latest())
    finally:
        migrate(latest())

    records = [*Post.objects.all(), *Registration.objects.all(), *Subscriber.objects.exclude(organisation="")]
    assert records and all(r.member_organisation for r in records)
    for record in records:
        assert normalise(record.organisation) == record.member_organisation.key
    # One organisation per matching key: the capitals did not make a second Comptoir.
    keys = list(Organisation.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys))
    comptoir = Organisation.objects.get(key=normalise("Comptoir alimentaire du Nord (fictif)"))
    assert Post.objects.filter(member_organisation=comptoir).exists()
    assert Registration.objects.filter(member_organisation=comptoir).exists()
    # Created from typed names: unverified, no public profile, until an editor reviews them.
    assert not comptoir.verified and not comptoir.public_profile
    support = SupportRequestOrganisation.objects.get()
    assert support.organisation == "Popote roulante de Mirabel, OBNL"
    assert support.member_organisation.key == "popote roulante de mirabel"
