"""Public forms say what to choose: no "---------" placeholders, lists that start empty when a choice is
required, a month filter that browsers show as a list of months."""

import re

import pytest
from wagtail.contrib.forms.models import FormSubmission

PUBLIC_FORM_PAGES = [
    "/",
    "/babillard/",
    "/babillard/publier/",
    "/babillard/alertes/",
    "/evenements/",
    "/evenements/formation-gestion-benevoles/",
    "/accompagnement/",
    "/infolettre/inscription/",
    "/ressources/",
    "/histoires/",
]


@pytest.mark.parametrize("url", PUBLIC_FORM_PAGES + ["/en" + url for url in PUBLIC_FORM_PAGES])
def test_no_dashes_placeholder_on_public_forms(client, home, url):
    html = client.get(url).content.decode()
    assert "-----" not in html
    assert 'type="month"' not in html  # Chromium shows an empty one as "--------- ----"


def test_the_support_forms_region_starts_empty_and_must_be_chosen(client, home):
    html = client.get("/accompagnement/").content.decode()
    select = re.search(r'<select name="region".*?</select>', html, re.S).group(0)
    assert re.search(r'<option value="" selected>Choisir…</option>', select)
    assert "Choose…" in client.get("/en/accompagnement/").content.decode()

    response = client.post(
        "/accompagnement/",
        {
            "nom_de_lorganisme": "Maison de la famille",
            "personne_ressource": "Julie Tremblay",
            "courriel": "julie@example.org",
            "region": "",
            "decrivez_votre_projet": "Partager une salle.",
        },
    )
    assert response.status_code == 400
    assert not FormSubmission.objects.exists()


def month_options(html):
    select = re.search(r'<select name="mois".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)


def test_the_events_month_filter_is_a_list_of_months_in_each_language(client, home):
    options = month_options(client.get("/evenements/").content.decode())
    assert options[0] == ("", " selected", "Tous les mois")
    assert len(options) > 1 and all(re.fullmatch(r"\d{4}-\d{2}", value) for value, _s, _l in options[1:])
    value, _selected, label = options[1]
    assert re.fullmatch(r"[A-ZÉ][a-zéû]+ \d{4}", label)

    english = month_options(client.get("/en/evenements/").content.decode())
    assert english[0] == ("", " selected", "All months")
    assert english[1][2] in {
        f"{month} {value[:4]}"
        for month in "January February March April May June July August September October November December".split()
    }

    chosen = client.get(f"/evenements/?mois={value}").content.decode()
    assert (value, " selected", label) in month_options(chosen)


@pytest.mark.parametrize("month", ["2099-99", "abc", "2026-13", "9" * 40])
def test_a_bad_month_in_the_address_shows_the_upcoming_events(client, home, month):
    response = client.get("/evenements/", {"mois": month})
    assert response.status_code == 200
    assert "card-title" in response.content.decode()
