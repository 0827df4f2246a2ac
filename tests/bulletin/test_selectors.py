"""What other apps read of the board (bulletin.selectors): the newsletter's "latest posts" block asks
by kind, category, region and language, and links each post in its reader's language."""

import pytest

from bulletin import selectors
from bulletin.models import Post
from tests.factories import CategoryFactory, RegionFactory

pytestmark = pytest.mark.django_db


def titles(posts):
    return [post.title for post in posts]


@pytest.fixture
def board(make_post, mirabel, argenteuil):
    premises = CategoryFactory(slug="locaux", name="Locaux")
    make_post(title="Hidden", state=Post.State.HIDDEN)
    return {
        "offer": make_post(title="Offre Mirabel", regions=[mirabel]),
        "request": make_post(title="Demande Argenteuil", kind=Post.Kind.REQUEST, regions=[argenteuil]),
        "english": make_post(
            title="Offer in English", language="en", category=premises, regions=[mirabel, argenteuil]
        ),
    }


def test_published_posts_narrow_by_kind_category_region_and_language(board):
    assert set(titles(selectors.published_posts())) == {
        "Offre Mirabel",
        "Demande Argenteuil",
        "Offer in English",
    }
    assert titles(selectors.published_posts(kind="demande")) == ["Demande Argenteuil"]
    assert titles(selectors.published_posts(category="locaux")) == ["Offer in English"]
    assert set(titles(selectors.published_posts(region="mirabel"))) == {"Offre Mirabel", "Offer in English"}
    assert titles(selectors.published_posts(language="en")) == ["Offer in English"]
    assert titles(selectors.published_posts(kind="offre", region="argenteuil")) == ["Offer in English"]
    assert selectors.published_posts(region="nowhere") == []
    assert len(selectors.published_posts(limit=2)) == 2


def test_a_post_in_two_regions_is_listed_once_and_costs_no_query_per_post(board, django_assert_num_queries):
    RegionFactory(slug="mirabel")  # the region exists once; the post names two
    posts = selectors.published_posts(kind="offre")
    assert titles(posts).count("Offer in English") == 1
    with django_assert_num_queries(0):
        [(post.category.label, [region.label for region in post.regions.all()]) for post in posts]


def test_post_address_is_in_the_readers_language_and_absolute_for_an_email(board):
    post = board["offer"]
    assert selectors.post_address(post) == f"/babillard/{post.pk}-{post.slug}/"
    assert selectors.post_address(post, language="en") == f"/en/babillard/{post.pk}-{post.slug}/"
    assert selectors.post_address(post, language="en", absolute=True) == (
        f"http://testserver/en/babillard/{post.pk}-{post.slug}/"
    )
