"""Editors: send a test, send now, schedule, pause/resume/cancel, progress, import, ledger export."""

import datetime
import json
from io import StringIO

import pytest
import redis
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from newsletter import sending
from newsletter.models import NewsletterIssuePage, Send, Subscriber
from website.i18n import in_default_locale

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(db):
    call_command("seed_demo", stdout=StringIO())
    return in_default_locale(NewsletterIssuePage.objects).get(slug="novembre-2026")


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def test_send_screen_test_copy_send_now_and_controls(
    client, editor, issue, django_capture_on_commit_callbacks
):
    base = f"/admin/infolettre/numeros/{issue.pk}/"
    html = client.get(base).content.decode()
    assert "3 personnes abonnées recevront ce numéro." in html and "Aucune mesure des ouvertures" in html

    client.post(base + "test/", {"addresses": "moi@example.org, toi@example.org"})
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("[TEST]")
    assert mail.outbox[0].to == ["moi@example.org", "toi@example.org"]
    assert (
        client.post(base + "test/", {"addresses": "pas valide"}).status_code == 200
    )  # form shown again with its error

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(base + "envoyer/")
    send = Send.objects.get()
    assert len(callbacks) == 1  # prepare_send queued once committed
    sending.prepare(send.pk)
    progress = client.get(f"/admin/infolettre/envois/{send.pk}/progression/").json()
    assert progress["total"] == 3 and progress["remaining"] == 3 and progress["state"] == "sending"

    client.post(f"/admin/infolettre/envois/{send.pk}/pause/")
    assert Send.objects.get().state == "paused"
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/admin/infolettre/envois/{send.pk}/reprendre/")
    assert Send.objects.get().state == "sending"
    client.post(f"/admin/infolettre/envois/{send.pk}/annuler/")
    assert Send.objects.get().state == "cancelled"
    assert client.get(f"/admin/infolettre/envois/{send.pk}/progression/").json()["cancelled"] == 3


def test_schedule_in_the_future_then_the_sweep_starts_it(
    client, editor, issue, django_capture_on_commit_callbacks, settings
):
    base = f"/admin/infolettre/numeros/{issue.pk}/"
    past = client.post(base + "planifier/", {"when": "2020-01-01T10:00"})
    assert "Choisissez un moment dans le futur." in past.content.decode()
    when = timezone.localtime() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(base + "planifier/", {"when": when.strftime("%Y-%m-%dT%H:%M")})
    send = Send.objects.get()
    assert send.state == "scheduled" and callbacks == []
    # The sweep queues the preparation on the real broker once the time has come.
    queue = redis.Redis.from_url(settings.REDIS_URL)
    queue.delete("newsletter")
    sending.sweep(now=timezone.now() + datetime.timedelta(hours=1))
    assert queue.llen("newsletter") == 0
    sending.sweep(now=timezone.now() + datetime.timedelta(hours=3))
    assert queue.llen("newsletter") == 1
    task = json.loads(queue.lpop("newsletter"))
    assert (
        task["headers"]["task"] == "newsletter.tasks.prepare_send"
        and task["headers"]["argsrepr"] == f"({send.pk},)"
    )


def test_import_screen_lists_bad_lines(client, editor, issue):
    csv_file = SimpleUploadedFile(
        "abonnes.csv", b"email,topics\nok@example.org,generale\nmauvais,generale\n", content_type="text/csv"
    )
    html = client.post(
        "/admin/infolettre/abonnes/importer/", {"file": csv_file, "kind": "express", "source": "Salon 2026"}
    ).content.decode()
    assert "Rien n&#x27;a été importé" in html or "Rien n'a été importé" in html
    assert "<td>3</td>" in html and not Subscriber.objects.filter(email="ok@example.org").exists()


def test_ledger_export(client, editor, issue):
    subscriber = Subscriber.objects.get(email="annie@example.org")
    response = client.get(f"/admin/infolettre/abonnes/{subscriber.pk}/registre.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "subscribed,form,express" in response.content.decode()


def test_subscriber_export(client, editor, issue):
    response = client.get("/admin/snippets/newsletter/subscriber/?export=csv")
    content = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert "annie@example.org" in content


def test_subscriber_list_links_to_each_ledger(client, editor, issue):
    subscriber = Subscriber.objects.get(email="annie@example.org")
    html = client.get("/admin/snippets/newsletter/subscriber/").content.decode()
    assert f"/admin/infolettre/abonnes/{subscriber.pk}/registre.csv" in html
