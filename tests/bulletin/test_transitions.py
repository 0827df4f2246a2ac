"""The board's one table of allowed transitions: the services do exactly what it allows, the poster's
page and the editors' screens offer exactly that."""

import itertools

import pytest
from wagtail.models import ModelLogEntry

from bulletin import links, transitions
from bulletin.models import Post
from bulletin.transitions import TRANSITIONS, TransitionError
from bulletin.wagtail_hooks import LOG_ACTIONS as ADMIN_LOG_ACTIONS
from tests.bulletin.test_admin import LIST, edit_screen

pytestmark = pytest.mark.django_db
State = Post.State
ACTIONS = sorted(transitions.LOG_ACTIONS)


def test_the_table_names_every_state_and_leads_only_to_states():
    assert set(TRANSITIONS) == set(State)
    for actions in TRANSITIONS.values():
        assert set(actions) <= set(ACTIONS)
        assert set(actions.values()) <= set(State)


def test_every_audit_entry_of_a_move_has_its_label_in_the_admin_history():
    assert set(transitions.LOG_ACTIONS.values()) <= {action for action, _label, _message in ADMIN_LOG_ACTIONS}


@pytest.mark.parametrize("state, action", list(itertools.product(State, ACTIONS)))
def test_a_move_does_what_the_table_says_and_nothing_else(make_post, state, action):
    post = make_post(state=state)
    if action in TRANSITIONS[state]:
        transitions.move(post, action)
        assert post.state == TRANSITIONS[state][action]
        entry = ModelLogEntry.objects.get(object_id=str(post.pk))
        assert entry.action == transitions.LOG_ACTIONS[action]
    else:
        with pytest.raises(TransitionError):
            transitions.move(post, action)
        post.refresh_from_db()
        assert post.state == state and not ModelLogEntry.objects.filter(object_id=str(post.pk)).exists()


def test_an_unconfirmed_post_cannot_be_closed_and_its_page_says_why(client, make_post):
    post = make_post(state=State.UNCONFIRMED)
    path = links.manage_url(post).replace("http://testserver", "")
    assert "Fermer mon annonce" not in client.get(path).content.decode()

    response = client.post(path + "fermer/", {"outcome": "shared", "savings_money": "100"}, follow=True)
    html = response.content.decode()
    assert "ne peut plus être fermée" in html and "Son état : « Courriel à confirmer »" in html
    post.refresh_from_db()
    assert post.state == State.UNCONFIRMED and post.outcome == "" and post.savings_money is None
    assert not ModelLogEntry.objects.filter(object_id=str(post.pk), action="bulletin.post.closed").exists()


@pytest.mark.parametrize("state", list(State))
def test_the_edit_screen_offers_exactly_the_decisions_the_table_allows(client, admin_user, make_post, state):
    client.force_login(admin_user)
    post = make_post(state=state)
    html = edit_screen(client, post)
    assert (f'action="{LIST}approve/{post.pk}/"' in html) == ("approve" in TRANSITIONS[state]), state
    assert (f'action="{LIST}reject/{post.pk}/"' in html) == ("reject" in TRANSITIONS[state]), state


def test_a_bulk_decision_skips_the_posts_whose_state_refuses_it(client, admin_user, make_post):
    client.force_login(admin_user)
    pending, closed = make_post(state=State.PENDING), make_post(state=State.CLOSED)
    client.post(f"/admin/bulk/bulletin/post/approve/?next={LIST}&id={pending.pk}&id={closed.pk}")
    pending.refresh_from_db()
    closed.refresh_from_db()
    assert (pending.state, closed.state) == (State.PUBLISHED, State.CLOSED)
