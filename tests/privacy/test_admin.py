"""The privacy officer's screen: find by address, download JSON, erase with confirmation, lift a block.
Only with `website.manage_personal_data`; audited without the address in clear."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import ModelLogEntry

from tests.privacy.conftest import EMAIL, NEEDLES
from website import privacy
from website.models import PersonalDataRequest

pytestmark = pytest.mark.django_db

INDEX = "/admin/vie-privee/"


def staff(username, *codenames):
    group = Group.objects.create(name=f"groupe {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(Permission.objects.get(codename=codename))
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(group)
    return user


@pytest.fixture
def officer(client):
    client.force_login(staff("officer", "manage_personal_data"))
    return client


@pytest.fixture
def editor(client):
    client.force_login(staff("editor", "change_post", "view_subscriber", "add_subscriber"))
    return client


def test_only_the_permission_opens_the_screen_and_shows_its_menu_item(footprint, editor, client):
    for url in (INDEX, INDEX + "export/", INDEX + "effacer/", INDEX + "lever/"):
        data = {"email": EMAIL, "confirmation": EMAIL}
        response = editor.post(url, data)
        # Wagtail turns the refusal into a redirect to the dashboard with an error message.
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    assert editor.get(INDEX).status_code == 302
    assert not PersonalDataRequest.objects.exists() and privacy.leftovers(EMAIL)
    assert "/admin/vie-privee/" not in editor.get("/admin/").content.decode()
    client.force_login(staff("officer", "manage_personal_data"))
    assert client.get(INDEX).status_code == 200
    assert "/admin/vie-privee/" in client.get("/admin/").content.decode()


def test_the_permission_can_be_given_to_a_group_in_the_admin(demo, client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    html = client.get("/admin/groups/new/").content.decode()
    permission = Permission.objects.get(codename="manage_personal_data")
    assert f'value="{permission.pk}"' in html


def test_the_officer_finds_downloads_and_erases_by_address(footprint, officer):
    page = officer.post(INDEX, {"email": EMAIL.upper()}).content.decode()
    for label in ("Babillard", "Événements", "Infolettre", "Annonces", "Inscriptions", "Abonnement"):
        assert label in page
    assert "Fourgonnette à partager" in page

    download = officer.post(INDEX + "export/", {"email": EMAIL})
    assert download["Content-Type"].startswith("application/json")
    assert set(json.loads(download.content)["data"]) == {
        "bulletin",
        "events",
        "newsletter",
        "organisations",
        "website",
    }

    confirm = officer.post(INDEX + "effacer/", {"email": EMAIL}).content.decode()
    assert "Retapez l" in confirm and "Effacer définitivement" in confirm
    wrong = officer.post(INDEX + "effacer/", {"email": EMAIL, "confirmation": "autre@example.org"})
    assert "Ce n&#x27;est pas la même adresse." in wrong.content.decode()
    assert privacy.leftovers(EMAIL)  # nothing erased yet

    done = officer.post(INDEX + "effacer/", {"email": EMAIL, "confirmation": EMAIL.lower()})
    html = done.content.decode()
    assert "Renseignements effacés" in html and "Aucune table ne contient plus cette adresse." in html
    assert privacy.leftovers(*NEEDLES) == []


def test_every_action_is_in_the_register_and_the_log_without_the_address(footprint, officer):
    officer.post(INDEX, {"email": EMAIL})
    officer.post(INDEX + "export/", {"email": EMAIL})
    officer.post(INDEX + "effacer/", {"email": EMAIL, "confirmation": EMAIL})
    officer.post(INDEX + "lever/", {"email": EMAIL})
    requests = PersonalDataRequest.objects.order_by("pk")
    assert [r.kind for r in requests] == ["search", "export", "erasure", "lift"]
    assert {r.user.username for r in requests} == {"officer"}
    assert {r.digest for r in requests} == {privacy.address_digest(EMAIL)}
    actions = set(
        ModelLogEntry.objects.filter(action__startswith="website.personal_data.").values_list(
            "action", flat=True
        )
    )
    assert actions == {f"website.personal_data.{kind}" for kind in ("search", "export", "erasure", "lift")}
    assert privacy.leftovers(EMAIL) == []  # the register and the log hold only the hash
    register = officer.get(INDEX).content.decode()
    assert "Effacement" in register and privacy.address_digest(EMAIL)[:12] in register


def test_a_suppressed_address_is_shown_as_such_and_can_be_unblocked(demo, officer):
    privacy.erase(EMAIL)
    page = officer.post(INDEX, {"email": EMAIL}).content.decode()
    assert "Lever le blocage" in page
    response = officer.post(INDEX + "lever/", {"email": EMAIL}, follow=True)
    assert "plus bloquée" in response.content.decode()
    assert not privacy.is_suppressed(EMAIL)


def test_bad_addresses_get_a_message_not_an_error(demo, officer):
    response = officer.post(INDEX, {"email": "pas une adresse"})
    assert (
        response.status_code == 200
        and "Saisissez une adresse de courriel valide." in response.content.decode()
    )
    assert officer.post(INDEX + "export/", {"email": "x"}).status_code == 302
    assert officer.post(INDEX + "effacer/", {"email": "x"}).status_code == 302
    assert not PersonalDataRequest.objects.exists()
