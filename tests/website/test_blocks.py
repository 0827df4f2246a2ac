"""Every StreamField block an editor can use renders, with alt text on images."""

import io

import pytest
from django.core.files.images import ImageFile
from django.views.defaults import server_error
from PIL import Image as PILImage
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image

from website.i18n import in_default_locale
from website.models import ContentPage, HomePage, ResourceDocument

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=demo-mutualisation"


def make_image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#1d5c4a").save(buffer, "PNG")
    return Image.objects.create(title="Camion partagé", file=ImageFile(buffer, name="camion.png"))


def test_content_page_renders_every_block(client, home):
    image = make_image()
    document = ResourceDocument.objects.first()
    about = in_default_locale(ContentPage.objects).get(slug="mutualisation")
    # A stored embed: rendering must not depend on reaching the provider from here.
    Embed.objects.create(
        hash=get_embed_hash(VIDEO),
        url=VIDEO,
        max_width=None,
        type="video",
        html='<iframe title="Vidéo de démonstration"></iframe>',
    )
    about.body = [
        ("heading", {"text": "Un intertitre", "level": "h3"}),
        ("paragraph", "<p>Du <b>texte</b> riche</p>"),
        ("image", {"image": image, "alt_text": "Un camion vert devant un entrepôt", "decorative": False}),
        ("quote", {"quote": "Partager, c'est gagner.", "attribution": "Une directrice"}),
        (
            "call_to_action",
            {
                "title": "Besoin d'aide?",
                "text": "",
                "button_label": "Écrivez-nous",
                "page": in_default_locale(HomePage.objects).get(),
                "url": "",
            },
        ),
        ("document", {"document": document, "label": "Télécharger le modèle"}),
        ("embed", VIDEO),
    ]
    about.save_revision().publish()

    html = client.get("/mutualisation/").content.decode()
    assert '<h3 class="mt-4">Un intertitre</h3>' in html
    assert "Du <b>texte</b> riche" in html
    assert 'alt="Un camion vert devant un entrepôt"' in html
    assert "Partager, c&#x27;est gagner." in html and "Une directrice" in html
    assert 'class="btn btn-primary" href="/">Écrivez-nous</a>' in html
    assert f'href="{document.url}">Télécharger le modèle</a>' in html
    assert '<iframe title="Vidéo de démonstration"></iframe>' in html


def test_link_blocks_take_a_page_or_an_address_not_both(home):
    from wagtail.blocks import StructBlockValidationError

    from website.blocks import LinkBlock

    block = LinkBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"label": "x", "page": None, "url": ""}))
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"label": "x", "page": home.pk, "url": "https://example.org"}))
    assert block.clean(block.to_python({"label": "x", "page": None, "url": "https://example.org"}))


def test_server_error_page_is_french_and_standalone(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur s&#x27;est produite" in html or "Une erreur s'est produite" in html
    assert '<html lang="fr-ca">' in html


def test_demo_editor_logs_into_the_admin(client, home):
    response = client.post("/admin/login/", {"username": "editeur", "password": "maillon-demo"})
    assert response.status_code == 302
    html = client.get("/admin/").content.decode()
    assert "Tableau de bord" in html
    assert client.get("/admin/settings/website/organisationsettings/").status_code in (200, 302)
    assert client.get("/admin/snippets/website/region/").status_code == 200
