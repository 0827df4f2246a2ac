"""An issue rendered as an email: inlined CSS, plain text, personal links, CASL footer, no tracking."""

import re
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from newsletter import links, rendering, sending, services
from newsletter.blocks import IssueItem, ItemsBlock
from newsletter.models import Delivery, Send, Subscriber
from website.i18n import in_default_locale

pytestmark = pytest.mark.django_db


def rendered(issue, language="fr-ca"):
    return rendering.personalise(
        rendering.render_issue(issue, language),
        unsubscribe_url="https://u.example/quitter",
        preferences_url="https://u.example/prefs",
    )


def test_issue_email_is_inlined_with_text_alternative_and_live_content(issue):
    subject, html, text = rendered(issue)
    assert subject == issue.subject
    assert 'style="' in html and "<style>" not in html.split("<body")[1]  # CSS inlined by css-inline
    assert (
        "Nouveau au babillard" in html and "Camionnette disponible les mardis" in html
    )  # filled at send time
    assert "Prochains événements" in text and "Webinaire" in text
    assert "123, rue Principale" in html and "Réseau régional de mutualisation (démo)" in text  # CASL footer
    assert "http://testserver/babillard/" in html  # absolute links
    assert 'href="https://u.example/quitter"' in html and "https://u.example/quitter" in text
    assert '<html lang="fr-ca">' in html


def test_each_recipient_gets_their_own_links_and_one_click_headers(issue):
    send = Send.objects.create(issue=issue)
    sending.prepare(send.pk)
    assert Delivery.objects.filter(send=send).count() == Subscriber.objects.mailable().count() == 3
    sent = sending.send_batch(send.pk)
    assert sent == 3 and len(mail.outbox) == 3
    links = set()
    for message in mail.outbox:
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert re.match(r"http://testserver(/en)?/infolettre/desabonnement/", unsubscribe)
        assert unsubscribe in message.body and message.alternatives[0][1] == "text/html"
        assert message.track_opens is False and message.track_clicks is False
        links.add(unsubscribe)
    assert len(links) == 3
    assert sending.send_batch(send.pk) == 0
    send.refresh_from_db()
    assert send.state == Send.State.DONE


def test_a_long_subject_with_accents_arrives_without_a_leading_space(issue):
    # Django 5.2 folds such a subject right after "Subject:", and mail readers showed " Infolettre…".
    issue.subject = "Infolettre de novembre : mutualisation des équipements, des locaux et des formations"
    issue.save_revision().publish()
    send = Send.objects.create(issue=issue)
    sending.prepare(send.pk)
    assert sending.send_batch(send.pk) == 3
    for message in mail.outbox:
        parsed = message.message()
        assert str(make_header(decode_header(parsed["Subject"]))) == issue.subject
        assert "Subject: \n" not in parsed.as_bytes().decode().replace("\r\n", "\n")


def test_audience_is_confirmed_subscribers_of_the_issue_topics(issue, make_subscriber, topics):
    make_subscriber("trainings-only@example.org", topic=topics[1])
    make_subscriber("pending@example.org", state=Subscriber.State.PENDING)
    make_subscriber("left@example.org", state=Subscriber.State.UNSUBSCRIBED)
    emails = set(sending.audience(issue).values_list("email", flat=True))
    assert "trainings-only@example.org" not in emails and "pending@example.org" not in emails
    assert "left@example.org" not in emails and "annie@example.org" in emails


def test_unsubscribing_cancels_what_is_not_sent_yet(issue):
    send = Send.objects.create(issue=issue)
    sending.prepare(send.pk)

    annie = Subscriber.objects.get(email="annie@example.org")
    services.unsubscribe(annie)
    sending.send_batch(send.pk)
    assert "annie@example.org" not in [m.to[0] for m in mail.outbox]
    assert Delivery.objects.get(subscriber=annie).state == Delivery.State.CANCELLED


def test_english_subscribers_get_the_english_translation_when_there_is_one(issue):
    from wagtail.actions.convert_alias import ConvertAliasPageAction
    from wagtail.models import Locale

    en = Locale.objects.get(language_code="en")
    # The English tree holds an alias of the issue; an editor turns it into a translation.
    alias = issue.get_translation(en)
    ConvertAliasPageAction(alias).execute()
    translation = alias.specific
    translation.refresh_from_db()
    translation.subject = "Sharing: a van, a room and a training"
    translation.save_revision().publish()
    assert rendering.render_issue(issue, "en").subject == "Sharing: a van, a room and a training"
    assert rendering.render_issue(issue, "fr-ca").subject == issue.subject


PLACEHOLDERS = "%%UNSUBSCRIBE_URL%% %%FIRST_NAME%% %%PREFERENCES_URL%%"


def test_placeholders_written_by_visitors_stay_text(issue):
    from bulletin.models import Post

    post = Post.objects.published().first()
    Post.objects.filter(pk=post.pk).update(
        title=PLACEHOLDERS, organisation="maillon-0123456789abcdef-unsubscribe-url"
    )
    send = Send.objects.create(issue=issue)
    sending.prepare(send.pk)
    sending.send_batch(send.pk)
    annie = Subscriber.objects.get(email="annie@example.org")
    (message,) = [m for m in mail.outbox if m.to == ["annie@example.org"]]
    html = message.alternatives[0][0]
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert links.subscriber_from_token(unsubscribe.split("/")[-2], "newsletter.unsubscribe") == annie
    for body in (message.body, html):
        assert PLACEHOLDERS in body and "maillon-0123456789abcdef-unsubscribe-url" in body
        # Annie's link appears once, where our footer puts it; the title was not turned into links.
        assert body.count(unsubscribe) == 1 and body.count("/infolettre/desabonnement/") == 1
        assert "Annie" not in body


def test_an_issue_is_rendered_once_per_send_and_language(issue, monkeypatch):
    calls = []
    real = rendering.render_issue
    monkeypatch.setattr(rendering, "render_issue", lambda *args: calls.append(args[1]) or real(*args))
    send = Send.objects.create(issue=issue)
    sending.prepare(send.pk)
    assert sorted(Delivery.objects.filter(send=send).values_list("language", flat=True)) == [
        "en",
        "fr-ca",
        "fr-ca",
    ]
    assert sending.send_batch(send.pk) == 3
    assert sorted(calls) == ["en", "fr-ca"]


def test_english_readers_get_links_that_stay_in_english(issue):
    send = Send.objects.create(issue=issue)
    sending.prepare(send.pk)
    sending.send_batch(send.pk)
    (message,) = [m for m in mail.outbox if m.to == ["carol@example.org"]]  # the demo's English reader
    html = message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://testserver/en/infolettre/desabonnement/"
    )
    assert '<html lang="en">' in html and "View in browser" in html
    links = re.findall(r'href="(http://testserver/[^"]*)"', html)
    assert links and all(link.startswith("http://testserver/en/") for link in links), links
    assert (
        "http://testserver/en/evenements/" in message.body
        and "http://testserver/en/babillard/" in message.body
    )
    (french,) = [m for m in mail.outbox if m.to == ["annie@example.org"]]
    assert "http://testserver/en/" not in french.body


def test_board_and_events_blocks_choose_from_lists_and_list_each_event_once(issue):
    from bulletin.models import Post
    from events.models import EventKind, EventPage
    from newsletter.blocks import LatestPostsBlock, UpcomingEventsBlock
    from website.models import ResourceCategory

    posts, events = LatestPostsBlock(), UpcomingEventsBlock()
    category_choices = dict(posts.child_blocks["category"].field.choices)
    assert set(category_choices) == {"", *ResourceCategory.objects.values_list("slug", flat=True)}
    assert dict(posts.child_blocks["kind"].field.choices).keys() == {"", *Post.Kind.values}
    assert dict(events.child_blocks["kind"].field.choices).keys() == {
        "",
        *EventKind.objects.values_list("slug", flat=True),
    }
    with pytest.raises(ValidationError):
        posts.child_blocks["category"].clean("pas-une-categorie")

    category = Post.objects.published().first().category
    chosen = posts.items(posts.to_python({"kind": "", "category": category.slug, "limit": 20}))
    assert chosen and {item.title for item in chosen} == set(
        Post.objects.published().filter(category=category).values_list("title", flat=True)
    )
    upcoming = events.items(events.to_python({"kind": "", "limit": 20}))
    titles = [item.title for item in upcoming]
    assert titles and len(titles) == len(set(titles))  # one line per event, not one per language
    cancelled = in_default_locale(EventPage.objects).filter(title__in=titles).first()
    cancelled.state = EventPage.State.CANCELLED
    cancelled.save()
    assert cancelled.title not in [item.title for item in events.items(events.to_python({"limit": 20}))]


def test_email_preview_modes_show_the_email_in_each_language(client, admin_user, issue):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    client.force_login(admin_user)
    assert [mode for mode, _label in issue.preview_modes] == ["", "email-fr-ca", "email-en"]
    edit = client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert "Courriel (Français)" in edit and "Courriel (English)" in edit
    # The editor's unsaved changes, as the edit form sends them to the live preview.
    form = nested_form_data(
        {
            "title": issue.title,
            "slug": issue.slug,
            "subject": "Objet pas encore enregistré",
            "preheader": "",
            "topics": [t.pk for t in issue.topics.all()],
            "body": streamfield([("text", rich_text("<p>Un paragraphe tout neuf.</p>"))]),
            "comments": inline_formset([]),
        }
    )
    preview = f"/admin/pages/{issue.pk}/edit/preview/"
    assert client.post(preview, form).json()["is_valid"] is True
    french = client.get(preview, {"mode": "email-fr-ca"}).content.decode()
    english = client.get(preview, {"mode": "email-en"}).content.decode()
    for html in (french, english):
        assert "Objet pas encore enregistré" in html and "Un paragraphe tout neuf." in html
        assert 'style="' in html.split("<body")[1] and "<style>" not in html.split("<body")[1]
    assert '<html lang="fr-ca">' in french and "Voir dans le navigateur" in french
    assert '<html lang="en">' in english and "View in browser" in english
    assert "http://testserver/en/infolettre/lien-exemple/" in english
    web = client.get(preview, {"mode": ""}).content.decode()
    assert 'class="navbar' in web and "Un paragraphe tout neuf." in web  # the web archive, in the site layout


def test_the_issue_web_page_lists_the_board_posts_and_events_of_its_blocks(client, issue):
    from bulletin.selectors import published_posts
    from events.selectors import upcoming_events

    html = client.get(issue.url).content.decode()
    assert published_posts(limit=1)[0].title.replace("'", "&#x27;") in html
    assert upcoming_events(limit=1)[0].title.replace("'", "&#x27;") in html


def test_the_web_page_and_the_email_take_a_blocks_items_from_its_get_context(client, issue, monkeypatch):
    """One way to fill the board and events blocks: what the block's get_context gives (from the apps'
    selectors) is what the archive page and the email show, with absolute links in the email."""

    def fake_context(block, value, parent_context=None):
        line = IssueItem(f"Ligne {block.name}", f"/lien/{block.name}/", "note")
        return {"self": value, "value": value, "items": [line]}

    monkeypatch.setattr(ItemsBlock, "get_context", fake_context)
    html = client.get(issue.url).content.decode()
    rendered = rendering.render_issue(issue, "fr-ca")
    _subject, email_html, text = rendering.personalise(rendered, **rendering.sample_links("fr-ca"))
    for name in ("latest_posts", "upcoming_events"):
        assert f'<a href="/lien/{name}/">Ligne {name}</a>' in html
        assert f'href="http://testserver/lien/{name}/"' in email_html
        assert f"Ligne {name} — note\u00a0: http://testserver/lien/{name}/" in text
