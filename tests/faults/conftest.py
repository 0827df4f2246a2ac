import re

import pytest
import requests

from tests.support.services import RedisServer


@pytest.fixture(scope="module")
def private_redis():
    """A redis-server of this module's own; tests stop and start it."""
    server = RedisServer().start()
    yield server
    server.stop()


class Browser:
    """A visitor: a cookie jar, pages fetched, forms posted with their CSRF token."""

    def __init__(self, base):
        self.base = base
        self.session = requests.Session()
        self.responses = []

    def get(self, path):
        response = self.session.get(self.base + path, allow_redirects=False, timeout=30)
        self.responses.append(("GET", path, response.status_code))
        return response

    def submit(self, path, data, form_page=None, files=None):
        """GET the page holding the form (`form_page`, else `path`), then POST `data` to `path`."""
        page = self.get(form_page or path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert found, f"no form at {form_page or path}: {page.status_code}"
        token = found.group(1)
        response = self.session.post(
            self.base + path,
            data={**data, "csrfmiddlewaretoken": token},
            files=files,
            allow_redirects=False,
            timeout=30,
            headers={"Referer": self.base + (form_page or path)},
        )
        self.responses.append(("POST", path, response.status_code))
        return response

    def errors(self):
        return [r for r in self.responses if r[2] >= 500]
