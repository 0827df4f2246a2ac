"""English readers stay in English: menus, footer and the language switcher lead under /en/, with the
labels editors wrote in each language; dates, times and numbers as each language writes them."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format, time_format
from django.utils.translation import gettext as _
from wagtail.models import Locale, Site

from website.i18n import in_default_locale, localize_path
from website.models import ContentPage, NavigationSettings, OrganisationSettings
from website.templatetags.maillon import event_datetime, money

# Pages of the English site whose every link must stay under /en/ (no event listings: their links are
# the events pages' own business and tested there).
ENGLISH_PAGES = [
    "/en/babillard/",
    "/en/babillard/publier/",
    "/en/accompagnement/",
    "/en/mutualisation/",
    "/en/histoires/",
    "/en/politique-de-confidentialite/",
    "/en/infolettre/inscription/",
    "/en/recherche/?q=mirabel",
]
ENGLISH_MENU = [
    "Resource sharing",
    "Bulletin board",
    "Events",
    "Stories",
    "Resources",
    "Support",
    "Newsletter",
]
FRENCH_MENU = ["La mutualisation", "Babillard", "Événements", "Histoires", "Ressources", "Accompagnement"]


class Links(HTMLParser):
    """Every <a href> of a page, with its text, and whether it sits in the header or the footer."""

    def __init__(self):
        super().__init__()
        self.links, self._open, self._zone = [], None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("header", "footer"):
            self._zone.append(tag)
        if tag == "a" and attrs.get("href"):
            self._open = {"href": attrs["href"], "hreflang": attrs.get("hreflang"), "text": "", "zone": None}
            self._open["zone"] = self._zone[-1] if self._zone else "main"

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag in ("header", "footer") and self._zone:
            self._zone.pop()
        if tag == "a" and self._open is not None:
            self._open["text"] = " ".join(self._open["text"].split())
            self.links.append(self._open)
            self._open = None


def links_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Links()
    parser.feed(response.content.decode())
    return parser.links


def internal(links):
    return [
        link
        for link in links
        if link["href"].startswith("/") and not link["href"].startswith(("//", "/static/", "/media/"))
    ]


@pytest.mark.parametrize("url", ENGLISH_PAGES)
def test_every_link_of_an_english_page_stays_under_en(client, home, url):
    for link in internal(links_of(client, url)):
        if link["hreflang"]:  # the language switcher: the same page in French, on purpose
            assert link["hreflang"] == "fr-ca" and not link["href"].startswith("/en/")
            continue
        assert link["href"].startswith("/en/"), f"{url} links to {link['href']} ({link['text']})"


def test_english_header_and_footer_speak_english_and_lead_under_en(client, home):
    links = links_of(client, "/en/")
    header = [link for link in links if link["zone"] == "header"]
    footer = [link for link in links if link["zone"] == "footer"]
    texts = [link["text"] for link in header]
    for label in ENGLISH_MENU:
        assert label in texts
    for label in FRENCH_MENU:
        assert label not in texts
    assert {"Bulletin board": "/en/babillard/", "Support": "/en/accompagnement/"}.items() <= {
        link["text"]: link["href"] for link in header
    }.items()
    assert ("Request support", "/en/accompagnement/") in [(link["text"], link["href"]) for link in footer]
    for link in internal(header + footer):
        assert link["href"].startswith("/en/") or link["hreflang"] == "fr-ca", link


def test_the_menu_marks_the_current_english_page(client, home):
    html = client.get("/en/babillard/").content.decode()
    assert re.search(r'href="/en/babillard/" aria-current="page">Bulletin board<', html)


def test_french_pages_keep_the_french_menu(client, home):
    links = links_of(client, "/")
    texts = [link["text"] for link in links if link["zone"] == "header"]
    for label in FRENCH_MENU:
        assert label in texts
    footer = client.get("/").content.decode().split("site-footer", 1)[1]
    assert "Demande d&#x27;accompagnement" in footer and 'href="/accompagnement/"' in footer
    assert "plateforme libre de mutualisation" in footer


def test_the_language_switcher_keeps_the_same_page(client, home):
    for english, french in [
        ("/en/babillard/", "/babillard/"),
        ("/en/accompagnement/", "/accompagnement/"),
        ("/en/babillard/publier/", "/babillard/publier/"),
    ]:
        switch = [link for link in links_of(client, english) if link["hreflang"]]
        assert [(link["href"], link["text"]) for link in switch] == [(french, "Français")]
        switch = [link for link in links_of(client, french) if link["hreflang"]]
        assert [(link["href"], link["text"]) for link in switch] == [(english, "English")]
    # A search or a filter is kept.
    switch = [link for link in links_of(client, "/en/babillard/?type=offre&q=van") if link["hreflang"]]
    assert switch[0]["href"] == "/babillard/?type=offre&q=van"
    switch = [link for link in links_of(client, "/recherche/?q=entente") if link["hreflang"]]
    assert switch[0]["href"] == "/en/recherche/?q=entente"


def test_editors_write_menu_labels_in_both_languages(client, home):
    """An English label written by an editor wins; without one, the title of the page's real English
    translation; without that, the French label."""
    site = Site.objects.get(is_default_site=True)
    nav = NavigationSettings.for_site(site)
    about = in_default_locale(ContentPage.objects).get(slug="mutualisation")
    nav.main_menu = [
        ("link", {"label": "Babillard", "label_en": "Community board", "page": None, "url": "/babillard/"}),
        ("link", {"label": "La mutualisation", "label_en": "", "page": about, "url": ""}),
        ("link", {"label": "Ailleurs", "label_en": "", "page": None, "url": "https://example.org/"}),
    ]
    nav.footer_text_en = "Run by the network."
    nav.save()

    def menu():
        return [
            (link["text"], link["href"]) for link in links_of(client, "/en/") if link["zone"] == "header"
        ][1:4]

    assert menu() == [
        ("Community board", "/en/babillard/"),
        ("La mutualisation", "/en/mutualisation/"),  # the English page is still an alias of the French
        ("Ailleurs", "https://example.org/"),
    ]
    english_about = about.get_translation(Locale.objects.get(language_code="en"))
    english_about.alias_of = None
    english_about.title = "What is resource sharing?"
    english_about.save()
    assert menu()[1] == ("What is resource sharing?", "/en/mutualisation/")
    assert "Run by the network." in client.get("/en/").content.decode()
    assert "Run by the network." not in client.get("/").content.decode()


def test_the_navigation_settings_screen_offers_the_english_fields(admin_client, home):
    html = admin_client.get(
        f"/admin/settings/website/navigationsettings/{Site.objects.get(is_default_site=True).pk}/"
    ).content.decode()
    assert "label_en" in html and "en anglais" in html  # the menu blocks' English label (in the JS data)
    assert 'name="footer_text_en"' in html


def test_site_addresses_typed_by_editors_follow_the_language(home):
    assert localize_path("/babillard/?q=van#liste", "en") == "/en/babillard/?q=van#liste"
    assert localize_path("/accompagnement/", "en") == "/en/accompagnement/"
    assert localize_path("/en/babillard/", "en") == "/en/babillard/"
    assert localize_path("/en/babillard/", "fr-ca") == "/babillard/"
    assert localize_path("/babillard/", "fr-ca") == "/babillard/"
    assert localize_path("https://example.org/", "en") == "https://example.org/"
    assert localize_path("mailto:info@example.org", "en") == "mailto:info@example.org"
    assert localize_path("/nulle-part/", "en") == "/nulle-part/"


# --- formats -------------------------------------------------------------------------------------------

MOMENT = datetime.datetime(2026, 11, 27, 8, 30)


def test_french_dates_times_and_numbers_as_written_in_quebec():
    with translation.override("fr-ca"):
        assert date_format(MOMENT) == "27 novembre 2026"
        assert time_format(MOMENT) == "8\xa0h\xa030"  # not "08 h 30"
        assert time_format(datetime.time(13, 40)) == "13\xa0h\xa040"
        assert date_format(MOMENT, "DATETIME_FORMAT") == "27 novembre 2026, 8\xa0h\xa030"
        assert number_format(1234.5, 2, force_grouping=True) == "1\u202f234,50"
        assert number_format(0.1, 1) == "0,1"
        assert money(1234.5) == "1\u202f234,50\xa0$"


def test_english_dates_times_and_numbers_as_written_in_canada():
    with translation.override("en"):
        assert date_format(MOMENT) == "November 27, 2026"
        assert time_format(MOMENT) == "8:30 a.m."
        assert date_format(MOMENT, "DATETIME_FORMAT") == "November 27, 2026, 8:30 a.m."
        assert number_format(1234.5, 2, force_grouping=True) == "1,234.50"
        assert money(1234.5) == "$1,234.50"


def test_event_times_read_naturally_in_both_languages():
    moment = timezone.make_aware(MOMENT)
    with translation.override("fr-ca"):
        assert event_datetime(moment) == "vendredi 27 novembre 2026, 8\xa0h\xa030"
    with translation.override("en"):
        assert event_datetime(moment) == "Friday, November 27, 2026, 8:30 a.m."


def test_footer_labels_take_each_languages_colon(client, home):
    OrganisationSettings.objects.update(phone="450 555-0100")
    assert "Téléphone\xa0: <a" in client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert "Phone: <a" in english and "Phone :" not in english and "Email: <a" in english


def test_case_study_figures_use_each_languages_separators(client, home):
    from website.models import CaseStudyPage

    story = in_default_locale(CaseStudyPage.objects).get(slug="formation-commune")
    story.savings_money, story.savings_hours, story.savings_km = 12500, 1200, 12500
    story.save_revision().publish()
    french = client.get("/histoires/formation-commune/").content.decode()
    assert "12\u202f500\xa0$" in french and "<strong>1\u202f200</strong> heures" in french
    assert "<strong>12\u202f500</strong> km" in french
    english = client.get("/en/histoires/formation-commune/").content.decode()
    assert (
        "$12,500" in english
        and "<strong>1,200</strong> hours" in english
        and "<strong>12,500</strong> km" in english
    )


@pytest.mark.parametrize(
    "language, relay, match",
    [
        ("fr-ca", "Luc vous écrit par le babillard (Popote)\xa0:", "Offre\xa0: Camionnette — Comptoir"),
        ("en", "Luc writes to you through the board (Popote):", "Offer: Camionnette — Comptoir"),
    ],
)
def test_emails_put_each_languages_colon(language, relay, match):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    message = SimpleNamespace(sender_name="Luc", sender_organisation="Popote", body="Bonjour")
    offer = SimpleNamespace(get_kind_display=lambda: _("Offre"), title="Camionnette", organisation="Comptoir")
    with translation.override(language):
        assert relay in render_to_string("bulletin/emails/contact_relay.txt", {"message": message})
        text = render_to_string(
            "bulletin/emails/match.txt", {"post": offer, "match": offer, "match_url": "/"}
        )
        assert match in text


def test_the_english_not_found_page_leads_back_to_the_english_site(client, home):
    response = client.get("/en/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Back to the home page" in html
    assert '<a href="/en/">Back to the home page</a>' in html
    french = client.get("/nulle-part/").content.decode()
    assert '<a href="/">Retour à l\'accueil</a>' in french


def test_export_answers_take_each_languages_colon():
    from website.exports import readable_mapping

    answers = {"Atelier préféré": "Matin", "Allergies?": ["non", "aucune"]}
    with translation.override("fr-ca"):
        assert readable_mapping(answers) == "Atelier préféré : Matin; Allergies? : non, aucune"
    with translation.override("en"):
        assert readable_mapping(answers) == "Atelier préféré: Matin; Allergies?: non, aucune"


@pytest.mark.parametrize(
    "language, reminder, when",
    [
        (
            "fr-ca",
            "Votre annonce « Camionnette » quittera le babillard le 16 mars 2027.",
            "vendredi 27 novembre 2026, 8\xa0h\xa030 – 16\xa0h\xa000",
        ),
        (
            "en",
            "Your post “Camionnette” will leave the board on March 16, 2027.",
            "Friday, November 27, 2026, 8:30 a.m. – 4 p.m.",
        ),
    ],
)
def test_email_dates_are_written_as_each_language_writes_them(language, reminder, when):
    from types import SimpleNamespace

    from django.template import Context, Template
    from django.template.loader import render_to_string

    post = SimpleNamespace(title="Camionnette", expires_on=datetime.date(2027, 3, 16))
    start = timezone.make_aware(MOMENT)
    end = timezone.make_aware(datetime.datetime(2026, 11, 27, 16, 0))
    with translation.override(language):
        text = render_to_string("bulletin/emails/expiry_reminder.txt", {"post": post, "manage_url": "/"})
        assert reminder in text and "2027-03-16" not in text
        line = Template("{% load maillon %}{{ start|event_datetime }} – {{ end|time }}")
        assert line.render(Context({"start": start, "end": end})) == when
