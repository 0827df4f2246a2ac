"""Whatever text a published post holds, every page and feed that shows it answers; and the public form
keeps out the invisible control characters that XML (the RSS feed) cannot carry."""

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from bulletin.models import Post
from tests.fuzz.strategies import any_text, control_text, fuzz_settings, long_text
from tests.fuzz.test_forms import board_post_data

pytestmark = pytest.mark.django_db

stored_text = st.one_of(
    any_text, control_text, long_text.map(lambda t: t[:5000]), st.just("a\x01b\x0bc\x1fd")
)


def places(site, post):
    return [
        "/babillard/",
        "/babillard/rss/",
        "/en/babillard/rss/",
        post.get_absolute_url(),
        "/",
        "/recherche/?q=a",
    ]


def test_a_published_post_with_any_text_is_shown_everywhere(client, site, isolated):
    @fuzz_settings(25)
    @given(title=stored_text, description=stored_text, organisation=stored_text)
    def check(title, description, organisation):
        with isolated():
            title = title.replace("\x00", "")[:120] or "x"  # PostgreSQL text cannot hold NUL
            Post.objects.filter(pk=site.post.pk).update(
                title=title,
                description=description.replace("\x00", ""),
                organisation=organisation.replace("\x00", "")[:200],
            )
            for path in places(site, site.post):
                response = client.get(path)
                assert response.status_code < 500, path

    check()


def test_control_characters_typed_in_the_board_form_are_not_kept(client, site):
    data = board_post_data()
    data.update(title="Camion\x01nette\x0b", description="Mar\x1bdi\x0c et\tjeudi\r\nsoir\x7f")
    response = client.post("/babillard/publier/", data)
    assert response.status_code == 302
    post = Post.objects.order_by("-pk").first()
    assert (post.title, post.description) == ("Camionnette", "Mardi et\tjeudi\r\nsoir")
    Post.objects.filter(pk=post.pk).update(state=Post.State.PUBLISHED, published_at=timezone.now())
    response = client.get("/babillard/rss/")
    assert response.status_code == 200 and "Camionnette" in response.content.decode()


def test_the_rss_feed_answers_when_a_stored_post_holds_control_characters(client, site):
    Post.objects.filter(pk=site.post.pk).update(title="Titre\x01", description="Texte\x08\x1f")
    response = client.get("/babillard/rss/")
    assert response.status_code == 200
    assert "Titre" in response.content.decode() and "\x01" not in response.content.decode()
