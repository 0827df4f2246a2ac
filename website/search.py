"""The site search at /recherche/: what each app lets it find, gathered through a registry.

`website` imports no app. An app makes its things findable by registering a source in its
`wagtail_hooks.py`:

    @hooks.register("register_search_source")
    def board_posts():
        return PostSearchSource()

Sources are searched with the site's backend (website.search_backend: any text is safe), each ranked by
relevance; the page interleaves them (first of each, then second of each…), so no type buries the
others. One page of results costs a fixed number of queries whatever the number found: a count and at
most one slice per source, plus what a source's `hits` needs for a whole slice.
"""

import html
import unicodedata
from dataclasses import dataclass

from django.db.models import Q
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction

from website import page_cache
from website.i18n import active_locale
from website.models import ResourceDocument
from website.search_backend import search_words

HOOK = "register_search_source"
EXCERPT_LENGTH = 220
RESTRICTIONS_KEPT_SECONDS = 60 * 60


@dataclass
class Hit:
    """One result as the page shows it."""

    kind: str  # what it is: "Annonce du babillard", "Événement"…
    title: str
    url: str
    excerpt: SafeString = mark_safe("")
    detail: str = ""  # a short line under the type: a date, a category…


class SearchSource:
    """A kind of thing the site search finds (meant to be subclassed by each app).

    `results(query)` returns lazy search results, sliceable and countable (`Model.objects….search()`),
    holding only what the public may see. `hits(objects, query, request)` turns one slice of them into
    `Hit`s without a query per object (select what it needs in `results`)."""

    key = ""  # the `type` value in the address (?type=evenements)
    label = ""  # plural, for the filter: "Événements"
    order = 100
    page_models = ()  # Page classes this source covers: the generic page source leaves them out

    def results(self, query):
        raise NotImplementedError

    def hits(self, objects, query, request):
        return [self.hit(obj, query, request) for obj in objects]

    def hit(self, obj, query, request):
        raise NotImplementedError


def live_pages(model):
    """Pages of `model` a visitor may find: published, not restricted, in the reader's language."""
    return model.objects.live().exclude(restricted_q()).filter(locale=active_locale())


def restricted_q():
    """Wagtail's `.public()` filter, from the sections under a view restriction kept with the site
    chrome (`.public()` reads them again for every source searched)."""
    sections = page_cache.versioned("restricted-sections", restricted_sections, RESTRICTIONS_KEPT_SECONDS)
    q = Q(pk__in=[])
    for path, depth in sections:
        q |= Q(path__startswith=path, depth__gte=depth)
    return q


def restricted_sections():
    return [(r.page.path, r.page.depth) for r in PageViewRestriction.objects.select_related("page")]


class PageSearchSource(SearchSource):
    """The information pages (content pages, case studies, the library, indexes…): every page type no
    other source covers."""

    key = "pages"
    label = _("Pages")
    order = 90

    def __init__(self, excluded_models=()):
        self.excluded_models = tuple(excluded_models)

    def results(self, query):
        pages = live_pages(Page).filter(depth__gt=1)
        if self.excluded_models:
            pages = pages.not_type(*self.excluded_models)
        return pages.specific().search(query, operator="and")

    def hit(self, page, query, request):
        return Hit(
            kind=capfirst(page._meta.verbose_name),
            title=page.title,
            url=page.get_url(request),
            excerpt=excerpt(page_text(page), query),
        )


class DocumentSearchSource(SearchSource):
    """The documents of the resource library marked public."""

    key = "documents"
    label = _("Documents")
    order = 40

    def results(self, query):
        documents = ResourceDocument.objects.public()
        return documents.select_related("category").search(query, operator="and")

    def hit(self, document, query, request):
        extension = document.file_extension.upper()
        detail = " · ".join(filter(None, [document.category.label if document.category else "", extension]))
        return Hit(
            kind=_("Document"),
            title=document.title,
            url=document.url,
            excerpt=excerpt(document.description, query),
            detail=detail,
        )


def sources():
    """The registered sources in their order, then the generic page source."""
    found = sorted((fn() for fn in hooks.get_hooks(HOOK)), key=lambda source: source.order)
    covered = [model for source in found for model in source.page_models]
    return [*found, PageSearchSource(covered)]


class MergedResults:
    """The results of several sources as one sequence a Paginator can page: each source's counted once,
    and a page sliced from each source in one query."""

    def __init__(self, parts, query, request, counts=None):
        self.parts = parts  # [(source, results)]
        self.query = query
        self.request = request
        self.counts = counts if counts is not None else [results.count() for _source, results in parts]

    def count(self):
        return sum(self.counts)

    def __len__(self):
        return self.count()

    def order(self, stop):
        """(part index, rank) of the first `stop` results: rank 0 of each part, then rank 1…"""
        order, rank = [], 0
        while len(order) < stop and rank < max(self.counts, default=0):
            order.extend((i, rank) for i, count in enumerate(self.counts) if rank < count)
            rank += 1
        return order[:stop]

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("MergedResults is sliced by pages")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        wanted = self.order(stop)[start:]
        hits = {}
        for i, (source, results) in enumerate(self.parts):
            ranks = [rank for part, rank in wanted if part == i]
            if not ranks:
                continue
            objects = list(results[ranks[0] : ranks[-1] + 1])
            for rank, hit in zip(ranks, source.hits(objects, self.query, self.request), strict=False):
                hits[i, rank] = hit
        return [hits[place] for place in wanted if place in hits]


def search(query, request, kind=""):
    """(the results to page through, [(source, how many it found)] for the type filter). With `kind`,
    the key of a source, only that source's results."""
    parts = [(source, source.results(query)) for source in sources()]
    everything = MergedResults(parts, query, request)
    facets = [(source, count) for (source, _results), count in zip(parts, everything.counts, strict=True)]
    for i, (source, _results) in enumerate(parts):
        if source.key == kind:
            return MergedResults([parts[i]], query, request, counts=[everything.counts[i]]), facets
    return everything, facets


# Excerpts: the passage around the first word searched for, with the words marked.


def fold(text):
    """`text` lower-cased and without accents, one character for one (so positions still match)."""
    return "".join(unicodedata.normalize("NFD", c)[:1].lower()[:1] or c for c in text)


def excerpt(text, query, length=EXCERPT_LENGTH):
    """A passage of `text` (plain) around the first of `query`'s words, those words in <mark>."""
    text = " ".join(html.unescape(strip_tags(text or "")).split())
    if not text:
        return mark_safe("")
    words = [fold(w) for w in search_words(query) if len(w) >= 3] or [fold(w) for w in search_words(query)]
    folded = fold(text)
    first = min((p for p in (folded.find(w) for w in words) if p >= 0), default=0)
    start = 0 if first < length // 3 else text.rfind(" ", 0, first - length // 4) + 1
    end = start + length
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    passage, folded = text[start:end], folded[start:end]
    pieces, position = [], 0
    while words:
        found = [(folded.find(w, position), w) for w in words]
        found = [(p, w) for p, w in found if p >= 0]
        if not found:
            break
        p, w = min(found)
        pieces.append(format_html("{}<mark>{}</mark>", passage[position:p], passage[p : p + len(w)]))
        position = p + len(w)
    pieces.append(format_html("{}", passage[position:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)


def stream_text(value):
    """The words of a StreamField's raw data, without rendering it (rendering may query)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(stream_text(v) for k, v in value.items() if k not in ("type", "id", "url", "level"))
    if isinstance(value, list | tuple):
        return " ".join(stream_text(v) for v in value)
    return ""


def page_text(page):
    """What a page says about itself, for its excerpt: its search description, else its own text."""
    if page.search_description:
        return page.search_description
    parts = []
    for name in ("summary", "intro", "hero_text", "description", "body"):
        value = getattr(page, name, None)
        if value is None or callable(value):
            continue
        raw = getattr(value, "raw_data", None)
        parts.append(stream_text(list(raw)) if raw is not None else str(value))
    return " ".join(parts)
