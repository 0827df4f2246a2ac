"""Editors: send a test, send now, schedule, pause/resume/cancel, progress, import, ledger export."""

import datetime
import json
import re

import pytest
import redis
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from newsletter import sending
from newsletter.models import Delivery, Send, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def send_screen(client, issue):
    return client.get(f"/admin/infolettre/numeros/{issue.pk}/").content.decode()


def test_send_screen_names_the_issue_its_subject_and_audience_with_a_breadcrumb_and_a_way_back(
    client, editor, issue
):
    html = send_screen(client, issue)
    assert issue.title in html and issue.subject in html
    assert "3 personnes abonnées recevront ce numéro." in html and "Aucune mesure des ouvertures" in html
    archive = issue.get_parent()
    breadcrumb = html[html.index('aria-label="Fil d\'Ariane"') :]
    assert f'href="/admin/pages/{archive.pk}/"' in breadcrumb and "Archives de l" in breadcrumb
    assert f'href="/admin/pages/{issue.pk}/edit/"' in html and "Retour au numéro" in html


def test_send_button_in_the_page_listing_and_the_page_header(client, editor, issue):
    send_url = f"/admin/infolettre/numeros/{issue.pk}/"
    listing = client.get(f"/admin/pages/{issue.get_parent().pk}/").content.decode()
    assert f'href="{send_url}"' in listing
    header = client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert f'href="{send_url}"' in header


def test_topics_are_checkboxes_when_editing_an_issue_and_a_subscriber(client, editor, issue):
    html = client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert re.search(r'<input type="checkbox" name="topics" value="\d+"', html)
    annie = Subscriber.objects.get(email="annie@example.org")
    html = client.get(f"/admin/snippets/newsletter/subscriber/edit/{annie.pk}/").content.decode()
    assert re.search(r'<input type="checkbox" name="topics" value="\d+"', html)


def test_send_now_asks_for_confirmation_in_a_second_step(
    client, editor, issue, django_capture_on_commit_callbacks
):
    url = f"/admin/infolettre/numeros/{issue.pk}/envoyer/"
    assert f'<form method="get" action="{url}">' in send_screen(client, issue)  # to the second step
    confirm = client.get(url).content.decode()
    assert f"Vous allez envoyer « {issue.subject} » maintenant à 3 personnes." in confirm
    assert 'name="confirm" value="yes"' in confirm
    client.post(url)  # a POST without the confirmation sends nothing
    assert not Send.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302 and Send.objects.get().state == "scheduled"
    assert len(callbacks) == 1  # prepare_send queued once committed


def test_pause_resume_cancel_and_progress(client, editor, issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        send = sending.start(issue)
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


def hidden_controls(html):
    """Labels of the send controls present but hidden, and of those shown."""
    forms = re.findall(r"<form [^>]*data-show-when[^>]*>.*?</form>", html, re.S)
    hidden = {
        re.search(r"<button[^>]*>([^<]+)</button>", f).group(1) for f in forms if " hidden" in f.split(">")[0]
    }
    shown = {re.search(r"<button[^>]*>([^<]+)</button>", f).group(1) for f in forms} - hidden
    return hidden, shown


def test_a_finished_send_offers_no_cancel_and_no_second_send(
    client, editor, issue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        send = sending.start(issue)
    sending.prepare(send.pk)
    _hidden, shown = hidden_controls(send_screen(client, issue))
    assert shown == {"Pause", "Annuler l'envoi"}
    assert sending.send_batch(send.pk) == 3 and sending.send_batch(send.pk) == 0
    assert Send.objects.get().state == "done"

    html = send_screen(client, issue)
    hidden, shown = hidden_controls(html)
    assert shown == set() and "Annuler l'envoi" in hidden
    assert "Terminé" in html and f"/admin/infolettre/numeros/{issue.pk}/envoyer/" not in html
    progress = client.get(f"/admin/infolettre/envois/{send.pk}/progression/").json()
    assert progress["display"]["state_label"] == "Terminé"

    # Nor can the service be made to send it again, by a replayed POST or a direct call.
    response = client.post(f"/admin/infolettre/numeros/{issue.pk}/envoyer/", {"confirm": "yes"}, follow=True)
    assert "déjà un envoi en cours, planifié ou terminé" in response.content.decode()
    with pytest.raises(sending.SendRefused):
        sending.start(issue)
    assert Send.objects.count() == 1 and len(mail.outbox) == 3


def test_after_a_cancelled_send_a_new_one_reaches_those_not_yet_served(
    issue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = sending.start(issue)
    sending.prepare(first.pk)
    sending.cancel(first)
    with django_capture_on_commit_callbacks(execute=False):
        second = sending.start(issue)
    assert sending.prepare(second.pk) == 3
    assert sending.send_batch(second.pk) == 3 and len(mail.outbox) == 3
    sending.send_batch(second.pk)
    with pytest.raises(sending.SendRefused):
        sending.start(issue)


def test_nobody_to_send_to_is_refused(issue):
    Subscriber.objects.update(state=Subscriber.State.UNSUBSCRIBED)
    with pytest.raises(sending.SendRefused, match="Personne ne recevrait ce numéro"):
        sending.start(issue)
    assert not Send.objects.exists()


def english(user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def test_rate_and_dates_are_written_in_the_admin_language(client, editor, issue):
    send = Send.objects.create(
        issue=issue,
        state="sending",
        scheduled_at=datetime.datetime(2026, 11, 27, 16, 43, tzinfo=datetime.UTC),
    )
    now = timezone.now()
    for subscriber in Subscriber.objects.all()[:3]:
        Delivery.objects.create(
            send=send,
            issue=issue,
            subscriber=subscriber,
            email=subscriber.email,
            language="fr-ca",
            state="sent",
            sent_at=now,
        )
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"s{i}@example.org", state="confirmed") for i in range(1500)]
    )
    Delivery.objects.bulk_create(
        [
            Delivery(
                send=send,
                issue=issue,
                subscriber=s,
                email=s.email,
                language="fr-ca",
                state="sent",
                sent_at=now,
            )
            for s in Subscriber.objects.filter(email__startswith="s")[:3]
        ]
        + [
            Delivery(send=send, issue=issue, subscriber=s, email=s.email, language="fr-ca")
            for s in Subscriber.objects.filter(email__startswith="s")[3:]
        ]
    )
    html = send_screen(client, issue)
    assert "prévu le 27 novembre 2026 à 11\xa0h\xa043" in html
    assert "0,1 message/s" in html and "1\u202f497" in html  # six sent in the last minute; 1 497 remaining
    display = client.get(f"/admin/infolettre/envois/{send.pk}/progression/").json()["display"]
    assert display["rate"] == "0,1 message/s" and display["remaining"] == "1\u202f497"

    english(editor)
    html = send_screen(client, issue)
    assert "scheduled for November 27, 2026 at 11:43 a.m." in html
    assert "0.1 messages/s" in html and "1,497" in html
    display = client.get(f"/admin/infolettre/envois/{send.pk}/progression/").json()["display"]
    assert display == {
        "sent": "6",
        "failed": "0",
        "remaining": "1,497",
        "state_label": "Sending",
        "rate": "0.1 messages/s",
    }


def test_a_test_copy_is_one_message_per_address_with_links_that_work(client, editor, issue, smtp):
    from website.models import OutgoingEmail
    from website.outbox import deliver

    url = f"/admin/infolettre/numeros/{issue.pk}/test/"
    response = client.post(
        url, {"addresses": "Annie@example.org, toi@example.org; toi@example.org", "language": "en"}
    )
    assert response.status_code == 302
    emails = list(OutgoingEmail.objects.filter(tag="newsletter.test").order_by("pk"))
    assert [e.to for e in emails] == [["annie@example.org"], ["toi@example.org"]]
    for email in emails:
        assert deliver(email.pk)
    received = {tuple(to): message for to, message in smtp.wait_for(2)}
    assert set(received) == {("annie@example.org",), ("toi@example.org",)}
    assert all(m["Subject"].strip().startswith("[TEST] Mutualisation") for m in received.values())

    annie_text = received[("annie@example.org",)].get_body(("plain",)).get_content()
    unsubscribe = re.search(r"http://testserver(/en/infolettre/desabonnement/\S+/)", annie_text).group(1)
    page = client.get(unsubscribe)
    assert page.status_code == 200 and "annie@example.org" in page.content.decode()
    preferences = re.search(r"http://testserver(/en/infolettre/preferences/\S+/)", annie_text).group(1)
    assert client.get(preferences).status_code == 200

    other = received[("toi@example.org",)]
    html = other.get_body(("html",)).get_content()
    samples = set(re.findall(r'href="http://testserver(/en/infolettre/lien-exemple/)"', html))
    assert samples == {"/en/infolettre/lien-exemple/"}
    page = client.get("/en/infolettre/lien-exemple/")
    assert page.status_code == 200 and "Sample link" in page.content.decode()
    assert Subscriber.objects.get(email="annie@example.org").state == "confirmed"  # nothing followed


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


def test_a_test_copy_shows_the_latest_draft(client, editor, issue):
    from website.models import OutgoingEmail

    draft = issue.get_latest_revision_as_object()
    draft.subject = "Brouillon : objet pas encore publié"
    draft.save_revision()
    client.post(
        f"/admin/infolettre/numeros/{issue.pk}/test/", {"addresses": "moi@example.org", "language": "fr-ca"}
    )
    assert (
        OutgoingEmail.objects.get(tag="newsletter.test").subject
        == "[TEST] Brouillon : objet pas encore publié"
    )
