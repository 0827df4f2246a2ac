"""Path converters every app's urlconf may use, registered once in `WebsiteConfig.ready()`."""


class PageSlugConverter:
    """`<page_slug:slug>`: every slug Wagtail can make (WAGTAIL_ALLOW_UNICODE_SLUGS: letters of any script,
    digits, "-", "_"), unlike Django's ASCII-only <slug:>; nothing else (no NUL, no "/")."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


CONVERTERS = {"page_slug": PageSlugConverter}
