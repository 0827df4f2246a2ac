"""No export hands an editor's spreadsheet a live formula typed by a visitor."""

import csv
import io

import openpyxl
import pytest
from django.test import Client
from wagtail.contrib.forms.models import FormSubmission
from wagtail.snippets.models import get_snippet_models

from bulletin.models import AlertSubscription, ContactMessage, Post, Report
from newsletter.models import ConsentRecord, Subscriber
from website.exports import FORMULA_PREFIXES, FormulaSafeExportMixin, escape_cell
from website.i18n import in_default_locale
from website.models import ResourceCategory, SupportRequestPage

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/","x")'
PAYLOADS = [
    HYPERLINK,
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '\uff1dHYPERLINK("http://evil.example/")',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_cell_prefixes_every_formula_start_with_an_apostrophe(payload):
    assert escape_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Popote roulante", "Sans gluten", "", "1 234,50 $", "'déjà", 42, None])
def test_escape_cell_leaves_plain_values_alone(value):
    assert escape_cell(value) == value


def read_csv(response):
    assert response.status_code == 200, response
    raw = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def read_xlsx(response):
    assert response.status_code == 200, response
    raw = b"".join(response.streaming_content if response.streaming else [response.content])
    sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def assert_no_live_formula(rows, payload=HYPERLINK):
    cells = [cell for row in rows for cell in row]
    live = [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_PREFIXES)]
    assert not live, live
    assert "'" + payload in cells, f"the payload is missing from the export: {rows}"


def export(client, url, fmt):
    response = client.get(url + ("&" if "?" in url else "?") + f"export={fmt}")
    return read_csv(response) if fmt == "csv" else read_xlsx(response)


@pytest.fixture
def category(db):
    return ResourceCategory.objects.get_or_create(slug="transport", defaults={"name": "Transport"})[0]


@pytest.fixture
def post(category):
    import datetime

    from django.utils import timezone

    return Post.objects.create(
        kind=Post.Kind.OFFER,
        title=HYPERLINK,
        description="Une fourgonnette.",
        category=category,
        organisation="-Organisme",
        contact_name="@Alex",
        contact_email="alex@example.org",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        state=Post.State.PUBLISHED,
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_posts_export_escapes_formulas(superuser_client, post, fmt):
    rows = export(superuser_client, "/admin/snippets/bulletin/post/", fmt)
    assert_no_live_formula(rows)
    assert "'-Organisme" in rows[1] and "'@Alex" in rows[1]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reports_relayed_messages_and_alerts_exports_escape_formulas(superuser_client, post, category, fmt):
    Report.objects.create(post=post, email="r@example.org", reason="other", details=HYPERLINK)
    ContactMessage.objects.create(
        post=post, sender_name=HYPERLINK, sender_email="s@example.org", body="Bonjour"
    )
    AlertSubscription.objects.create(email="a@example.org", category=category, consent_text=HYPERLINK)
    for url in (
        "/admin/snippets/bulletin/report/",
        "/admin/snippets/bulletin/contactmessage/",
        "/admin/snippets/bulletin/alertsubscription/",
    ):
        assert_no_live_formula(export(superuser_client, url, fmt))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_registrations_export_escapes_formulas(superuser_client, demo_db, make_event, register, fmt):
    event = make_event()
    register(
        event,
        organisation=HYPERLINK,
        contact_name="+Personne",
        dietary_needs="-Sans gluten",
        attendee_names=["=1+1", "Léa"],
    )
    rows = export(superuser_client, f"/admin/snippets/events/registration/?event={event.pk}", fmt)
    assert_no_live_formula(rows)
    assert "'-Sans gluten" in rows[1]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_subscribers_and_consent_ledger_exports_escape_formulas(superuser_client, fmt):
    subscriber = Subscriber.objects.create(
        email="abonne@example.org", first_name=HYPERLINK, organisation="+Organisme"
    )
    ConsentRecord.objects.create(subscriber=subscriber, action="subscribed", method="form", wording=HYPERLINK)
    rows = export(superuser_client, "/admin/snippets/newsletter/subscriber/", fmt)
    assert_no_live_formula(rows)
    assert "'+Organisme" in rows[1]
    assert_no_live_formula(export(superuser_client, "/admin/snippets/newsletter/consentrecord/", fmt))


def test_one_subscriber_ledger_csv_escapes_formulas(superuser_client):
    subscriber = Subscriber.objects.create(email="abonne@example.org")
    ConsentRecord.objects.create(subscriber=subscriber, action="subscribed", method="form", wording=HYPERLINK)
    response = superuser_client.get(f"/admin/infolettre/abonnes/{subscriber.pk}/registre.csv")
    assert_no_live_formula(read_csv(response))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_support_requests_typed_in_the_public_form_export_without_formulas(superuser_client, demo_db, fmt):
    page = in_default_locale(SupportRequestPage.objects).get()
    response = Client().post(
        page.url,
        {
            "nom_de_lorganisme": HYPERLINK,
            "personne_ressource": "-Julie",
            "courriel": "julie@example.org",
            "region": "Mirabel",
            "ce_que_vous_souhaitez_mutualiser": ["Locaux"],
            "decrivez_votre_projet": "@Partager une salle.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FormSubmission.objects.get().form_data["nom_de_lorganisme"] == HYPERLINK  # stored as typed
    rows = export(superuser_client, f"/admin/forms/submissions/{page.pk}/", fmt)
    assert_no_live_formula(rows)
    assert "'-Julie" in rows[1] and "'@Partager une salle." in rows[1]


def test_every_snippet_export_goes_through_the_escaping_mixin():
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        if viewset.list_export:
            assert issubclass(viewset.index_view_class, FormulaSafeExportMixin), model
