"""Ids in addresses that no table can hold, and slugs no page has: 404 (or 405), never a 5xx."""

import pytest

from tests.fuzz.strategies import HUGE_ID

pytestmark = pytest.mark.django_db

IDS = [HUGE_ID, str(2**63), str(2**63 - 1), "0", "0" * 30]
PATHS = [
    "/babillard/{id}-x/",
    "/en/babillard/{id}-x/",
    "/babillard/{id}/contact/",
    "/babillard/{id}/signaler/",
    "/evenements/{id}/calendrier.ics",
    "/evenements/%E2%80%AE{id}/",
    "/infolettre/archives/{id}/",
    "/admin/snippets/bulletin/post/edit/{id}/",
]


@pytest.mark.parametrize("address", PATHS)
@pytest.mark.parametrize("value", IDS)
def test_an_impossible_id_in_an_address_is_not_found(client, site, address, value):
    for method in ("get", "post"):
        response = getattr(client, method)(address.format(id=value), {"body": "x"})
        assert response.status_code in (301, 302, 404, 405, 410), (method, address, response.status_code)
