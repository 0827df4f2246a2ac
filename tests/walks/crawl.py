"""A small crawler for the walks: follows every internal link of the live demo site, bounded."""

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
from bs4 import BeautifulSoup

# Not pages a visitor reads: the admin, uploaded files, Django's language switch (POST only), logout.
SKIPPED_PREFIXES = ("/admin/", "/media/", "/static/", "/i18n/", "/documents/", "/anymail/")
SKIPPED_WORDS = ("logout", "deconnexion")


@dataclass
class Link:
    source: str  # path of the page holding the link
    target: str  # path (and query) it points to
    text: str
    hreflang: str = ""


@dataclass
class Page:
    path: str
    status: int
    content_type: str = ""
    html_lang: str = ""
    text: str = ""
    links: list = field(default_factory=list)
    redirected_to: str = ""
    chrome: dict = field(default_factory=dict)  # interface labels: skip link, menu, footer


@dataclass
class Crawl:
    start: str
    pages: dict = field(default_factory=dict)  # path -> Page (every internal address fetched)
    links: list = field(default_factory=list)  # every internal link seen on a parsed page
    parsed: int = 0
    bounded: bool = False

    def summary(self):
        return (
            f"crawl from {self.start}: {self.parsed} pages read, {len(self.pages)} addresses fetched, "
            f"{len(self.links)} internal links checked" + (" (stopped at the bound)" if self.bounded else "")
        )


def is_html(content_type):
    return content_type.split(";")[0].strip() in ("text/html", "application/xhtml+xml")


def internal_path(base_url, href, hosts):
    """The path?query of an internal link, or None for external links, mail, phone and fragments."""
    href = (href or "").strip()
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:", "#")):
        return None
    absolute, _fragment = urldefrag(urljoin(base_url, href))
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.hostname not in hosts:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def skipped(path):
    return path.startswith(SKIPPED_PREFIXES) or any(word in path for word in SKIPPED_WORDS)


def words(element):
    return " ".join(element.get_text(" ").split()) if element else ""


def interface_labels(soup):
    """The labels of the site's own interface on a page: skip link, menu, footer."""
    header, footer = soup.find("header"), soup.find("footer")
    nav = header.find("nav") if header else None
    brand = header.select_one(".navbar-brand") if header else None
    return {
        "skip": words(soup.select_one("a.skip-link")),
        "nav": nav.get("aria-label", "") if nav else "",
        "brand": words(brand),
        "menu": [
            words(a)
            for a in (header.find_all("a") if header else [])
            if a is not brand and not a.get("hreflang")
        ],
        "footer": [
            words(a)
            for a in (footer.find_all("a") if footer else [])
            if a.get("href", "").startswith(("/", "http"))
        ]
        if footer
        else [],
    }


def crawl(server_url, start, *, follow=lambda path: True, limit=400, session=None):
    """Breadth-first from `start`. Every internal link is fetched (its status checked); pages for which
    `follow(path)` holds are parsed and their links queued, at most `limit` of them."""
    session = session or requests.Session()
    hosts = {urlsplit(server_url).hostname, "testserver", "localhost", "127.0.0.1"}
    result = Crawl(start=start)
    queue = deque([start])
    seen = {start}
    while queue:
        path = queue.popleft()
        response = session.get(server_url + path, allow_redirects=False, timeout=30)
        page = Page(
            path=path, status=response.status_code, content_type=response.headers.get("Content-Type", "")
        )
        if response.is_redirect:
            page.redirected_to = internal_path(server_url + path, response.headers["Location"], hosts) or ""
        result.pages[path] = page
        targets = [page.redirected_to] if page.redirected_to else []
        if response.status_code == 200 and is_html(page.content_type) and follow(path):
            if result.parsed >= limit:
                result.bounded = True
                continue
            result.parsed += 1
            soup = BeautifulSoup(response.text, "html.parser")
            page.html_lang = (soup.html or {}).get("lang", "") if soup.html else ""
            page.chrome = interface_labels(soup)
            for anchor in soup.find_all("a", href=True):
                target = internal_path(server_url + path, anchor["href"], hosts)
                if target is None:
                    continue
                link = Link(
                    source=path,
                    target=target,
                    text=words(anchor) or anchor.get("aria-label", ""),
                    hreflang=anchor.get("hreflang", "") or anchor.get("lang", ""),
                )
                page.links.append(link)
                result.links.append(link)
                targets.append(target)
        for target in targets:
            if target not in seen and not skipped(target):
                seen.add(target)
                queue.append(target)
    return result
