"""Demo events: the regional day, a training whose cost is shared (with a threshold), a networking
meeting, an online webinar and one past event with attendance. Idempotent: looked up by slug."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Site

from events.models import EventIndexPage, EventKind, EventPage, Registration
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


def seed(stdout):
    kinds = {}
    for order, (slug, name, name_en, shares) in enumerate(KINDS):
        kinds[slug], _ = EventKind.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "shares_costs": shares, "sort_order": order},
        )
    regions = {r.slug: r for r in Region.objects.all()}
    home = in_default_locale(HomePage.objects).get()
    index = child_page(
        home,
        EventIndexPage,
        "evenements",
        title="Événements",
        intro="<p>Formations à coûts partagés, rencontres de réseautage et journée régionale de la mutualisation.</p>",
    )
    events = [
        dict(
            slug="journee-regionale-mutualisation",
            title="Journée régionale de la mutualisation",
            kind=kinds["journee-regionale"],
            start=at(45, 9),
            end=at(45, 16),
            venue="Salle communautaire (fictive)",
            address="456, boulevard du Centre\nSaint-Jérôme (Québec)",
            region=regions["la-riviere-du-nord"],
            capacity=120,
            accessibility_notes="Salle de plain-pied, toilettes adaptées.",
            summary="Une journée pour rencontrer les organismes qui partagent déjà des ressources et lancer de nouveaux projets.",
            description=[
                paragraph("<p>Ateliers, témoignages et marché des ressources à partager. Dîner offert.</p>")
            ],
        ),
        dict(
            slug="formation-gestion-benevoles",
            title="Formation : gérer et reconnaître ses bénévoles",
            kind=kinds["formation"],
            start=at(30, 9),
            end=at(30, 16),
            venue="Centre communautaire des Pays-d'en-Haut (fictif)",
            address="12, rue de l'Église\nSainte-Adèle (Québec)",
            region=regions["les-pays-d-en-haut"],
            capacity=20,
            total_cost=Decimal("1200.00"),
            cost_rule=EventPage.CostRule.PER_ORGANISATION,
            cost_cap=Decimal("400.00"),
            threshold=3,
            threshold_unit=EventPage.Threshold.ORGANISATIONS,
            decision_date=timezone.localdate() + datetime.timedelta(days=20),
            registration_closes=at(23, 17),
            summary="Une formatrice d'expérience, une journée, un coût partagé entre les organismes inscrits.",
            description=[
                paragraph(
                    "<p>Recruter, encadrer, reconnaître : des outils concrets pour les équipes bénévoles.</p>"
                )
            ],
        ),
        dict(
            slug="reseautage-basses-laurentides",
            title="Café-réseautage des Basses-Laurentides",
            kind=kinds["reseautage"],
            start=at(12, 8, 30),
            end=at(12, 10, 30),
            venue="Café de la coopérative (fictif)",
            address="78, rue Principale\nSaint-Eustache (Québec)",
            region=regions["deux-montagnes"],
            capacity=30,
            summary="Deux heures pour présenter ce que votre organisme peut partager et ce qu'il cherche.",
        ),
        dict(
            slug="webinaire-ententes",
            title="Webinaire : rédiger une entente de mutualisation",
            kind=kinds["webinaire"],
            start=at(8, 12),
            end=at(8, 13),
            online_url="https://visio.example.org/entente",
            capacity=100,
            summary="Une heure pour passer en revue un modèle d'entente, clause par clause.",
        ),
        dict(
            slug="atelier-transport-partage",
            title="Atelier : partager un véhicule",
            kind=kinds["reseautage"],
            start=at(-20, 13),
            end=at(-20, 15),
            venue="Salle municipale (fictive)",
            address="3, rue du Marché\nMont-Laurier (Québec)",
            region=regions["antoine-labelle"],
            capacity=25,
            state=EventPage.State.CONFIRMED,
            summary="Retour d'expérience de trois organismes qui partagent une camionnette.",
        ),
    ]
    created = 0
    for fields in events:
        if index.get_children().filter(slug=fields["slug"]).exists():
            continue
        child_page(index, EventPage, **fields)
        created += 1
    events = in_default_locale(EventPage.objects.all())
    past = events.filter(slug="atelier-transport-partage").first()
    if past and not past.registrations.exists():
        for org, contact, seats, attended in [
            ("Comptoir alimentaire du Nord (fictif)", "Nathalie Bélanger", 2, 2),
            ("Popote roulante de Mirabel (fictif)", "Luc Ouellet", 1, 1),
            ("Friperie solidaire (fictif)", "Sophie Lavoie", 2, 1),
        ]:
            Registration.objects.create(
                event=past,
                organisation=org,
                contact_name=contact,
                email=demo_address(contact),
                seats=seats,
                state=Registration.State.CONFIRMED,
                attended=attended,
            )
    training = events.filter(slug="formation-gestion-benevoles").first()
    if training and not training.registrations.exists():
        for org, contact in [
            ("Maison des jeunes des Laurentides (fictif)", "Julie Gagnon"),
            ("Centre d'entraide des Pays-d'en-Haut (fictif)", "Martin Bouchard"),
        ]:
            Registration.objects.create(
                event=training,
                organisation=org,
                contact_name=contact,
                email=demo_address(contact),
                seats=2,
                state=Registration.State.CONFIRMED,
            )
    # Earlier seeds wrote a placeholder for every contact ("Bonjour Personne-ressource,"): name them.
    for registration in Registration.objects.filter(contact_name=PLACEHOLDER_CONTACT).order_by("pk"):
        contact = INVENTED_CONTACTS[registration.pk % len(INVENTED_CONTACTS)]
        registration.contact_name, registration.email = contact, demo_address(contact)
        registration.save(update_fields=["contact_name", "email"])
    add_menu_link(index)
    stdout.write(f"Événements : {created} ajouté(s).")


def add_menu_link(index):
    nav = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    if any(item.value.get("page") and item.value["page"].pk == index.pk for item in nav.main_menu):
        return
    nav.main_menu.insert(2, ("link", {"label": "Événements", "page": index, "url": ""}))
    nav.save()
