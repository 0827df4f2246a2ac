"""The public board: listing, filters, a post, the relay, reports, submission and its validation."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from bulletin.models import ContactMessage, Post, Report
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def html_of(response):
    return response.content.decode()


def test_board_lists_published_posts_newest_first(client, make_post):
    old = make_post(title="Ancienne offre")
    new = make_post(title="Nouvelle offre")
    Post.objects.filter(pk=old.pk).update(published_at=new.published_at.replace(year=2020))
    make_post(title="En attente", state=Post.State.PENDING)
    make_post(title="Expirée", state=Post.State.EXPIRED)
    html = html_of(client.get("/babillard/"))
    assert html.index("Nouvelle offre") < html.index("Ancienne offre")
    assert "En attente" not in html and "Expirée" not in html


def test_filters_by_kind_category_region_and_words(client, make_post, mirabel, argenteuil, premises):
    make_post(title="Camionnette du mardi", regions=[mirabel])
    make_post(title="Salle de réunion", category=premises, regions=[argenteuil])
    make_post(title="Cherche camion", kind=Post.Kind.REQUEST, regions=[argenteuil])
    cases = {
        "?type=demande": ["Cherche camion"],
        "?categorie=locaux": ["Salle de réunion"],
        "?region=argenteuil": ["Salle de réunion", "Cherche camion"],
        "?q=camionnette": ["Camionnette du mardi"],
        "?type=offre&region=mirabel&q=mardi": ["Camionnette du mardi"],
    }
    titles = {"Camionnette du mardi", "Salle de réunion", "Cherche camion"}
    for query, expected in cases.items():
        html = html_of(client.get("/babillard/" + query))
        shown = {t for t in titles if t in html}
        assert shown == set(expected), query


def test_empty_state_offers_an_alert(client, db):
    html = html_of(client.get("/babillard/?q=introuvable"))
    assert "Aucune annonce ne correspond" in html
    assert 'href="/babillard/alertes/?q=introuvable"' in html


def test_board_query_count_does_not_grow_with_posts(client, make_post, django_assert_max_num_queries):
    make_post.create_batch(2)
    client.get("/babillard/")
    with CaptureQueriesContext(connection) as few:
        client.get("/babillard/")
    make_post.create_batch(18)
    with django_assert_max_num_queries(len(few)):
        html = html_of(client.get("/babillard/"))
    assert html.count('class="card h-100"') == 20


def test_post_page_escapes_text_links_safely_and_hides_the_address(client, make_post):
    post = make_post(
        description="<script>alert('x')</script> Voir https://exemple.org/guide",
        phone="450 555-0199",
        show_phone=False,
    )
    html = html_of(client.get(post.get_absolute_url()))
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert re.search(r'<a href="https://exemple.org/guide" rel="nofollow">', html)
    assert post.contact_email not in html
    assert "450 555-0199" not in html
    post.show_phone = True
    post.save()
    assert "450 555-0199" in html_of(client.get(post.get_absolute_url()))


def test_posts_never_published_or_hidden_are_not_found(client, make_post):
    for state in (Post.State.PENDING, Post.State.HIDDEN, Post.State.UNCONFIRMED):
        post = make_post(state=state, title=f"Invisible {state}")
        response = client.get(post.get_absolute_url())
        assert response.status_code == 404
        assert post.title not in html_of(response)


@pytest.mark.parametrize(
    "state, heading",
    [(Post.State.CLOSED, "Annonce fermée"), (Post.State.EXPIRED, "Annonce expirée")],
)
def test_a_closed_or_expired_post_says_so_with_410_and_leads_back_to_the_board(
    client, make_post, state, heading
):
    post = make_post(state=state, title="Camionnette du mardi")
    response = client.get(post.get_absolute_url())
    assert response.status_code == 410
    html = html_of(response)
    assert f"<h1>{heading}</h1>" in html and "Camionnette du mardi" in html
    assert 'href="/babillard/"' in html and 'href="/babillard/?categorie=transport"' in html
    assert "Envoyer le message" not in html  # no contact form for a post that is gone
    response = client.post(
        f"/babillard/{post.pk}/contact/",
        {"sender_name": "Sam", "sender_email": "sam@example.org", "body": "Encore libre?"},
    )
    assert response.status_code == 410 and not ContactMessage.objects.exists()


def test_a_rejected_post_answers_410_without_showing_what_was_refused(client, make_post):
    post = make_post(state=Post.State.REJECTED, title="Texte refusé par l'équipe")
    response = client.get(post.get_absolute_url())
    assert response.status_code == 410
    html = html_of(response)
    assert "Texte refusé" not in html and "Annonce non publiée" in html and 'href="/babillard/"' in html


def test_the_gone_page_is_in_english_under_en(client, make_post):
    post = make_post(state=Post.State.CLOSED)
    response = client.get(f"/en/babillard/{post.pk}-{post.slug}/")
    assert response.status_code == 410
    html = html_of(response)
    assert "Post closed" in html and 'href="/en/babillard/"' in html


def test_an_impossible_post_id_is_not_found(client, db):
    huge = "1" + "0" * 39
    assert client.get(f"/babillard/{huge}-x/").status_code == 404
    assert client.post(f"/babillard/{huge}/contact/", {"body": "x"}).status_code == 404


def test_contact_form_relays_without_revealing_the_address(client, make_post):
    post = make_post()
    response = client.post(
        f"/babillard/{post.pk}/contact/",
        {"sender_name": "Sam", "sender_email": "sam@example.org", "body": "Intéressés par la camionnette!"},
        follow=True,
    )
    assert "Votre message a été transmis" in html_of(response)
    assert post.contact_email not in html_of(response)
    email = OutgoingEmail.objects.get(tag="bulletin.relay")
    assert email.to == [post.contact_email] and email.reply_to == ["sam@example.org"]
    assert "Intéressés par la camionnette!" in email.body
    assert ContactMessage.objects.get().sender_email == "sam@example.org"


def test_contact_form_errors_are_french_and_nothing_is_sent(client, make_post):
    post = make_post()
    response = client.post(
        f"/babillard/{post.pk}/contact/", {"sender_name": "", "sender_email": "x", "body": "<b>hi</b>"}
    )
    assert response.status_code == 400
    html = html_of(response)
    assert "Champ requis." in html or "Ce champ est obligatoire." in html
    assert "Saisissez une adresse de courriel valide." in html
    assert "Le HTML n&#x27;est pas accepté" in html or "Le HTML n'est pas accepté" in html
    assert not OutgoingEmail.objects.exists() and not ContactMessage.objects.exists()


def test_report_needs_a_reason(client, make_post):
    post = make_post()
    response = client.post(f"/babillard/{post.pk}/signaler/", {"email": "r@example.org", "reason": ""})
    assert response.status_code == 400
    assert not Report.objects.exists()
    response = client.post(
        f"/babillard/{post.pk}/signaler/", {"email": "r@example.org", "reason": "spam"}, follow=True
    )
    assert "Merci, l&#x27;équipe est avisée" in html_of(response)
    response = client.post(
        f"/babillard/{post.pk}/signaler/", {"email": "r@example.org", "reason": "spam"}, follow=True
    )
    assert "déjà signalé" in html_of(response)
    assert Report.objects.count() == 1


def image_upload(fmt="PNG", size=(2400, 1200), name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#3a7").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def submission(transport, mirabel, **overrides):
    data = {
        "kind": "offre",
        "title": "Camionnette à partager",
        "description": "Disponible les mardis.",
        "category": transport.pk,
        "regions": [mirabel.pk],
        "organisation": "Comptoir du Nord",
        "contact_name": "Alex",
        "contact_email": "alex@example.org",
        "expires_on": "",
        "premises_accessible": "unknown",
        "notify_matches": "on",
    }
    from bulletin.models import Post as P

    data["expires_on"] = P.default_expiry().isoformat()
    data.update(overrides)
    return data


def test_valid_submission_waits_for_email_confirmation(client, transport, mirabel):
    response = client.post("/babillard/publier/", submission(transport, mirabel, image=image_upload()))
    assert response.status_code == 302 and response["Location"] == "/babillard/publier/merci/"
    post = Post.objects.get()
    assert post.state == Post.State.UNCONFIRMED
    assert list(post.regions.all()) == [mirabel]
    # The image was re-encoded: JPEG, bounded size, a new name.
    with Image.open(post.image.path) as stored:
        assert stored.format == "JPEG" and max(stored.size) == 1600
    assert post.image.name.endswith(".jpg") and "photo" not in post.image.name
    assert OutgoingEmail.objects.get(tag="bulletin.confirm").to == ["alex@example.org"]
    assert "Vérifiez vos courriels" in html_of(client.get(response["Location"]))


TEXT_FIELDS = ["title", "description", "organisation", "contact_name", "phone", "transport_route"]


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_script_tags_are_refused_in_every_text_field(client, transport, mirabel, field):
    response = client.post(
        "/babillard/publier/", submission(transport, mirabel, **{field: "<script>alert(1)</script>"})
    )
    assert response.status_code == 400
    html = html_of(response)
    assert f'id="error_1_id_{field}"' in html
    assert "Le HTML n" in html and "<script>alert(1)</script>" not in html
    assert not Post.objects.exists() and not OutgoingEmail.objects.exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("doc.png", b"%PDF-1.4 not an image", content_type="image/png"), "image"),
        (image_upload("GIF", (10, 10), "anim.gif"), "Formats acceptés"),
    ],
)
def test_bad_images_are_refused(client, transport, mirabel, upload, message):
    response = client.post("/babillard/publier/", submission(transport, mirabel, image=upload))
    assert response.status_code == 400
    assert message in html_of(response)
    assert not Post.objects.exists()


def test_oversized_image_is_refused(client, transport, mirabel, monkeypatch):
    from website import images  # the upload checks live there (shared with proposed logos)

    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    response = client.post("/babillard/publier/", submission(transport, mirabel, image=image_upload()))
    assert response.status_code == 400 and "dépasse 5 Mo" in html_of(response)
    assert not Post.objects.exists()


def test_missing_fields_and_bad_dates_get_french_errors(client, transport, mirabel):
    data = submission(transport, mirabel, title="", regions=[], expires_on="2099-01-01")
    data.update(available_from="2027-03-10", available_until="2027-03-01", show_phone="on")
    html = html_of(client.post("/babillard/publier/", data))
    assert 'id="error_1_id_title"' in html and 'id="error_1_id_regions"' in html
    assert "180 jours au plus" in html
    assert "Cette date doit suivre la date de début." in html
    assert "Indiquez le numéro à afficher" in html
    assert 'value="Comptoir du Nord"' in html  # nothing typed is lost
    assert not Post.objects.exists()


def test_honeypot_and_rate_limit(client, transport, mirabel, settings):
    settings.PUBLIC_FORM_RATE = "2/d"
    response = client.post("/babillard/publier/", submission(transport, mirabel, site_web_personnel="x"))
    assert response.status_code == 400 and not Post.objects.exists()
    client.post("/babillard/publier/", submission(transport, mirabel))
    response = client.post("/babillard/publier/", submission(transport, mirabel))
    assert response.status_code == 429
    assert "Trop d" in html_of(response)


def test_rss_feed_takes_the_board_filters(client, make_post, premises):
    make_post(title="Camionnette du mardi")
    make_post(title="Salle de réunion", category=premises)
    xml = html_of(client.get("/babillard/rss/?categorie=locaux"))
    assert "<rss" in xml and "Salle de réunion" in xml and "Camionnette" not in xml


def test_post_page_query_count_does_not_grow_with_matches(
    client, make_post, mirabel, django_assert_max_num_queries
):
    offer = make_post(kind=Post.Kind.OFFER, regions=[mirabel])
    make_post.create_batch(2, kind=Post.Kind.REQUEST, regions=[mirabel])
    make_post(kind=Post.Kind.OFFER, regions=[mirabel])  # a similar post, so each list is non-empty
    client.get(offer.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(offer.get_absolute_url())
    make_post.create_batch(15, kind=Post.Kind.REQUEST, regions=[mirabel])
    make_post.create_batch(5, kind=Post.Kind.OFFER, regions=[mirabel])
    with django_assert_max_num_queries(len(few)):
        html = html_of(client.get(offer.get_absolute_url()))
    assert "Demandes qui correspondent à cette offre" in html
