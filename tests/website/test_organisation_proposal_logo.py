"""A proposed logo (website/organisation_proposals.py): checked as the board's images are
(website/images.py: size, pixel count before decoding, re-encoded without EXIF), kept out of public
reach, shown to editors on the review screen, a Wagtail image once approved, gone once refused."""

import io
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.bulletin.test_images import png_bomb
from tests.website.test_organisation_proposals import CONTACT, form_data
from website import organisation_proposals as proposals
from website import privacy
from website.models import Organisation, ProfileProposal

pytestmark = pytest.mark.django_db


def jpeg_with_exif(size=(800, 400)):
    exif = Image.Exif()
    exif[0x010F] = "Appareil secret"  # Make
    exif[0x0132] = "2026:11:28 08:00:00"  # DateTime
    buffer = io.BytesIO()
    Image.new("RGB", size, "#2a6").save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("logo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def popote(db):
    return Organisation.objects.create(
        name="Popote roulante",
        website="https://popote.example.org",
        description="Repas livrés.",
        verified=True,
    )


@pytest.fixture
def page(popote):
    return f"/organismes/proposer/{proposals.link_token(popote, CONTACT)}/"


def media_files(root):
    return (
        [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]
        if os.path.isdir(root)
        else []
    )


def test_a_logo_is_stored_re_encoded_without_exif_and_nowhere_public(client, popote, page):
    public_before = set(media_files(settings.MEDIA_ROOT))
    response = client.post(page, {**form_data(popote), "logo": jpeg_with_exif()})
    assert response.status_code == 302
    proposal = ProfileProposal.objects.get()
    assert proposal.changes == {}  # the logo alone is a proposal
    path = proposal.logo.path
    assert path.startswith(settings.PRIVATE_MEDIA_ROOT) and not path.startswith(settings.MEDIA_ROOT)
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and stored.size == (800, 400)
        assert not stored.getexif() and "exif" not in stored.info
    assert set(media_files(settings.MEDIA_ROOT)) == public_before
    popote.refresh_from_db()
    assert popote.logo is None


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("bombe.png", png_bomb(), content_type="image/png"), "40 mégapixels au plus"),
        (
            SimpleUploadedFile("texte.png", b"pas une image", content_type="image/png"),
            "pas une image lisible",
        ),
        (SimpleUploadedFile("gros.jpg", b"\xff" * (5 * 1024 * 1024 + 1)), "dépasse 5 Mo"),
    ],
    ids=["pixel-bomb", "not-an-image", "over-5-MB"],
)
def test_a_bad_logo_is_refused_next_to_the_field(client, popote, page, upload, message):
    response = client.post(page, {**form_data(popote, phone="450 555-0101"), "logo": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error_1_id_logo"' in html and message in html.replace("&#x27;", "'")
    assert not ProfileProposal.objects.exists()


def test_editors_see_the_proposed_logo_and_nobody_else(client, admin_client, popote, page):
    client.post(page, {**form_data(popote), "logo": jpeg_with_exif()})
    proposal = ProfileProposal.objects.get()
    review = admin_client.get(f"/admin/propositions-organismes/{proposal.pk}/").content.decode()
    address = f"/admin/propositions-organismes/{proposal.pk}/logo.jpg"
    assert f'src="{address}"' in review and "Logo proposé pour Popote roulante" in review
    shown = admin_client.get(address)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert b"".join(shown.streaming_content)[:2] == b"\xff\xd8"
    assert Client().get(address).status_code in (302, 403)


def test_approval_makes_it_the_organisations_wagtail_image(
    client,
    admin_client,
    popote,
    page,
    django_capture_on_commit_callbacks,
):
    client.post(page, {**form_data(popote, public_profile="on"), "logo": jpeg_with_exif()})
    proposal = ProfileProposal.objects.get()
    private = proposal.logo.path
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/propositions-organismes/{proposal.pk}/approuver/")
    popote.refresh_from_db()
    assert popote.logo is not None and popote.logo.width == 800
    assert popote.logo.collection.is_root()
    assert not os.path.exists(private)
    proposal.refresh_from_db()
    assert not proposal.logo and proposal.state == ProfileProposal.State.APPROVED
    profile = Client().get(f"/organismes/{popote.slug}/").content.decode()
    assert "/media/images/" in profile


def test_refusal_deletes_the_proposed_logo(
    client,
    admin_client,
    popote,
    page,
    django_capture_on_commit_callbacks,
):
    client.post(page, {**form_data(popote), "logo": jpeg_with_exif()})
    proposal = ProfileProposal.objects.get()
    private = proposal.logo.path
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/propositions-organismes/{proposal.pk}/refuser/", {"reason": ""})
    assert not os.path.exists(private)
    popote.refresh_from_db()
    assert popote.logo is None


def test_erasing_the_person_deletes_their_proposed_logo(client, popote, page):
    client.post(page, {**form_data(popote), "logo": jpeg_with_exif()})
    private = ProfileProposal.objects.get().logo.path
    privacy.erase(CONTACT)
    assert not ProfileProposal.objects.exists() and not os.path.exists(private)
    assert Organisation.objects.get(pk=popote.pk).logo is None


def test_a_transparent_logo_is_flattened_on_white_not_black(client, popote, page):
    png = io.BytesIO()
    logo = Image.new("RGBA", (200, 100), (0, 0, 0, 0))  # transparent black, as drawing tools save it
    logo.paste((200, 30, 30, 255), (50, 25, 150, 75))
    logo.save(png, "PNG")
    upload = SimpleUploadedFile("logo.png", png.getvalue(), content_type="image/png")
    assert client.post(page, {**form_data(popote), "logo": upload}).status_code == 302
    with Image.open(ProfileProposal.objects.get().logo.path) as stored:
        corner, middle = stored.getpixel((2, 2)), stored.getpixel((100, 50))
    assert min(corner) > 245  # white
    assert middle[0] > 180 and middle[1] < 70
