"""Wagtail's database search backend, taking any text a person may type.

Both database backends build full-text syntax out of the words they are given: SQLite's FTS5 fails on
a lone `"` ("unterminated string"), PostgreSQL on a NUL character, and both on text that half-looks like
an operator. Every search goes through `_search` (the public pages, the board and its feed, every admin
listing), so the query is cleaned there, once: only words (letters and digits) reach the database, a
bounded number of them. Configured as WAGTAILSEARCH_BACKENDS' default in settings.
"""

import re
import unicodedata

from django.db.models import QuerySet
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import MATCH_ALL, And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText

MAX_CHARACTERS = 200
MAX_WORDS = 12
MAX_WORD_LENGTH = 50
WORD = re.compile(r"[^\W_]+")


def search_words(text):
    """The words of `text` a search can use: letters and digits only (no operator, quote, wildcard or
    control character survives), at most MAX_WORDS of them, each at most MAX_WORD_LENGTH long."""
    text = unicodedata.normalize("NFC", str(text or ""))[:MAX_CHARACTERS]
    return [word[:MAX_WORD_LENGTH] for word in WORD.findall(text)][:MAX_WORDS]


def clean_text(text):
    return " ".join(search_words(text))


def clean_query(query):
    """`query` (text or a parsed search query) with only words in it; "" when nothing is left."""
    if isinstance(query, str):
        return clean_text(query)
    if isinstance(query, MatchAll):
        return query
    if isinstance(query, PlainText):
        text = clean_text(query.query_string)
        return PlainText(text, operator=query.operator, boost=query.boost) if text else ""
    if isinstance(query, Fuzzy):
        text = clean_text(query.query_string)
        return Fuzzy(text, operator=query.operator, unaccent=query.unaccent) if text else ""
    if isinstance(query, Phrase):
        text = clean_text(query.query_string)
        return Phrase(text) if text else ""
    if isinstance(query, Boost):
        inner = clean_query(query.subquery)
        return Boost(inner, query.boost) if inner != "" else ""
    if isinstance(query, Not):
        inner = clean_query(query.subquery)
        return Not(inner) if inner != "" else ""
    if isinstance(query, And | Or):
        parts = [part for part in map(clean_query, query.subqueries) if part != ""]
        if not parts:
            return ""
        return parts[0] if len(parts) == 1 else type(query)(parts)
    return query


class CleanQueryMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        cleaned = clean_query(query)
        if cleaned == "" and query != "":
            # Nothing searchable was typed: no result, but as real (empty) results of the model, which
            # listings expect (Wagtail's EmptySearchResults has no model).
            queryset = model_or_queryset
            if not isinstance(queryset, QuerySet):
                queryset = queryset.objects.all()
            cleaned, model_or_queryset = MATCH_ALL, queryset.none()
        return super()._search(query_compiler_class, cleaned, model_or_queryset, **kwargs)


_CLASSES = {}


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """The database backend Wagtail picks for this connection (PostgreSQL, SQLite FTS5 or the
    fallback), with cleaned queries."""
    backend = database_backend(params)
    base = type(backend)
    if base not in _CLASSES:
        _CLASSES[base] = type(f"Clean{base.__name__}", (CleanQueryMixin, base), {})
    backend.__class__ = _CLASSES[base]
    return backend
