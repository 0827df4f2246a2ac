"""The public post form: an image survives a validation error, the details follow the category (with
or without JavaScript), no "---------" anywhere, images served as resized variants with alt text."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from bulletin import images, links
from bulletin.models import Post
from tests.bulletin.test_public import image_upload, submission
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def kept_token(html):
    match = re.search(r'name="kept_image" value="([^"]+)"', html)
    return match and match.group(1)


def test_an_image_chosen_before_a_validation_error_is_kept(client, transport, mirabel):
    response = client.post(
        "/babillard/publier/", submission(transport, mirabel, title="", image=image_upload(name="camion.png"))
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error_1_id_title"' in html
    assert "Image conservée : camion.png" in html and "Aperçu de l’image conservée" in html
    token = kept_token(html)
    assert token and not Post.objects.exists()

    # Fixed, sent again without choosing the file again: the post has the image.
    response = client.post("/babillard/publier/", submission(transport, mirabel, kept_image=token))
    assert response.status_code == 302
    post = Post.objects.get()
    with Image.open(post.image.path) as stored:
        assert stored.format == "JPEG" and stored.size == (1600, 800)
    assert not post.image.name.startswith(images.KEPT_DIR)


def test_an_image_sent_while_over_the_rate_is_kept_for_the_next_try(client, transport, mirabel, settings):
    settings.PUBLIC_FORM_RATE = "1/d"
    assert client.post("/babillard/publier/", submission(transport, mirabel, title="")).status_code == 400
    response = client.post(
        "/babillard/publier/", submission(transport, mirabel, image=image_upload(name="remorque.png"))
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "Image conservée : remorque.png" in html
    token = kept_token(html)
    assert token and not Post.objects.exists()

    settings.PUBLIC_FORM_RATE = "100/m"
    assert (
        client.post("/babillard/publier/", submission(transport, mirabel, kept_image=token)).status_code
        == 302
    )
    assert Post.objects.get().image


def test_a_kept_image_can_be_dropped_or_replaced(client, transport, mirabel):
    html = client.post(
        "/babillard/publier/", submission(transport, mirabel, title="", image=image_upload())
    ).content.decode()
    token = kept_token(html)
    client.post("/babillard/publier/", submission(transport, mirabel, kept_image=token, forget_image="on"))
    assert not Post.objects.get().image

    html = client.post(
        "/babillard/publier/", submission(transport, mirabel, title="", image=image_upload())
    ).content.decode()
    replacement = image_upload(size=(300, 200), name="autre.png")
    client.post(
        "/babillard/publier/",
        submission(transport, mirabel, title="Deuxième", kept_image=kept_token(html), image=replacement),
    )
    with Image.open(Post.objects.get(title="Deuxième").image.path) as stored:
        assert stored.size == (300, 200)


@pytest.mark.parametrize("token", ["forged", "babillard/attente/x.jpg", "../../settings.py"])
def test_a_forged_kept_image_token_is_ignored(client, transport, mirabel, token):
    response = client.post("/babillard/publier/", submission(transport, mirabel, kept_image=token))
    assert response.status_code == 302
    assert not Post.objects.get().image


def test_an_image_is_kept_on_the_magic_link_edit_too(client, make_post):
    from tests.bulletin.test_magic_links import edit_data, manage_path

    post = make_post(title="Titre d'origine")
    html = client.post(
        manage_path(post), edit_data(post, title="", image=image_upload(name="local.png"))
    ).content.decode()
    assert "Image conservée : local.png" in html
    client.post(manage_path(post), edit_data(post, title="Nouveau titre", kept_image=kept_token(html)))
    post.refresh_from_db()
    assert post.title == "Nouveau titre" and post.image


def test_kept_images_are_purged_after_a_day(client, transport, mirabel):
    html = client.post(
        "/babillard/publier/", submission(transport, mirabel, title="", image=image_upload())
    ).content.decode()
    kept = images.kept_image(kept_token(html))
    assert default_storage.exists(kept.name)
    assert images.purge_kept_images() == 0
    assert images.purge_kept_images(now=timezone.now() + datetime.timedelta(days=1, minutes=1)) >= 1
    assert not default_storage.exists(kept.name)


def test_every_group_of_details_is_in_the_page_for_browsers_without_javascript(client, db):
    categories = {
        slug: CategoryFactory(slug=slug, name=slug) for slug in ("locaux", "transport", "formation")
    }
    html = client.get("/babillard/publier/").content.decode()
    fieldsets = re.findall(r'<fieldset[^>]*data-categories="([^"]*)"[^>]*>', html)
    assert len(fieldsets) == 4 and "hidden" not in " ".join(re.findall(r"<fieldset[^>]*>", html))
    assert str(categories["locaux"].pk) in fieldsets[0] and str(categories["transport"].pk) in fieldsets[1]
    assert 'src="/static/bulletin/post_form.js"' in html
    for name in ("premises_capacity", "transport_route", "staff_hours_per_week", "training_cost"):
        assert f'id="id_{name}"' in html


def test_details_of_another_category_are_ignored(client, transport, mirabel):
    data = submission(
        transport,
        mirabel,
        transport_route="Saint-Jérôme ↔ Mirabel",
        premises_capacity="abc",  # wrong, but about premises: not this post's business
        training_seats="12",
    )
    assert client.post("/babillard/publier/", data).status_code == 302
    post = Post.objects.get()
    assert post.transport_route == "Saint-Jérôme ↔ Mirabel"
    assert post.premises_capacity is None and post.training_seats is None


def test_details_of_the_chosen_category_are_checked_and_kept(client, mirabel):
    premises = CategoryFactory(slug="locaux", name="Locaux")
    response = client.post("/babillard/publier/", submission(premises, mirabel, premises_capacity="abc"))
    assert response.status_code == 400 and 'id="error_1_id_premises_capacity"' in response.content.decode()
    client.post("/babillard/publier/", submission(premises, mirabel, premises_capacity="30"))
    assert Post.objects.get().premises_capacity == 30


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_no_dashes_placeholder_in_any_public_form(client, make_post, prefix):
    post = make_post()
    manage = links.manage_url(post).replace("http://testserver", "")
    for path in ["/babillard/publier/", "/babillard/alertes/", f"/babillard/{post.pk}-{post.slug}/", manage]:
        html = client.get(prefix + path).content.decode()
        assert "---------" not in html, path
    html = client.get(prefix + "/babillard/publier/").content.decode()
    assert ("Choisissez une catégorie" if not prefix else "Choose a category") in html


def test_images_are_served_as_variants_with_alt_text(client, make_post, transport, mirabel):
    client.post(
        "/babillard/publier/",
        submission(
            transport, mirabel, image=image_upload(size=(2400, 1200)), image_alt="Camionnette blanche"
        ),
    )
    post = Post.objects.get()
    post.state = Post.State.PUBLISHED
    post.published_at = timezone.now()
    post.save()
    stem = post.image.name.rsplit(".", 1)[0]

    board = client.get("/babillard/").content.decode()
    thumb = re.search(r'<img src="([^"]+)" class="card-img-top" alt="([^"]*)"', board)
    assert thumb.group(1) == f"/media/{stem}.w400.jpg" and thumb.group(2) == "Camionnette blanche"
    with Image.open(default_storage.path(f"{stem}.w400.jpg")) as small:
        assert small.size == (400, 200)

    page = client.get(post.get_absolute_url()).content.decode()
    img = re.search(r'<img class="img-fluid rounded mb-3"[^>]*>', page).group(0)
    assert f'src="/media/{stem}.w800.jpg"' in img and 'alt="Camionnette blanche"' in img
    assert f"/media/{stem}.w400.jpg 400w, /media/{stem}.w800.jpg 800w, /media/{post.image.name} 1600w" in img


def test_an_image_without_a_description_takes_the_title_as_alt_text(client, make_post):
    post = make_post(title="Salle de 30 places")
    post.image.save("salle.jpg", image_upload(fmt="JPEG", size=(900, 600)), save=True)
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'alt="Salle de 30 places"' in page
    assert "900w" in page and "800w" in page  # variants narrower than the original, then the original
