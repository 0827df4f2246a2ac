"""`1` followed by 39 zeros (and other ids no table holds) in every multi-select and id field a visitor
sends: a field error (400), never an OverflowError, and nothing changed."""

import pytest

from newsletter.models import Topic
from tests.fuzz.conftest import changes, snapshot
from tests.fuzz.strategies import HUGE_ID
from tests.fuzz.test_forms import board_post_data
from website.models import Region, ResourceCategory

pytestmark = pytest.mark.django_db

IMPOSSIBLE = [HUGE_ID, "-" + HUGE_ID, str(2**63), "-1", "0", "1.0", "٣", "²", "1e3"]


def forms(site):
    topics = list(Topic.objects.values_list("pk", flat=True))
    edit = board_post_data()
    del edit["contact_email"]
    return {
        "board": ("/babillard/publier/", board_post_data(), ["regions", "category"]),
        "board-edit": (site.post_manage, edit, ["regions", "category"]),
        "alert": (
            "/babillard/alertes/",
            {
                "email": "a@example.org",
                "category": ResourceCategory.objects.first().pk,
                "region": Region.objects.first().pk,
                "consent": "on",
            },
            ["category", "region"],
        ),
        "signup": (
            "/infolettre/inscription/",
            {"email": "l@example.org", "language": "fr-ca", "topics": topics, "consent": "on"},
            ["topics"],
        ),
        "preferences": (site.preferences, {"language": "fr-ca", "topics": topics}, ["topics"]),
    }


def in_arabic_indic_digits(number):
    """An id that exists, written in digits Python's int() reads but no browser sends for it."""
    return str(number).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


@pytest.mark.parametrize("form", ["board", "board-edit", "alert", "signup", "preferences"])
def test_an_existing_id_in_other_digits_is_no_choice(client, site, form):
    path, valid, fields = forms(site)[form]
    for field in fields:
        good = valid[field]
        sent = (
            [in_arabic_indic_digits(pk) for pk in good]
            if isinstance(good, list)
            else in_arabic_indic_digits(good)
        )
        before = snapshot()
        response = client.post(path, {**valid, field: sent})
        assert response.status_code == 400 and f'id="error_1_id_{field}"' in response.content.decode(), field
        assert changes(before, snapshot()) == []


@pytest.mark.parametrize("form", ["board", "board-edit", "alert", "signup", "preferences"])
@pytest.mark.parametrize("value", IMPOSSIBLE)
def test_an_impossible_id_is_a_field_error_and_changes_nothing(client, site, form, value):
    path, valid, fields = forms(site)[form]
    for field in fields:
        good = valid[field]
        for sent in (value, [*good, value] if isinstance(good, list) else value):
            before = snapshot()
            response = client.post(path, {**valid, field: sent})
            assert response.status_code == 400, (field, sent)
            assert f'id="error_1_id_{field}"' in response.content.decode(), (field, sent)
            assert changes(before, snapshot()) == []
