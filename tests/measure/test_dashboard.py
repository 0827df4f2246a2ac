"""The "Mesure" dashboard in the admin (/admin/mesure/): who sees it, the seeded network's known answers
on the page, filters, bad query strings, the CSV and XLSX exports, the home panel, constant queries."""

import csv
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.http import urlencode

from tests.measure import seed
from website.permissions import CONTENT, ensure_groups

pytestmark = pytest.mark.django_db
URL = "/admin/mesure/"


@pytest.fixture(scope="module")
def _network_for_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed.network()
        ensure_groups()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def network(_network_for_module, db):
    """Each test runs in a savepoint of the module's transaction."""


@pytest.fixture
def editor(client, network, django_user_model):
    user = django_user_model.objects.create_user("coordination", password="x")
    user.groups.set(Group.objects.filter(name=CONTENT))
    client.force_login(user)
    return client


@pytest.fixture
def outsider(client, network, django_user_model):
    """May open the admin, and nothing else."""
    user = django_user_model.objects.create_user("curieuse", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    return client


def query(**filters):
    scope = seed.scope(**filters)
    values = {"first_day": scope.first_day.isoformat(), "last_day": scope.last_day.isoformat(), **filters}
    return "?" + urlencode(values)


def headline(html, label):
    found = re.search(r'<span class="measure-value">([^<]*)</span> ' + re.escape(label) + "<", html)
    assert found, label
    return found.group(1)


def test_a_user_without_the_permission_sees_no_menu_item_no_panel_and_is_refused(outsider):
    home = outsider.get("/admin/").content.decode()
    assert URL not in home and "Mesure : les douze derniers mois" not in home
    for path in (URL, URL + "export/csv/", URL + "export/xlsx/", URL + "export/csv/posts_by_kind/"):
        response = outsider.get(path + query())
        assert response.status_code == 403 or (
            response.status_code == 302 and response["Location"] == "/admin/"
        ), path


def test_the_content_group_sees_the_menu_item_and_the_home_panel(editor):
    home = editor.get("/admin/").content.decode()
    assert f'"{URL}"' in home  # the menu item's address in the sidebar's data
    assert "Mesure : les douze derniers mois" in home
    assert "Annonces publiées" in home and "Ouvrir le tableau de bord Mesure" in home


def test_the_page_shows_the_seeded_known_answers_with_charts_and_the_formula(editor):
    html = editor.get(URL + query()).content.decode()
    assert headline(html, "Annonces publiées") == "5"
    assert headline(html, "Messages relayés") == "3"
    assert headline(html, "Économies déclarées") == "1\u202f234,50\u00a0$"
    assert headline(html, "Inscriptions") == "6"
    assert headline(html, "Taux de présence") == "80\u00a0%"
    assert headline(html, "Organismes qui ont pris part") == "5"
    assert html.count('<svg class="measure-chart" role="img"') >= 6
    assert '<th scope="row">Transport</th><td class="measure-number">4</td>' in html
    assert "Économie d&#x27;un organisme = coût total de la formation − sa quote-part" in html
    assert "style=" not in html.split("<main", 1)[-1].split("</main>")[0]


def test_no_query_string_means_the_last_twelve_months(editor):
    response = editor.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.is_valid() and form.cleaned_data["first_day"].day == 1
    assert 'name="first_day"' in response.content.decode()


def test_filters_change_the_figures(editor):
    assert headline(editor.get(URL + query(region="argenteuil")).content.decode(), "Annonces publiées") == "2"
    assert headline(editor.get(URL + query(category="locaux")).content.decode(), "Annonces publiées") == "1"
    cooperatives = editor.get(URL + query(organisation_kind="cooperative")).content.decode()
    assert headline(cooperatives, "Annonces publiées") == "2"
    assert headline(cooperatives, "Organismes qui ont pris part") == "1"


@pytest.mark.parametrize(
    "bad, field",
    [
        ("first_day=2026-13-45&region=<script>", "first_day"),
        ("first_day=2026-13-45&region=<script>", "region"),
        ("first_day=2026-05-01&last_day=2026-04-01", "last_day"),
        ("first_day=1900-01-01&last_day=2026-04-01", "first_day"),
        ("first_day=2000-01-01&last_day=2026-04-01", "last_day"),
        ("category=nope&organisation_kind=x" + "y" * 5000, "category"),
        ("organisation_kind=%00", "organisation_kind"),
        ("last_day=9999-12-31", "last_day"),
    ],
)
def test_bad_query_strings_give_errors_next_to_the_fields_not_a_500(editor, bad, field):
    response = editor.get(URL + "?" + bad)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert "<script>" not in html.split("<main", 1)[-1]
    assert "measure-chart" not in html
    export = editor.get(URL + "export/xlsx/?" + bad)
    assert export.status_code == 302 and export["Location"].startswith(URL + "?")


def test_an_unknown_table_or_format_is_a_404(editor):
    assert editor.get(URL + "export/csv/nope/" + query()).status_code == 404
    assert editor.get(URL + "export/pdf/" + query()).status_code == 404


def test_a_table_exports_as_csv_with_the_same_scope(editor):
    response = editor.get(URL + "export/csv/posts_by_region/" + query())
    assert response["Content-Type"].startswith("text/csv")
    assert "mesure-posts_by_region-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["MRC", "Annonces"], ["Mirabel", "4"], ["Argenteuil", "2"]]
    narrowed = editor.get(URL + "export/csv/posts_by_region/" + query(category="locaux"))
    assert len(list(csv.reader(io.StringIO(narrowed.content.decode("utf-8-sig"))))) < len(rows) + 1


def test_the_whole_dashboard_exports_as_xlsx_read_back(editor):
    response = editor.get(URL + "export/xlsx/" + query(region="mirabel"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Portée de l'export"
    assert {"Babillard", "Événements", "Infolettre", "Portée"} <= set(book.sheetnames)
    scope = {row[0]: row[1] for row in book["Portée de l'export"].iter_rows(values_only=True)}
    assert scope["MRC"] == "Mirabel"
    board = {row[0]: row[1] for row in book["Babillard"].iter_rows(values_only=True) if row[0]}
    assert board["Annonces publiées"] == 4
    events = {row[0]: row[1] for row in book["Événements"].iter_rows(values_only=True) if row[0]}
    assert isinstance(events["Inscriptions"], int)


def test_the_whole_dashboard_exports_as_csv(editor):
    response = editor.get(URL + "export/csv/" + query())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    values = {row[0]: row[1] for row in rows if len(row) == 2}
    assert values["Annonces publiées"] == "5" and values["Économies déclarées"] == "1234.50"
    assert ["Babillard"] in rows and ["Annonces par MRC"] in rows


def test_a_label_that_looks_like_a_formula_is_text_in_the_exports(editor):
    from website.models import ResourceCategory

    ResourceCategory.objects.filter(slug="locaux").update(name='=HYPERLINK("http://evil.example","x")')
    rows = editor.get(URL + "export/csv/posts_by_category/" + query()).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in rows
    book = openpyxl.load_workbook(
        io.BytesIO(editor.get(URL + "export/xlsx/posts_by_category/" + query()).content)
    )
    cells = [row[0] for row in book.active.iter_rows(values_only=True)]
    assert any(str(c).startswith("'=HYPERLINK") for c in cells)


def page_queries(client):
    client.get(URL + query())  # caches filled by a first request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL + query()).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_a_small_or_a_large_network(editor):
    few = page_queries(editor)
    seed.more(3)
    assert page_queries(editor) == few
    seed.more(20)
    assert page_queries(editor) == few
