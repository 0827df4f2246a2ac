"""The editors' screen for support requests: who may read it, who may act, filters, hostile input, and the
same number of queries whatever the number of requests."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.security.test_permissions import (  # noqa: F401 (the `login` fixture)
    assert_denied,
    body,
    each_group,
    login,
)
from website import accompaniment
from website.models import OutgoingEmail, SupportRequest
from website.permissions import PRIVACY, SUPPORT_REQUESTS

pytestmark = pytest.mark.django_db

Status = SupportRequest.Status
LIST = "/admin/accompagnement/"


@pytest.fixture
def support_request(demo_db):
    return factories.support_request()


@each_group(SUPPORT_REQUESTS, PRIVACY)
def test_reading_the_requests(login, group, allowed, support_request):  # noqa: F811
    client = login(group)
    listing = client.get(LIST)
    detail = client.get(f"{LIST}{support_request.pk}/")
    dashboard = client.get("/admin/")
    if allowed:
        assert listing.status_code == 200 and "Maison de la famille" in body(listing)
        html = body(detail)
        assert detail.status_code == 200 and "julie.suivi@example.org" in html
        assert "Partager un camion &lt;b&gt;réfrigéré&lt;/b&gt;" in html  # escaped
        assert LIST in body(dashboard)  # the menu item
        # Only the support team acts; the privacy officer reads.
        assert (f"{LIST}{support_request.pk}/statut/" in html) is (group == SUPPORT_REQUESTS)
    else:
        for response in (listing, detail):
            assert_denied(response)
            assert "julie.suivi@example.org" not in body(response)
        assert LIST not in body(dashboard)


@each_group(SUPPORT_REQUESTS)
def test_acting_on_a_request(login, group, allowed, support_request, django_user_model):  # noqa: F811
    client = login(group)
    colleague = django_user_model.objects.create_user("colleague", first_name="Luc", last_name="Gagnon")
    colleague.groups.add(Group.objects.get(name=SUPPORT_REQUESTS))
    url = f"{LIST}{support_request.pk}/"
    responses = [
        client.post(url + "statut/", {"status": Status.IN_PROGRESS}),
        client.post(url + "responsable/", {"editor": colleague.pk}),
        client.post(url + "notes/", {"text": "Rappeler jeudi"}),
    ]
    support_request.refresh_from_db()
    if allowed:
        assert all(r.status_code == 302 for r in responses)
        assert support_request.status == Status.IN_PROGRESS
        assert support_request.assigned_to == colleague
        assert [n.text for n in support_request.notes.all()] == ["Rappeler jeudi"]
        assert OutgoingEmail.objects.filter(to=["julie.suivi@example.org"]).count() == 1
        html = body(client.get(url))
        assert "Rappeler jeudi" in html and "Luc Gagnon" in html
    else:
        for response in responses:
            assert_denied(response)
        assert support_request.status == Status.NEW and support_request.assigned_to is None
        assert not support_request.notes.exists()
        assert not OutgoingEmail.objects.filter(to=["julie.suivi@example.org"]).exists()


def test_filters_by_status_mrc_and_editor(login, demo_db, django_user_model):  # noqa: F811
    client = login(SUPPORT_REQUESTS)
    me = django_user_model.objects.latest("pk")
    a = factories.support_request(organisation="Popote roulante")
    b = factories.support_request(region="argenteuil", organisation="Cuisine collective")
    accompaniment.change_status(b.pk, status=Status.IN_PROGRESS)
    accompaniment.assign(a.pk, editor=me)

    def shown(query):
        html = body(client.get(LIST + query))
        return {name for name in ("Popote roulante", "Cuisine collective") if name in html}

    assert shown("") == {"Popote roulante", "Cuisine collective"}
    assert shown("?statut=in_progress") == {"Cuisine collective"}
    assert shown("?mrc=mirabel") == {"Popote roulante"}
    assert shown(f"?responsable={me.pk}") == {"Popote roulante"}
    assert shown("?responsable=aucun") == {"Cuisine collective"}


@pytest.mark.parametrize(
    "query",
    [
        "?statut=%00",
        "?statut=inconnu&mrc=nulle-part",
        "?mrc=" + "x" * 5000,
        "?responsable=abc",
        "?responsable=99999999999999999999",
        "?responsable=-1&statut=new&statut=done",
        "?page=-3",
        "?page=%00",
    ],
)
def test_hostile_filters_never_fail(login, support_request, query):  # noqa: F811
    response = login(SUPPORT_REQUESTS).get(LIST + query)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "action, data",
    [
        ("statut/", {"status": "new"}),  # a status it may not go back to
        ("statut/", {"status": "x" * 500}),
        ("statut/", {}),
        ("responsable/", {"editor": "abc"}),
        ("responsable/", {"editor": "99999999999999999999"}),
        ("responsable/", {"editor": "\x00"}),
        ("notes/", {"text": ""}),
        ("notes/", {"text": "a\x00b"}),
        ("notes/", {"text": "x" * 4001}),
    ],
)
def test_hostile_input_is_refused_next_to_the_field_and_changes_nothing(login, support_request, action, data):  # noqa: F811
    client = login(SUPPORT_REQUESTS)
    response = client.post(f"{LIST}{support_request.pk}/{action}", data)
    assert response.status_code == 400
    assert "error-message" in body(response) or "w-field__errors" in body(response)
    support_request.refresh_from_db()
    assert support_request.status == Status.NEW and support_request.assigned_to is None
    assert not support_request.notes.exists()


def test_an_unknown_request_is_a_404(login, demo_db):  # noqa: F811
    assert login(SUPPORT_REQUESTS).get(f"{LIST}999999/").status_code == 404


def test_the_list_costs_the_same_queries_for_few_and_many_requests(login, demo_db, django_user_model):  # noqa: F811
    client = login(SUPPORT_REQUESTS)
    editor = django_user_model.objects.latest("pk")
    for _ in range(2):
        accompaniment.assign(factories.support_request().pk, editor=editor)
    client.get(LIST)  # warm the per-process caches

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    few = count()
    for _ in range(20):
        accompaniment.assign(factories.support_request(region="argenteuil").pk, editor=editor)
    assert count() == few
