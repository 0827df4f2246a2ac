"""The poster's magic link: what the page offers is exactly what the services allow."""

import pytest

from bulletin import links, services
from bulletin.models import Post

pytestmark = pytest.mark.django_db


def manage_path(post):
    return links.manage_url(post).replace("http://testserver", "")


@pytest.mark.parametrize("state", list(Post.State))
def test_close_is_offered_exactly_when_closing_works(client, make_post, state):
    post = make_post(state=state)
    path = manage_path(post)
    offered = "Fermer mon annonce" in client.get(path).content.decode()
    response = client.post(path + "fermer/", {"outcome": "shared"}, follow=True)
    post.refresh_from_db()
    closed_now = post.state == Post.State.CLOSED and state != Post.State.CLOSED
    assert offered == closed_now, state
    if not offered:
        assert "ne peut plus être fermée" in response.content.decode()


@pytest.mark.parametrize("state", list(Post.State))
def test_renew_is_offered_exactly_when_renewing_works(client, make_post, state):
    post = make_post(state=state)
    path = manage_path(post)
    offered = "Renouveler mon annonce" in client.get(path).content.decode()
    before = post.expires_on
    client.post(path + "renouveler/")
    post.refresh_from_db()
    assert offered == (post.expires_on != before), state


def csrf_post(client, path):
    """POST as a browser does: the page's form, with the CSRF cookie and token it set."""
    client.get(path)
    return client.post(path, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_following_a_post_confirmation_link_changes_nothing_until_the_button(make_post, queued):
    from django.test import Client

    post = make_post(state=Post.State.UNCONFIRMED)
    path = links.confirm_url(post).replace("http://testserver", "")
    scanner = Client(enforce_csrf_checks=True)
    for _ in range(2):  # a mail scanner follows the link, twice
        response = scanner.get(path)
        assert response.status_code == 200
        assert "Confirmer mon adresse" in response.content.decode()
    post.refresh_from_db()
    assert post.state == Post.State.UNCONFIRMED and not queued("bulletin.editors")
    assert scanner.post(path).status_code == 403  # a bare POST without the page's token does nothing
    post.refresh_from_db()
    assert post.state == Post.State.UNCONFIRMED

    person = Client(enforce_csrf_checks=True)
    response = csrf_post(person, path)
    assert response.status_code == 200 and "Adresse confirmée" in response.content.decode()
    post.refresh_from_db()
    assert post.state == Post.State.PENDING and len(queued("bulletin.editors")) == 1


def test_following_an_alert_confirmation_link_changes_nothing_until_the_button(db):
    from django.test import Client

    from bulletin.models import AlertSubscription

    subscription = services.subscribe_alert("veille@example.org", "", None, None)
    path = links.alert_url("alert_confirm", subscription, "alert.confirm").replace("http://testserver", "")
    scanner = Client(enforce_csrf_checks=True)
    response = scanner.get(path)
    assert response.status_code == 200 and "Confirmer mon alerte" in response.content.decode()
    assert AlertSubscription.objects.get().confirmed_at is None
    response = csrf_post(Client(enforce_csrf_checks=True), path)
    assert "Alerte confirmée" in response.content.decode()
    assert AlertSubscription.objects.get().is_active


def edit_data(post, **changes):
    return {
        "kind": post.kind,
        "title": post.title,
        "description": post.description,
        "category": post.category.pk,
        "regions": [r.pk for r in post.regions.all()],
        "organisation": post.organisation,
        "contact_name": post.contact_name,
        "expires_on": post.expires_on.isoformat(),
        "premises_accessible": "unknown",
        **changes,
    }


def test_editing_a_published_post_tells_editors_and_the_poster_and_mails_when_back_online(
    client, make_post, queued
):
    post = make_post(title="Camionnette du mardi", contact_name="Dominique")
    path = manage_path(post)
    response = client.post(path, edit_data(post, title="Camionnette du mardi et du jeudi"), follow=True)
    html = response.content.decode()
    assert "retirée du babillard le temps que l" in html and "de nouveau en ligne" in html
    post.refresh_from_db()
    assert post.state == Post.State.PENDING

    (notice,) = queued("bulletin.editors")
    assert notice.to == ["equipe@maillon.example"]
    assert notice.subject == "Annonce modifiée à revoir : Camionnette du mardi et du jeudi"
    assert f"http://testserver/admin/snippets/bulletin/post/edit/{post.pk}/" in notice.body

    services.approve_post(post)
    (back_online,) = queued("bulletin.approved")
    assert back_online.to == [post.contact_email]
    assert back_online.subject == "Votre annonce est de nouveau en ligne"
    assert back_online.body.startswith("Bonjour Dominique,")
    assert f"/babillard/{post.pk}-{post.slug}/" in back_online.body


def test_editing_a_post_still_in_moderation_tells_nobody_new(client, make_post, queued):
    post = make_post(state=Post.State.PENDING, published_at=None)
    response = client.post(manage_path(post), edit_data(post, title="Nouveau titre"), follow=True)
    assert "Annonce modifiée." in response.content.decode()
    post.refresh_from_db()
    assert post.state == Post.State.PENDING and post.title == "Nouveau titre"
    assert not queued("bulletin.editors")
    services.approve_post(post)
    (approved,) = queued("bulletin.approved")
    assert approved.subject == "Votre annonce est publiée"


def test_a_post_put_back_after_reports_is_not_announced_again(make_post, queued):
    post = make_post(state=Post.State.HIDDEN)
    services.approve_post(post)
    assert post.state == Post.State.PUBLISHED and not queued("bulletin.approved")
