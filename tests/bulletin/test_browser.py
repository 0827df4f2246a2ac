"""A person walks the babillard in Chromium: submit, confirm by email, an editor approves in the
admin, the post is on the board, someone writes through the relay, the poster gets the message."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.worker]

POSTER = "poster@example.org"


def test_submit_confirm_approve_contact(page, live_server, demo, celery_worker, smtp):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(live_server.url + "/babillard/publier/")
    page.get_by_label("Offre").check()
    page.get_by_label(re.compile(r"^\s*Titre")).fill("Remorque à prêter les fins de semaine")
    page.get_by_role("textbox", name=re.compile(r"^\s*Description\*?\s*$")).fill(
        "Remorque fermée 5 × 8 pi, attache 2 po. Voir https://exemple.org/remorque"
    )
    page.get_by_label("Catégorie").select_option(label="Équipement")
    page.get_by_label("Argenteuil").check()
    page.get_by_label(re.compile(r"^\s*Organisme")).fill("Banque alimentaire d'Argenteuil")
    page.get_by_label(re.compile(r"^\s*Personne-ressource")).fill("Dominique")
    page.get_by_label(re.compile(r"^\s*Courriel de la personne-ressource")).fill(POSTER)
    page.get_by_role("button", name="Envoyer mon annonce").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos courriels")

    ((recipients, confirmation),) = smtp.wait_for(1)
    assert recipients == [POSTER]
    link = re.search(r"http://testserver(/babillard/confirmer/\S+/)", confirmation.get_content()).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Confirmer mon adresse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adresse confirmée")

    # The editor logs in and approves it from the moderation list.
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("editeur")
    page.get_by_label("Mot de passe").fill("maillon-demo")
    page.get_by_role("button", name="S'identifier").click()
    page.get_by_role("link", name=re.compile("annonces? en attente de modération")).click()
    row = page.get_by_role("row").filter(has_text="Remorque à prêter")
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Publier les annonces choisies").or_(
        page.get_by_role("link", name="Publier les annonces choisies")
    ).click()
    page.get_by_role("button", name="Oui, publier").click()
    expect(page.get_by_text("1 annonce publiée.")).to_be_visible()

    # Anyone sees it on the board and writes to the poster through the relay.
    context = page.context.browser.new_context()
    visitor = context.new_page()
    visitor.goto(live_server.url + "/babillard/")
    visitor.get_by_role("link", name="Remorque à prêter les fins de semaine").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Remorque à prêter les fins de semaine")
    expect(visitor.get_by_role("link", name="https://exemple.org/remorque")).to_have_attribute(
        "rel", "nofollow"
    )
    assert POSTER not in visitor.content()
    visitor.get_by_label("Votre nom").fill("Camille")
    visitor.get_by_label("Votre courriel").fill("camille@example.org")
    visitor.get_by_label("Votre message").fill("Bonjour, la remorque serait-elle libre le 12?")
    visitor.get_by_role("button", name="Envoyer le message").click()
    expect(visitor.get_by_text("Votre message a été transmis")).to_be_visible()
    assert POSTER not in visitor.content()

    _, message = smtp.wait_for_message(
        lambda to, m: to == [POSTER] and m["Subject"].strip().startswith("Message au sujet")
    )
    assert message["Reply-To"] == "camille@example.org"
    assert "la remorque serait-elle libre le 12?" in message.get_content()
    assert errors == []
    context.close()


@pytest.mark.parametrize(
    "path", ["/babillard/", "/babillard/?type=offre&region=mirabel", "/babillard/alertes/", "/en/babillard/"]
)
def test_board_pages_pass_axe(page, live_server, demo, path):
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_post_page_and_forms_with_errors_pass_axe(page, live_server, demo):
    from bulletin import links
    from bulletin.models import Post

    post = Post.objects.get(title="Camionnette disponible les mardis")
    page.goto(live_server.url + post.get_absolute_url())
    page.get_by_role("button", name="Envoyer le message").click()  # empty: errors next to the fields
    expect(page.locator("#error_1_id_sender_email")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/babillard/publier/")
    page.get_by_role("button", name="Envoyer mon annonce").click()
    expect(page.locator("#error_1_id_title")).to_be_visible()
    assert_accessible(page)

    page.goto(links.manage_url(post).replace("http://testserver", live_server.url))
    assert_accessible(page)


PHONE = {"width": 375, "height": 667}


def in_viewport(page, locator):
    box = locator.bounding_box()
    assert box is not None
    return 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]


@pytest.mark.parametrize(
    "prefix, sent", [("", "Votre message a été transmis"), ("/en", "Your message has been passed on")]
)
def test_on_a_phone_the_relay_confirmation_is_in_view_not_an_empty_form(
    page, live_server, demo, prefix, sent
):
    from bulletin.models import Post

    post = Post.objects.get(title="Camionnette disponible les mardis")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{prefix}/babillard/{post.pk}-{post.slug}/")
    form = page.locator("form", has=page.locator("#id_sender_name"))
    form.locator("#id_sender_name").fill("Camille")
    form.locator("#id_sender_email").fill("camille@example.org")
    form.locator("#id_body").fill("Bonjour, la camionnette est-elle libre mardi prochain?")
    form.locator("button[type=submit]").click()
    alert = page.get_by_role("status").filter(has_text=sent)
    expect(alert).to_be_visible()
    page.wait_for_load_state("load")
    assert in_viewport(page, alert), alert.bounding_box()
    assert not page.url.endswith("#titre-contact")


def test_on_a_phone_a_report_says_what_happened_in_view(page, live_server, demo):
    from bulletin.models import Post

    post = Post.objects.get(title="Camionnette disponible les mardis")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/babillard/{post.pk}-{post.slug}/")
    page.get_by_text("Signaler cette annonce").click()
    page.get_by_label("Motif").select_option("spam")
    page.get_by_label("Courriel de la personne qui signale").fill("veille@example.org")
    page.get_by_role("button", name="Signaler", exact=True).click()
    alert = page.get_by_role("status").filter(has_text="l'équipe est avisée")
    expect(alert).to_be_visible()
    page.wait_for_load_state("load")
    assert in_viewport(page, alert), alert.bounding_box()


def test_the_form_shows_the_details_of_the_chosen_category_and_all_without_javascript(
    page, live_server, demo
):
    page.goto(live_server.url + "/babillard/publier/")
    premises = page.get_by_role("group", name=re.compile("Le local"))
    transport = page.get_by_role("group", name=re.compile("Le transport"))
    expect(premises).to_be_hidden()
    page.get_by_label("Catégorie").select_option(label="Locaux")
    expect(premises).to_be_visible()
    expect(transport).to_be_hidden()
    expect(page.get_by_label("Capacité du local (personnes)")).to_be_visible()
    page.get_by_label("Catégorie").select_option(label="Transport")
    expect(transport).to_be_visible()
    expect(premises).to_be_hidden()

    context = page.context.browser.new_context(java_script_enabled=False)
    no_js = context.new_page()
    no_js.goto(live_server.url + "/babillard/publier/")
    for legend in ("Le local", "Le transport", "Le personnel", "La formation"):
        expect(no_js.get_by_role("group", name=re.compile(legend))).to_be_visible()
    context.close()


def test_an_editor_moderates_posts_from_their_edit_screens(page, live_server, demo):
    from bulletin import links
    from bulletin.models import Post
    from tests.bulletin.test_public import image_upload

    projector = Post.objects.get(title="Projecteur pour nos ateliers")
    projector.image_alt = "Un projecteur sur une table"
    projector.image.save("projecteur.jpg", image_upload(fmt="JPEG", size=(1200, 800)), save=True)
    grants = Post.objects.get(title="Aide pour vos demandes de subvention")

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("editeur")
    page.get_by_label("Mot de passe").fill("maillon-demo")
    page.get_by_role("button", name="S'identifier").click()

    # The link of the moderation email.
    page.goto(links.admin_url(projector).replace("http://testserver", live_server.url))
    expect(page.get_by_role("heading", name="Modération : En attente de modération")).to_be_visible()
    expect(page.get_by_role("img", name="Un projecteur sur une table")).to_be_visible()
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.get_by_text("Annonce « Projecteur pour nos ateliers » publiée")).to_be_visible()
    expect(page.get_by_role("heading", name="Modération : Publiée")).to_be_visible()

    page.goto(links.admin_url(grants).replace("http://testserver", live_server.url))
    page.get_by_label("Motif du refus (envoyé à l'auteur)").fill(
        "Service commercial, hors du mandat du babillard"
    )
    page.get_by_role("button", name="Refuser", exact=True).click()
    expect(page.get_by_text("Annonce « Aide pour vos demandes de subvention » refusée")).to_be_visible()

    projector.refresh_from_db()
    grants.refresh_from_db()
    assert (projector.state, grants.state) == (Post.State.PUBLISHED, Post.State.REJECTED)
    visitor = page.context.browser.new_page()
    visitor.goto(live_server.url + "/babillard/")
    expect(visitor.get_by_role("link", name="Projecteur pour nos ateliers")).to_be_visible()
    expect(visitor.get_by_role("img", name="Un projecteur sur une table")).to_be_visible()
    visitor.close()


def test_gone_confirmation_and_kept_image_pages_pass_axe(page, live_server, demo):
    from bulletin import links
    from bulletin.models import Post

    expired = Post.objects.get(title="Photocopieur à donner")
    page.goto(f"{live_server.url}/babillard/{expired.pk}-{expired.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annonce expirée")
    assert_accessible(page)

    pending = Post.objects.get(title="Projecteur pour nos ateliers")
    page.goto(links.confirm_url(pending).replace("http://testserver", live_server.url))
    expect(page.get_by_role("button", name="Confirmer mon adresse")).to_be_visible()
    assert_accessible(page)

    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "#3a7").save(buffer, "PNG")
    page.goto(live_server.url + "/babillard/publier/")
    page.locator("#id_image").set_input_files(
        files=[{"name": "local.png", "mimeType": "image/png", "buffer": buffer.getvalue()}]
    )
    page.get_by_role("button", name="Envoyer mon annonce").click()
    expect(page.get_by_text("Image conservée : local.png")).to_be_visible()
    assert_accessible(page)
