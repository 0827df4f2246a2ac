"""Hostile input on every babillard form: impossible ids, huge numbers, long text. A message next to
the field, never a 500, nothing changed. (Generated data on the same forms, checked for "no 5xx, and a
refusal changes nothing": tests/fuzz/test_forms.py.)"""

import pytest
from django import forms

from bulletin import links
from bulletin.forms import AlertForm, ClosePostForm, ContactForm, PostEditForm, PostForm, ReportForm
from bulletin.models import AlertSubscription, Post
from tests.bulletin.test_magic_links import edit_data
from tests.bulletin.test_public import submission
from tests.factories import CategoryFactory
from tests.fuzz.strategies import HUGE_ID
from website.forms import HONEYPOT_FIELD

pytestmark = pytest.mark.django_db


def manage_path(post):
    return links.manage_url(post).replace("http://testserver", "")


@pytest.mark.parametrize("field", ["regions", "category"])
def test_an_impossible_id_on_the_board_form_is_a_field_error(client, transport, mirabel, field):
    response = client.post("/babillard/publier/", submission(transport, mirabel, **{field: HUGE_ID}))
    assert response.status_code == 400
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert not Post.objects.exists()


@pytest.mark.parametrize("field", ["regions", "category"])
def test_an_impossible_id_on_the_magic_link_edit_is_a_field_error(client, make_post, field):
    post = make_post(title="Titre d'origine")
    response = client.post(manage_path(post), edit_data(post, title="Changé", **{field: HUGE_ID}))
    assert response.status_code == 400
    assert f'id="error_1_id_{field}"' in response.content.decode()
    post.refresh_from_db()
    assert post.title == "Titre d'origine" and post.state == Post.State.PUBLISHED


@pytest.mark.parametrize("field", ["category", "region"])
def test_an_impossible_id_on_the_alert_form_is_a_field_error(client, db, field):
    data = {
        "email": "a@example.org",
        "kind": "",
        "category": "",
        "region": "",
        "consent": "on",
        field: HUGE_ID,
    }
    response = client.post("/babillard/alertes/", data)
    assert response.status_code == 400 and f'id="error_1_id_{field}"' in response.content.decode()
    assert not AlertSubscription.objects.exists()


@pytest.mark.parametrize(
    "field, value, category",
    [
        ("premises_capacity", "9" * 30, "locaux"),
        ("training_seats", "-1", "formation"),
        ("staff_hours_per_week", "1e400", "ressources-humaines"),
        ("training_cost", "9" * 20, "formation"),
    ],
)
def test_huge_numbers_on_the_board_form_are_field_errors(client, mirabel, field, value, category):
    category = CategoryFactory(slug=category, name=category)
    response = client.post("/babillard/publier/", submission(category, mirabel, **{field: value}))
    assert response.status_code == 400 and f'id="error_1_id_{field}"' in response.content.decode()
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("savings_hours", "9" * 12),
        ("savings_km", "99999999999"),
        ("savings_money", "9" * 20),
        ("partner_organisation", "x" * 201),
        ("partner_organisation", "<<img src=x onerror=alert(1)//<"),
    ],
)
def test_the_close_form_refuses_what_does_not_fit(client, make_post, field, value):
    post = make_post()
    response = client.post(manage_path(post) + "fermer/", {"outcome": "shared", field: value})
    assert response.status_code == 400 and f'id="error_1_id_{field}"' in response.content.decode()
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED


VISITOR_FORMS = [PostForm, PostEditForm, ContactForm, ReportForm, AlertForm, ClosePostForm]


@pytest.mark.parametrize("form_class", VISITOR_FORMS, ids=lambda f: f.__name__)
def test_every_visitor_text_field_has_a_sensible_limit_shown_to_browsers(form_class):
    form = form_class()
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField) and name != HONEYPOT_FIELD:  # the honeypot refuses any text
            assert field.max_length and field.max_length <= 5000, name
            if not field.widget.is_hidden:
                assert int(field.widget.attrs["maxlength"]) == field.max_length, name


def test_text_longer_than_its_field_is_refused_next_to_it(client, transport, mirabel):
    response = client.post("/babillard/publier/", submission(transport, mirabel, title="x" * 121))
    assert response.status_code == 400 and 'id="error_1_id_title"' in response.content.decode()
    assert not Post.objects.exists()
