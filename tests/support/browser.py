"""One Chromium browser context per test process, emptied after each test, instead of a new one per test.

pytest-playwright opens a context for every test and closes it after. On this project's two-core
machine that costs about 0.75 s of CPU per test (a context with its first page and first page load),
against 0.33 s for a new page in a context kept open and emptied: cookies, permissions, the HTTP cache
and every origin's storage (local storage, IndexedDB, cache storage, service workers) cleared. What a
test sets on its page (viewport, routes, init scripts, listeners, timeouts) goes with the page, which
is closed after each test like every other page the test opened in it.

With a recording option (--tracing, --video, --screenshot), each test has its own context as
pytest-playwright builds it, so that its recorder sees everything."""

from urllib.parse import urlsplit

RECORDINGS = ("--tracing", "--video", "--screenshot")


def records_artifacts(config):
    return any(config.getoption(option, default="off") not in (None, "off") for option in RECORDINGS)


class SharedContext:
    def __init__(self, browser, **context_args):
        self.context = browser.new_context(**context_args)
        self.origins = set()
        self.context.on("page", self._watch)
        # A blank page that stays open carries the DevTools session that clears storage between tests.
        self.keeper = self.context.new_page()
        self.devtools = self.context.new_cdp_session(self.keeper)

    def _watch(self, page):
        page.on("framenavigated", self._visited)

    def _visited(self, frame):
        parts = urlsplit(frame.url)
        if parts.scheme in ("http", "https"):
            self.origins.add(f"{parts.scheme}://{parts.netloc}")

    def empty(self):
        """As a new context would be: no page but the keeper, no cookie, no permission, nothing cached
        or stored for any origin a page visited."""
        for page in self.context.pages:
            if page is not self.keeper:
                page.close()
        self.context.clear_cookies()
        self.context.clear_permissions()
        for origin in sorted(self.origins):
            self.devtools.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        self.origins.clear()
        self.devtools.send("Network.clearBrowserCache")

    def close(self):
        self.context.close()
