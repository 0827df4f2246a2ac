from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from website import page_cache
from website.money import format_money

register = template.Library()
# The language switcher's targets change when a page is published, moved or translated, all of which
# give the page cache a new version.
TRANSLATIONS_KEPT_SECONDS = 60 * 60
FORM_KEPT_SECONDS = 60 * 60


@register.filter
def money(amount):
    return format_money(amount)


@register.filter
def grouped(value):
    """A number with the reader's separators: "12 500" (narrow no-break space) or "12,500"; "1,5" or "1.5"."""
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current address in each other language, for the language switcher."""
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    names = dict(settings.LANGUAGES)
    page = context.get("page")
    translations = {}
    if page is not None and hasattr(page, "get_translations"):
        translations = page_cache.versioned(
            f"page-translations:{page.pk}", lambda: translation_urls(page), TRANSLATIONS_KEPT_SECONDS
        )
    # The same search or filter in the other language: the query string goes along.
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return [
        {
            "code": code,
            "name": names[code],
            "url": (translations.get(code) or translate_url(request.path, code)) + query,
        }
        for code, _name in settings.LANGUAGES
        if code != current
    ]


def translation_urls(page):
    """{language code: address} of the page's live translations (each address in its own language)."""
    return {
        translation.locale.language_code: translation.url
        for translation in page.get_translations().live().select_related("locale")
    }


@register.filter
def event_datetime(value):
    """ "jeudi 17 avril 2026, 13 h 40" in French, "Thursday, April 17, 2026, 1:40 p.m." in English."""
    if not value:
        return ""
    value = timezone.localtime(value)
    # Translators: a weekday before a date and time ("jeudi 17 avril 2026, 13 h 40").
    return _("%(weekday)s %(datetime)s") % {
        "weekday": date_format(value, "l"),
        "datetime": date_format(value, "DATETIME_FORMAT"),
    }


@register.filter
def percent(value):
    """ "45 %" (no-break space) in French, "45%" in English."""
    if value is None or value == "":
        return ""
    number = number_format(value, force_grouping=True)
    return f"{number}%" if (get_language() or "fr").startswith("en") else f"{number}\u00a0%"


@register.simple_tag
def colon():
    """The colon after a label, as each language writes it: "Téléphone :" (no-break space) or "Phone:"."""
    return ":" if (get_language() or "fr").startswith("en") else "\u00a0:"


@register.simple_tag(takes_context=True)
def form_fields(context, form, *kept_as):
    """includes/form.html for `form`, with the page's context. With `kept_as` (what the form belongs to:
    "event-form", 12), an unbound form without a person's own initial values is the same for every
    visitor of a language, so its HTML is kept (`page_cache.versioned`: until any change a page may show,
    a new registration excepted) instead of crispy-forms rendering each field again: about half of an
    event page's render, which runs again after every registration that takes a seat. Rendered every time
    for a bound form (errors, what was typed), prefilled fields and previews."""
    included = context.template.engine.get_template("includes/form.html")

    def render():
        with context.push(form=form):
            return included.render(context)

    request = context.get("request")
    if not kept_as or form.is_bound or form.initial or getattr(request, "is_preview", False):
        return render()
    key = f"form-html:{':'.join(map(str, kept_as))}:{get_language()}"
    return mark_safe(page_cache.versioned(key, render, FORM_KEPT_SECONDS, chrome=False))
