"""Editors in the Wagtail admin: moderation list, filters, export, bulk approve/reject, history."""

import pytest
from wagtail.models import ModelLogEntry

from bulletin.models import Post
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db
LIST = "/admin/snippets/bulletin/post/"


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def test_list_filters_by_state_and_reports(client, editor, make_post):
    make_post(title="Publiée sans souci")
    waiting = make_post(title="À modérer", state=Post.State.PENDING)
    reported = make_post(title="Signalée une fois")
    reported.reports.create(email="a@example.org", reason="spam")
    html = client.get(LIST + "?state=pending").content.decode()
    assert "À modérer" in html and "Publiée sans souci" not in html
    html = client.get(LIST + "?reported=true").content.decode()
    assert "Signalée une fois" in html and "À modérer" not in html
    assert waiting.title in client.get(LIST + "?q=modérer").content.decode()


def test_export_csv(client, editor, make_post):
    make_post(title="Camionnette", savings_km=120)
    response = client.get(LIST + "?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert "Camionnette" in content and "120" in content
    assert client.get(LIST + "?export=xlsx").status_code == 200


def bulk(action, *posts):
    ids = "&".join(f"id={p.pk}" for p in posts)
    return f"/admin/bulk/bulletin/post/{action}/?next={LIST}&{ids}"


def test_bulk_approve(client, editor, make_post):
    a, b = make_post(state=Post.State.PENDING), make_post(state=Post.State.PENDING)
    assert client.get(bulk("approve", a, b)).status_code == 200
    response = client.post(bulk("approve", a, b))
    assert response.status_code == 302
    for post in (a, b):
        post.refresh_from_db()
        assert post.state == Post.State.PUBLISHED
    assert OutgoingEmail.objects.filter(tag="bulletin.approved").count() == 2
    assert ModelLogEntry.objects.filter(action="bulletin.post.approved", user=editor).count() == 2


def test_bulk_reject_requires_and_sends_the_reason(client, editor, make_post):
    post = make_post(state=Post.State.PENDING)
    response = client.post(bulk("reject", post), {"reason": ""})
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.state == Post.State.PENDING
    client.post(bulk("reject", post), {"reason": "Hors du territoire"})
    post.refresh_from_db()
    assert post.state == Post.State.REJECTED
    assert "Hors du territoire" in OutgoingEmail.objects.get(tag="bulletin.rejected").body


def test_history_shows_who_did_what(client, editor, make_post):
    from bulletin import services

    post = make_post(state=Post.State.PENDING)
    services.approve_post(post, user=editor)
    services.reject_post(post, "Doublon", user=editor)
    html = client.get(f"{LIST}history/{post.pk}/").content.decode()
    assert "Annonce publiée" in html and "Annonce refusée" in html


def test_editor_written_posts_are_published_at_once(client, editor, transport, mirabel):
    data = {
        "kind": "offre",
        "category": transport.pk,
        "title": "Écrite par l'équipe",
        "description": "Texte",
        "regions": [mirabel.pk],
        "organisation": "Réseau",
        "contact_name": "Équipe",
        "contact_email": "equipe@example.org",
        "expires_on": "2027-01-15",
        "premises_accessible": "",
        "language": "fr-ca",
    }
    response = client.post(LIST + "add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    assert post.state == Post.State.PUBLISHED and post.published_at is not None


def test_dashboard_counts_posts_to_moderate(client, editor, make_post):
    make_post(state=Post.State.PENDING)
    make_post(state=Post.State.PENDING)
    make_post(state=Post.State.HIDDEN)
    html = client.get("/admin/").content.decode()
    assert "2 annonces en attente de modération" in html
    assert "1 annonce masquée après signalements" in html
