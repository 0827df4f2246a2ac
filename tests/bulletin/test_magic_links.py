"""The poster's magic link: what the page offers is exactly what the services allow."""

import pytest

from bulletin import services
from bulletin.models import Post

pytestmark = pytest.mark.django_db


def manage_path(post):
    return services.manage_url(post).replace("http://testserver", "")


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
