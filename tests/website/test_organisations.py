"""The organisation registry: matching typed names, linking, merging, verifying, the admin screens."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.models import ModelLogEntry, ReferenceIndex
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from website import organisations
from website.models import Organisation, OrganisationAlias, Region
from website.models.organisation_fields import OrganisationNameInput
from website.organisation_names import normalise
from website.permissions import CONTENT, ensure_groups

# --- Matching ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, same_as",
    [
        ("Centre d'action bénévole inc.", "CENTRE D ACTION BENEVOLE"),
        ("Popote roulante, OBNL", "popote roulante"),
        ("Popote roulante O.B.N.L.", "Popote Roulante"),
        ("Garage Tremblay enr.", "garage tremblay"),
        ("Transport Nord ltée", "Transport-Nord"),
        ("Boulangerie du Village coop", "Boulangerie du village"),
        ("Œuvre des Pères", "oeuvre des peres"),
        ("  Friperie   solidaire ", "Friperie solidaire!"),
    ],
)
def test_names_match_whatever_case_accents_punctuation_and_legal_suffix(typed, same_as):
    assert normalise(typed) == normalise(same_as) != ""


def test_names_that_differ_do_not_match():
    assert normalise("Coop de solidarité du Nord") != normalise("Solidarité du Nord")
    assert normalise("Popote roulante de Mirabel") != normalise("Popote roulante")
    # A suffix is dropped at the end only, and a name that is only a legal form keeps it.
    assert normalise("Coop de solidarité") == "coop de solidarite"
    assert normalise("Inc.") == "inc"
    assert normalise(" .,;- ") == ""


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_the_key_of_a_key_is_itself(name):
    key = normalise(name)
    assert normalise(key) == key
    assert key == key.strip() and "  " not in key


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.characters(categories=["Ll", "Lu", "Nd"]), min_size=1, max_size=20),
    st.sampled_from(["", " inc.", " INC", ", OBNL", " enr.", " Ltée", " coop", " (O.B.N.L.)"]),
    st.sampled_from([str.upper, str.lower, str.title, lambda s: s]),
)
def test_case_and_suffix_never_change_the_key(name, suffix, case):
    base = f"Centre {name}"
    assert normalise(case(base) + suffix) == normalise(base)


# --- Finding or creating --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_known_name_or_alias_links_and_a_new_name_creates_an_unverified_organisation():
    known = Organisation.objects.create(name="Centre d'action bénévole du Nord", verified=True)
    OrganisationAlias.objects.create(organisation=known, name="CAB Nord")
    assert Organisation.objects.for_name("CENTRE D'ACTION BENEVOLE DU NORD INC.") == known
    assert Organisation.objects.for_name("cab-nord") == known
    new = Organisation.objects.for_name("  Popote   roulante ")
    assert new != known and new.name == "Popote roulante" and not new.verified and not new.public_profile
    assert Organisation.objects.for_name("popote roulante OBNL") == new
    assert Organisation.objects.for_name("  ") is None
    assert Organisation.objects.count() == 2


@pytest.mark.django_db
def test_a_typed_name_creates_its_organisation_in_a_few_queries_with_every_derived_field(
    django_assert_max_num_queries,
):
    """No reference-index pass (a name refers to nothing: 5 queries) on every registration or post that
    names a new organisation; the fields save() derives are all there."""
    Organisation.objects.create(name="Cuisine collective")
    with django_assert_max_num_queries(6):
        new = Organisation.objects.for_name("  Cuisine   collective du Sud-Ouest ")
    new.refresh_from_db()
    assert (new.name, new.slug) == ("Cuisine collective du Sud-Ouest", "cuisine-collective-du-sud-ouest")
    assert new.key == normalise("cuisine collective du sud ouest") and new.created_at and new.updated_at
    assert not new.verified and not new.public_profile and Organisation.objects.for_name(new.name) == new
    assert not ReferenceIndex.objects.filter(object_id=str(new.pk)).exists()


@pytest.mark.django_db
def test_matching_a_typed_name_reads_two_indexes_not_every_organisation():
    """Every registration and post runs it: its cost must not grow with the organisations typed so far."""
    if connection.vendor != "postgresql":
        pytest.skip("the plan read is PostgreSQL's")
    Organisation.objects.bulk_create(
        [
            Organisation(name=f"Organisme {i}", key=f"organisme {i}", slug=f"organisme-{i}")
            for i in range(3000)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE website_organisation")
        cursor.execute("ANALYZE website_organisationalias")
    plan = Organisation.objects.matching("Organisme 1234").explain()
    assert not re.search(r"Seq Scan on website_organisation(?!alias)", plan), plan
    assert [o.name for o in Organisation.objects.matching("ORGANISME 1234")] == ["Organisme 1234"]


@pytest.mark.django_db
def test_slugs_are_unique_and_readable():
    first = Organisation.objects.create(name="Maison de la famille")
    second = Organisation.objects.create(name="Maison de la famille!")
    assert (first.slug, second.slug) == ("maison-de-la-famille", "maison-de-la-famille-2")


@pytest.mark.django_db
def test_forms_offer_only_verified_organisations_that_consented():
    Organisation.objects.create(name="Visible", verified=True, public_profile=True)
    Organisation.objects.create(name="Sans consentement", verified=True)
    Organisation.objects.create(name="Non vérifié", public_profile=True)
    html = OrganisationNameInput().render("organisation", "", {"id": "id_organisation"})
    assert 'list="id_organisation-suggestions"' in html and 'autocomplete="organization"' in html
    assert '<datalist id="id_organisation-suggestions"><option value="Visible"></option></datalist>' in html


# --- Merging ------------------------------------------------------------------------------------------


@pytest.fixture
def pair(db):
    kept = Organisation.objects.create(name="Comptoir alimentaire du Nord", verified=True)
    merged = Organisation.objects.create(
        name="Comptoir alimentaire Nord", website="https://comptoir.example.org", phone="819 555-0101"
    )
    OrganisationAlias.objects.create(organisation=merged, name="CAN")
    region = Region.objects.create(name="Antoine-Labelle", slug="antoine-labelle")
    merged.regions.add(region)
    merged.save()  # parental many-to-many: saved with the organisation
    return kept, merged


def test_a_merge_keeps_the_names_regions_and_missing_details_and_writes_the_log(pair, admin_user):
    kept, merged = pair
    organisations.merge(kept, merged, user=admin_user)
    kept.refresh_from_db()
    assert not Organisation.objects.filter(pk=merged.pk).exists()
    assert sorted(a.name for a in kept.aliases.all()) == ["CAN", "Comptoir alimentaire Nord"]
    assert [r.slug for r in kept.regions.all()] == ["antoine-labelle"]
    assert (kept.website, kept.phone, kept.verified) == ("https://comptoir.example.org", "819 555-0101", True)
    entry = ModelLogEntry.objects.get(action="website.organisation.merge")
    assert entry.object_id == str(kept.pk) and entry.user == admin_user
    assert entry.data["merged"] == "Comptoir alimentaire Nord"
    # The merged name now finds the kept organisation.
    assert Organisation.objects.for_name("Comptoir alimentaire Nord inc.") == kept


def test_an_organisation_is_not_merged_into_itself(pair):
    with pytest.raises(ValueError):
        organisations.merge(pair[0], pair[0])


def test_verify_marks_and_logs(db, admin_user):
    organisation = Organisation.objects.create(name="Friperie")
    organisations.verify(organisation, user=admin_user)
    organisation.refresh_from_db()
    assert organisation.verified and organisation.verified_at
    assert ModelLogEntry.objects.filter(action="website.organisation.verify", object_id=str(organisation.pk))


# --- Admin ------------------------------------------------------------------------------------------


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def test_the_list_filters_by_type_region_and_verified(client, editor, pair):
    kept, merged = pair
    kept.kind = Organisation.Kind.COOPERATIVE
    kept.save()
    base = "/admin/snippets/website/organisation/"
    assert client.get(base).status_code == 200
    html = client.get(base + "?kind=cooperative").content.decode()
    assert "Comptoir alimentaire du Nord" in html and "Comptoir alimentaire Nord<" not in html
    html = client.get(base + "?verified=false").content.decode()
    assert "Comptoir alimentaire Nord" in html and "Comptoir alimentaire du Nord" not in html
    region = merged.regions.get()
    html = client.get(base + f"?regions={region.pk}").content.decode()
    assert "Comptoir alimentaire Nord" in html and "Comptoir alimentaire du Nord" not in html


def test_export_csv_escapes_formulas(client, editor, db):
    Organisation.objects.create(name='=HYPERLINK("http://evil.example")', kind=Organisation.Kind.PUBLIC)
    response = client.get("/admin/snippets/website/organisation/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][1].startswith("'=HYPERLINK") and rows[1][3] == "Organisme public ou municipal"
    assert client.get("/admin/snippets/website/organisation/?export=xlsx").status_code == 200


def test_merge_and_verify_screens(client, editor, pair):
    kept, merged = pair
    page = client.get(f"/admin/snippets/website/organisation/merge/{kept.pk}/").content.decode()
    assert "Comptoir alimentaire Nord" in page  # offered as a probable duplicate
    response = client.post(f"/admin/snippets/website/organisation/merge/{kept.pk}/", {"merged": merged.pk})
    assert response.status_code == 302 and not Organisation.objects.filter(pk=merged.pk).exists()
    other = Organisation.objects.create(name="Autre")
    assert client.get(f"/admin/snippets/website/organisation/verify/{other.pk}/").status_code == 200
    client.post(f"/admin/snippets/website/organisation/verify/{other.pk}/")
    other.refresh_from_db()
    assert other.verified


def test_merging_needs_the_right_to_delete(client, pair, django_user_model):
    ensure_groups()
    user = django_user_model.objects.create_user("contenu", password="x")
    user.groups.add(Group.objects.get(name=CONTENT))
    client.force_login(user)
    kept, merged = pair
    url = f"/admin/snippets/website/organisation/merge/{kept.pk}/"
    assert client.get(url).status_code == 200  # Contenu may merge
    stranger = django_user_model.objects.create_user("autre", password="x")
    stranger.user_permissions.add(
        *Group.objects.get(name=CONTENT).permissions.filter(codename="access_admin")
    )
    client.force_login(stranger)
    assert client.post(url, {"merged": merged.pk}).status_code in (302, 403)
    assert Organisation.objects.filter(pk=merged.pk).exists()


def test_the_list_searches_names_and_aliases(client, editor, pair):
    html = client.get("/admin/snippets/website/organisation/?q=CAN").content.decode()
    assert "Comptoir alimentaire Nord" in html and "Comptoir alimentaire du Nord" not in html


def test_an_editor_adds_an_organisation_with_other_names(client, editor, db):
    data = nested_form_data(
        {
            "name": "Centre d'action bénévole du Nord",
            "short_name": "CAB Nord",
            "kind": "obnl",
            "postal_address": "",
            "website": "",
            "email": "",
            "phone": "",
            "description": "",
            "public_profile": "on",
            "aliases": inline_formset([{"name": "C.A.B. du Nord"}]),
        }
    )
    response = client.post("/admin/snippets/website/organisation/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get()
    assert organisation.slug == "centre-daction-benevole-du-nord" and organisation.public_profile_since
    assert Organisation.objects.for_name("CAB du Nord inc.") == organisation
