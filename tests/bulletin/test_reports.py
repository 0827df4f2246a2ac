"""Reports: editors hear at once; a post is hidden only by reports that cannot be made up cheaply
(confirmed by their authors through an emailed link, from distinct addresses and distinct networks)."""

import re

import pytest
from django.test import Client

from bulletin import services
from bulletin.models import Post, Report

pytestmark = pytest.mark.django_db
State = Post.State


def report(client, post, email, ip, reason="spam", details=""):
    return client.post(
        f"/babillard/{post.pk}/signaler/",
        {"email": email, "reason": reason, "details": details},
        REMOTE_ADDR=ip,
        follow=True,
    )


def confirmation_link(queued, email):
    (message,) = [m for m in queued("bulletin.report") if m.to == [email]]
    return re.search(r"http://testserver(/\S+/)", message.body).group(1)


def confirm(link):
    person = Client(enforce_csrf_checks=True)
    page = person.get(link)
    assert "Confirmer mon signalement" in page.content.decode()
    return person.post(link, {"csrfmiddlewaretoken": person.cookies["csrftoken"].value})


def test_three_invented_addresses_from_one_network_do_not_hide_a_post(client, make_post, queued):
    post = make_post()
    for n in range(3):
        response = report(client, post, f"faux{n}@example.org", "203.0.113.7")
        assert "confirmez-le par le lien" in response.content.decode()
    post.refresh_from_db()
    assert post.state == State.PUBLISHED  # unconfirmed reports count for nothing
    (alert,) = queued("bulletin.editors")  # editors were told at the first report, once
    assert alert.subject == f"Annonce signalée : {post.title}"
    assert f"/admin/snippets/bulletin/post/edit/{post.pk}/" in alert.body

    for n in range(3):  # even confirmed, one network is one source
        confirm(confirmation_link(queued, f"faux{n}@example.org"))
    post.refresh_from_db()
    assert post.state == State.PUBLISHED
    assert Report.objects.filter(confirmed_at__isnull=False).count() == 3


def test_three_confirmed_reports_from_distinct_people_and_networks_hide_the_post(client, make_post, queued):
    post = make_post()
    people = [
        ("a@example.org", "203.0.113.1"),
        ("b@example.org", "198.51.100.2"),
        ("c@example.org", "2001:db8::1"),
    ]
    for email, ip in people:
        report(client, post, email, ip, details="Propos offensants")
    for email, _ip in people[:2]:
        response = confirm(confirmation_link(queued, email))
        assert "L'équipe l'examinera" in response.content.decode().replace("&#x27;", "'")
    post.refresh_from_db()
    assert post.state == State.PUBLISHED

    response = confirm(confirmation_link(queued, "c@example.org"))
    assert "retirée du babillard en attendant la décision" in response.content.decode()
    post.refresh_from_db()
    assert post.state == State.HIDDEN
    hidden = [m for m in queued("bulletin.editors") if "masquée" in m.subject]
    assert len(hidden) == 1 and "3 signalements" in hidden[0].body and "Propos offensants" in hidden[0].body
    assert client.get(post.get_absolute_url()).status_code == 404

    services.approve_post(post)  # the editor puts it back
    assert post.state == State.PUBLISHED


def test_addresses_of_one_ipv6_network_count_once(client, make_post, queued):
    post = make_post()
    for n, ip in enumerate(["2001:db8:1:1::1", "2001:db8:1:1::2", "2001:db8:1:1:ffff::9"]):
        report(client, post, f"v6-{n}@example.org", ip)
        confirm(confirmation_link(queued, f"v6-{n}@example.org"))
    post.refresh_from_db()
    assert post.state == State.PUBLISHED


def test_the_ip_is_stored_only_as_a_keyed_hash(client, make_post):
    post = make_post()
    report(client, post, "a@example.org", "203.0.113.7")
    stored = Report.objects.get()
    assert "203.0.113" not in str(stored.__dict__) and len(stored.ip_hash) == 64
    assert stored.ip_hash == services.network_hash("203.0.113.7") != services.network_hash("203.0.113.8")


def test_one_report_per_address_and_confirming_twice_changes_nothing(client, make_post, queued):
    post = make_post()
    report(client, post, "a@example.org", "203.0.113.1")
    response = report(client, post, "A@example.org ", "203.0.113.1")
    assert "déjà signalé" in response.content.decode()
    assert Report.objects.count() == 1 and len(queued("bulletin.report")) == 1
    link = confirmation_link(queued, "a@example.org")
    confirm(link)
    confirm(link)
    assert Report.objects.filter(confirmed_at__isnull=False).count() == 1


def test_a_mail_scanner_following_the_link_confirms_nothing(client, make_post, queued):
    post = make_post()
    report(client, post, "a@example.org", "203.0.113.1")
    Client().get(confirmation_link(queued, "a@example.org"))
    assert Report.objects.get().confirmed_at is None


@pytest.mark.parametrize("token", ["abc", "forged.token.value"])
def test_forged_report_links_change_nothing(client, make_post, token):
    post = make_post()
    Report.objects.create(post=post, email="a@example.org", reason="spam")
    assert client.post(f"/babillard/signalements/confirmer/{token}/").status_code == 404
    assert Report.objects.get().confirmed_at is None


def test_a_report_made_in_english_is_confirmed_in_english(client, make_post, queued):
    post = make_post()
    client.post(
        f"/en/babillard/{post.pk}/signaler/",
        {"email": "en@example.org", "reason": "spam"},
        REMOTE_ADDR="203.0.113.1",
    )
    (message,) = queued("bulletin.report")
    assert message.subject == "Confirm your report"
    assert "/en/babillard/signalements/confirmer/" in message.body
