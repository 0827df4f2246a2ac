"""Demo events: the regional day, a training whose cost is shared (with a threshold), a networking
meeting, an online webinar and one past event with attendance. Idempotent: looked up by slug."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Site

from events.models import CostRule, EventIndexPage, EventKind, EventPage, EventState, Registration, Threshold
from website.demo import child_page, paragraph
from website.i18n import in_default_locale
from website.models import HomePage, NavigationSettings, Region

TZ = ZoneInfo(settings.TIME_ZONE)
PLACEHOLDER_CONTACT = "Personne-ressource"  # what earlier seeds wrote; replaced on the next seed
INVENTED_CONTACTS = ["Nathalie Bélanger", "Luc Ouellet", "Sophie Lavoie", "Julie Gagnon", "Martin Bouchard"]
KINDS = [
    ("formation", "Formation", "Training", True),
    ("reseautage", "Rencontre de réseautage", "Networking meeting", False),
    ("journee-regionale", "Journée régionale", "Regional day", False),
    ("webinaire", "Webinaire", "Webinar", False),
]


def demo_address(name):
    """ "Nathalie Bélanger" → "nathalie.belanger@example.org" (a reserved domain: never delivered)."""
    return ".".join(slugify(part) for part in name.split(" ")) + "@example.org"


def at(days, hour, minute=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


# The demo's events; times are (days from today, hour[, minute]) in the site's time zone.
EVENTS = [
    dict(
        slug="journee-regionale-mutualisation",
        title="Journée régionale de la mutualisation",
        kind="journee-regionale",
        start=(45, 9),
        end=(45, 16),
        venue="Salle communautaire (fictive)",
        address="456, boulevard du Centre\nSaint-Jérôme (Québec)",
        region="la-riviere-du-nord",
        capacity=120,
        accessibility_notes="Salle de plain-pied, toilettes adaptées.",
        summary="Une journée pour rencontrer les organismes qui partagent déjà des ressources et lancer de nouveaux projets.",
        description="<p>Ateliers, témoignages et marché des ressources à partager. Dîner offert.</p>",
    ),
    dict(
        slug="formation-gestion-benevoles",
        title="Formation : gérer et reconnaître ses bénévoles",
        kind="formation",
        start=(30, 9),
        end=(30, 16),
        venue="Centre communautaire des Pays-d'en-Haut (fictif)",
        address="12, rue de l'Église\nSainte-Adèle (Québec)",
        region="les-pays-d-en-haut",
        capacity=20,
        total_cost=Decimal("1200.00"),
        cost_rule=CostRule.PER_ORGANISATION,
        cost_cap=Decimal("400.00"),
        threshold=3,
        threshold_unit=Threshold.ORGANISATIONS,
        decision_in_days=20,
        registration_closes=(23, 17),
        summary="Une formatrice d'expérience, une journée, un coût partagé entre les organismes inscrits.",
        description="<p>Recruter, encadrer, reconnaître : des outils concrets pour les équipes bénévoles.</p>",
    ),
    dict(
        slug="reseautage-basses-laurentides",
        title="Café-réseautage des Basses-Laurentides",
        kind="reseautage",
        start=(12, 8, 30),
        end=(12, 10, 30),
        venue="Café de la coopérative (fictif)",
        address="78, rue Principale\nSaint-Eustache (Québec)",
        region="deux-montagnes",
        capacity=30,
        summary="Deux heures pour présenter ce que votre organisme peut partager et ce qu'il cherche.",
    ),
    dict(
        slug="webinaire-ententes",
        title="Webinaire : rédiger une entente de mutualisation",
        kind="webinaire",
        start=(8, 12),
        end=(8, 13),
        online_url="https://visio.example.org/entente",
        capacity=100,
        summary="Une heure pour passer en revue un modèle d'entente, clause par clause.",
    ),
    dict(
        slug="atelier-transport-partage",
        title="Atelier : partager un véhicule",
        kind="reseautage",
        start=(-20, 13),
        end=(-20, 15),
        venue="Salle municipale (fictive)",
        address="3, rue du Marché\nMont-Laurier (Québec)",
        region="antoine-labelle",
        capacity=25,
        state=EventState.CONFIRMED,
        summary="Retour d'expérience de trois organismes qui partagent une camionnette.",
    ),
]
# (event slug, [(organisation, contact, seats, attended)]): registrations the demo starts with.
REGISTRATIONS = [
    (
        "atelier-transport-partage",
        [
            ("Comptoir alimentaire du Nord (fictif)", "Nathalie Bélanger", 2, 2),
            ("Popote roulante de Mirabel (fictif)", "Luc Ouellet", 1, 1),
            ("Friperie solidaire (fictif)", "Sophie Lavoie", 2, 1),
        ],
    ),
    (
        "formation-gestion-benevoles",
        [
            ("Maison des jeunes des Laurentides (fictif)", "Julie Gagnon", 2, None),
            ("Centre d'entraide des Pays-d'en-Haut (fictif)", "Martin Bouchard", 2, None),
        ],
    ),
]


def seed(stdout):
    kinds = seed_kinds()
    home = in_default_locale(HomePage.objects).get()
    index = child_page(
        home,
        EventIndexPage,
        "evenements",
        title="Événements",
        intro="<p>Formations à coûts partagés, rencontres de réseautage et journée régionale de la mutualisation.</p>",
    )
    created = seed_events(index, kinds)
    seed_registrations()
    name_placeholder_contacts()
    add_menu_link(index)
    stdout.write(f"Événements : {created} ajouté(s).")


def seed_kinds():
    kinds = {}
    for order, (slug, name, name_en, shares) in enumerate(KINDS):
        kinds[slug], _ = EventKind.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "shares_costs": shares, "sort_order": order},
        )
    return kinds


def event_fields(spec, kinds, regions):
    """An entry of EVENTS as the page's fields: kinds and regions by slug, times from today."""
    fields = dict(spec, kind=kinds[spec["kind"]])
    for name in ("start", "end", "registration_closes"):
        if name in fields:
            fields[name] = at(*fields[name])
    if "region" in fields:
        fields["region"] = regions[fields["region"]]
    if "decision_in_days" in fields:
        fields["decision_date"] = timezone.localdate() + datetime.timedelta(
            days=fields.pop("decision_in_days")
        )
    if "description" in fields:
        fields["description"] = [paragraph(fields["description"])]
    return fields


def seed_events(index, kinds):
    regions = {r.slug: r for r in Region.objects.all()}
    created = 0
    for spec in EVENTS:
        if index.get_children().filter(slug=spec["slug"]).exists():
            continue
        child_page(index, EventPage, **event_fields(spec, kinds, regions))
        created += 1
    return created


def seed_registrations():
    """Registrations of the past event (with attendance) and of the training, once."""
    events = in_default_locale(EventPage.objects.all())
    for slug, rows in REGISTRATIONS:
        event = events.filter(slug=slug).first()
        if event is None or event.registrations.exists():
            continue
        for organisation, contact, seats, attended in rows:
            Registration.objects.create(
                event=event,
                organisation=organisation,
                contact_name=contact,
                email=demo_address(contact),
                seats=seats,
                state=Registration.State.CONFIRMED,
                attended=attended,
            )


def name_placeholder_contacts():
    """Earlier seeds wrote a placeholder for every contact ("Bonjour Personne-ressource,"): name them."""
    for registration in Registration.objects.filter(contact_name=PLACEHOLDER_CONTACT).order_by("pk"):
        contact = INVENTED_CONTACTS[registration.pk % len(INVENTED_CONTACTS)]
        registration.contact_name, registration.email = contact, demo_address(contact)
        registration.save(update_fields=["contact_name", "email"])


def add_menu_link(index):
    nav = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    if any(item.value.get("page") and item.value["page"].pk == index.pk for item in nav.main_menu):
        return
    nav.main_menu.insert(2, ("link", {"label": "Événements", "page": index, "url": ""}))
    nav.save()
