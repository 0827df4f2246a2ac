"""Matching offers and requests, the poster's magic link, and e-mail alerts with their digest."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from bulletin import links, services
from bulletin.models import AlertSubscription, Post
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def test_publishing_an_offer_emails_matching_requests_once(make_post, mirabel, argenteuil, premises, queued):
    request = make_post(kind=Post.Kind.REQUEST, title="Cherche camion", regions=[mirabel, argenteuil])
    opted_out = make_post(
        kind=Post.Kind.REQUEST, title="Cherche fourgon", regions=[mirabel], notify_matches=False
    )
    make_post(kind=Post.Kind.REQUEST, title="Autre région", regions=[argenteuil])
    make_post(kind=Post.Kind.REQUEST, title="Autre catégorie", category=premises, regions=[mirabel])
    make_post(kind=Post.Kind.OFFER, title="Autre offre", regions=[mirabel])
    offer = make_post(kind=Post.Kind.OFFER, title="Camionnette", regions=[mirabel], state=Post.State.PENDING)

    services.approve_post(offer)
    assert set(services.matches_for(offer)) == {request, opted_out}
    assert offer in set(services.matches_for(request))
    emails = queued("bulletin.match")
    recipients = sorted(e.to[0] for e in emails)
    # The opted-in requester hears about the offer; the offer's poster hears about both requests.
    assert recipients == sorted([request.contact_email, offer.contact_email, offer.contact_email])
    to_requester = next(e for e in emails if e.to == [request.contact_email])
    assert "Une offre correspond peut-être à votre demande" == to_requester.subject
    assert offer.get_absolute_url() in to_requester.body

    # Hidden and approved again: nobody is emailed twice about the same pair.
    services.report_post(offer, "a@example.org", "spam")
    offer.state = Post.State.HIDDEN
    offer.save()
    services.approve_post(offer)
    assert len(queued("bulletin.match")) == 3


def test_matches_are_listed_on_both_posts(client, make_post, mirabel):
    request = make_post(kind=Post.Kind.REQUEST, title="Cherche camion", regions=[mirabel])
    offer = make_post(kind=Post.Kind.OFFER, title="Camionnette", regions=[mirabel])
    assert "Cherche camion" in client.get(offer.get_absolute_url()).content.decode()
    html = client.get(request.get_absolute_url()).content.decode()
    assert "Offres qui correspondent à cette demande" in html and "Camionnette" in html


def manage_path(post):
    return links.manage_url(post).replace("http://testserver", "")


def test_magic_link_page_renews_and_closes(client, make_post):
    post = make_post(expires_on=timezone.localdate() + datetime.timedelta(days=2))
    path = manage_path(post)
    html = client.get(path).content.decode()
    assert "Gérer mon annonce" in html and "Renouveler mon annonce" in html
    response = client.post(path + "renouveler/", follow=True)
    assert "Annonce renouvelée" in response.content.decode()
    post.refresh_from_db()
    assert post.expires_on == timezone.localdate() + datetime.timedelta(days=62)

    response = client.post(
        path + "fermer/",
        {"outcome": "shared", "partner_organisation": "Popote", "savings_km": "120"},
        follow=True,
    )
    assert "Annonce fermée" in response.content.decode()
    post.refresh_from_db()
    assert post.state == Post.State.CLOSED and post.savings_km == 120


def test_magic_link_edit_keeps_errors_french_and_changes_nothing(client, make_post):
    post = make_post(title="Titre d'origine")
    response = client.post(manage_path(post), {"title": "<script>x</script>", "kind": "offre"})
    assert response.status_code == 400
    post.refresh_from_db()
    assert post.title == "Titre d'origine" and post.state == Post.State.PUBLISHED


@pytest.mark.parametrize("action", ["", "renouveler/", "fermer/"])
def test_forged_magic_links_change_nothing(client, make_post, action):
    post = make_post()
    before = (post.state, post.expires_on, post.title)
    method = client.get if action == "" else client.post
    response = method(f"/babillard/gerer/not-a-real-token/{action}", {"outcome": "shared"})
    assert response.status_code == 404
    post.refresh_from_db()
    assert (post.state, post.expires_on, post.title) == before


def subscribe(client, **data):
    payload = {
        "email": "veille@example.org",
        "kind": "",
        "category": "",
        "region": "",
        "consent": "on",
        **data,
    }
    return client.post("/babillard/alertes/", payload)


def link(body, path):
    return re.search(rf"http://testserver({path}[^\s]+/)", body).group(1)


def test_alert_double_opt_in_digest_and_one_click_unsubscribe(
    client, make_post, mirabel, argenteuil, transport
):
    response = subscribe(client, kind="demande", region=str(mirabel.pk))
    assert "Vérifiez vos courriels" in response.content.decode()
    subscription = AlertSubscription.objects.get()
    assert subscription.confirmed_at is None and "J'accepte de recevoir" in subscription.consent_text
    confirmation = OutgoingEmail.objects.get(tag="bulletin.alert")

    # Not confirmed: no digest.
    make_post(kind=Post.Kind.REQUEST, regions=[mirabel], title="Avant confirmation")
    assert services.send_daily_digests() == 0

    client.post(link(confirmation.body, "/babillard/alertes/confirmer/"))
    subscription.refresh_from_db()
    assert subscription.is_active
    make_post(kind=Post.Kind.REQUEST, regions=[mirabel], title="Demande à Mirabel")
    make_post(kind=Post.Kind.OFFER, regions=[mirabel], title="Offre à Mirabel")
    make_post(kind=Post.Kind.REQUEST, regions=[argenteuil], title="Demande ailleurs")
    assert services.send_daily_digests() == 1
    assert services.send_daily_digests() == 0  # nothing new since
    digest = OutgoingEmail.objects.get(tag="bulletin.digest")
    assert "Demande à Mirabel" in digest.body
    assert "Offre à Mirabel" not in digest.body and "Demande ailleurs" not in digest.body
    assert "Avant confirmation" not in digest.body
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    unsubscribe = link(digest.body, "/babillard/alertes/desabonnement/")
    assert "Confirmer le désabonnement" in client.get(unsubscribe).content.decode()
    one_click = Client(enforce_csrf_checks=True)  # a mail client: no cookie, no CSRF token
    response = one_click.post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    make_post(kind=Post.Kind.REQUEST, regions=[mirabel], title="Après désabonnement")
    assert services.send_daily_digests() == 0


def test_alert_form_requires_consent_and_a_valid_address(client, db):
    response = subscribe(client, email="pas-valide", consent="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in html and 'id="error_1_id_consent"' in html
    assert not AlertSubscription.objects.exists()


def test_forged_alert_tokens_change_nothing(client, db):
    assert client.get("/babillard/alertes/confirmer/xyz/").status_code == 404
    assert client.post("/babillard/alertes/confirmer/xyz/").status_code == 404
    assert Client(enforce_csrf_checks=True).post("/babillard/alertes/desabonnement/xyz/").status_code == 404
