"""Demo posts for the babillard: offers, requests and announcements across the region.

Written straight into the database (no emails): published, pending and expired posts, including an
offer and a request that match each other. Idempotent: looked up by title.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Site

from bulletin.models import Post
from website.models import NavigationSettings, Organisation, Region, ResourceCategory

P, PENDING, EXPIRED, CLOSED = Post.State.PUBLISHED, Post.State.PENDING, Post.State.EXPIRED, Post.State.CLOSED
OFFER, REQUEST, NEWS = Post.Kind.OFFER, Post.Kind.REQUEST, Post.Kind.ANNOUNCEMENT

POSTS = [
    # (kind, state, category, regions, title, organisation, description, extra fields, age in days)
    (
        OFFER,
        P,
        "transport",
        ["la-riviere-du-nord", "mirabel"],
        "Camionnette disponible les mardis",
        "Comptoir alimentaire du Nord (fictif)",
        "Notre camionnette (12 places, ou chargement) dort les mardis. Nous la prêtons à un organisme qui "
        "partage l'essence et l'entretien au prorata des kilomètres.",
        {"transport_route": "Saint-Jérôme ↔ Mirabel", "available_from": 0},
        2,
    ),
    (
        REQUEST,
        P,
        "transport",
        ["mirabel"],
        "Transport pour nos livraisons du mardi",
        "Popote roulante de Mirabel (fictif)",
        "Nous cherchons un véhicule pour livrer une quarantaine de repas le mardi matin, de 9 h à midi.",
        {},
        1,
    ),
    (
        OFFER,
        P,
        "locaux",
        ["les-pays-d-en-haut"],
        "Salle de formation de 30 places",
        "Centre communautaire des Pays-d'en-Haut (fictif)",
        "Salle claire avec projecteur et tableau, libre les jeudis et un samedi sur deux. Cuisine attenante.",
        {"premises_capacity": 30, "premises_accessible": True},
        4,
    ),
    (
        REQUEST,
        P,
        "locaux",
        ["therese-de-blainville", "deux-montagnes"],
        "Local d'entreposage pour vêtements",
        "Friperie solidaire Basses-Laurentides (fictif)",
        "Nous cherchons 20 m² au sec pour entreposer les dons saisonniers, idéalement au rez-de-chaussée.",
        {},
        6,
    ),
    (
        OFFER,
        P,
        "ressources-humaines",
        ["antoine-labelle"],
        "Comptable à partager deux jours par semaine",
        "Coopérative de services d'Antoine-Labelle (fictif)",
        "Notre technicienne comptable a deux jours libres par semaine. Nous proposons de partager son poste "
        "avec un ou deux organismes, au coût réel.",
        {"staff_hours_per_week": Decimal("14.0")},
        8,
    ),
    (
        REQUEST,
        P,
        "formation",
        ["les-laurentides", "antoine-labelle"],
        "Formation en secourisme à partager",
        "Maison des jeunes des Laurentides (fictif)",
        "Nous avons 4 animateurs à former en premiers soins. Qui veut compléter le groupe et partager le coût?",
        {"training_seats": 4, "training_cost": Decimal("1200.00")},
        3,
    ),
    (
        OFFER,
        P,
        "equipement",
        ["argenteuil"],
        "Chapiteau et tables pour vos événements",
        "Festival communautaire d'Argenteuil (fictif)",
        "Chapiteau 6 m × 12 m, 20 tables pliantes et 150 chaises. Prêt contre transport et remise en état.",
        {},
        10,
    ),
    (
        OFFER,
        P,
        "documents",
        ["la-riviere-du-nord", "les-laurentides", "mirabel"],
        "Politique de télétravail prête à adapter",
        "Regroupement des organismes familles (fictif)",
        "Nous avons rédigé une politique de télétravail validée par une avocate. Nous la partageons gratuitement.",
        {},
        12,
    ),
    (
        NEWS,
        P,
        "expertise",
        ["la-riviere-du-nord"],
        "Clinique gratuite : démarrer une entente de partage",
        "Équipe du chantier mutualisation",
        "Une heure avec une conseillère pour structurer votre projet de mutualisation. Sur rendez-vous.",
        {},
        5,
    ),
    (
        REQUEST,
        PENDING,
        "equipement",
        ["deux-montagnes"],
        "Projecteur pour nos ateliers",
        "Centre d'alphabétisation Deux-Montagnes (fictif)",
        "Nous cherchons un projecteur à emprunter une fois par mois.",
        {},
        0,
    ),
    (
        OFFER,
        PENDING,
        "expertise",
        ["les-pays-d-en-haut"],
        "Aide pour vos demandes de subvention",
        "Collectif des rédactrices bénévoles (fictif)",
        "Trois bénévoles relisent vos demandes de financement avant le dépôt.",
        {},
        0,
    ),
    (
        OFFER,
        CLOSED,
        "equipement",
        ["antoine-labelle", "mirabel"],
        "Chambre froide à partager cet été",
        "Comptoir alimentaire du Nord (fictif)",
        "Notre chambre froide a de la place de juin à août. Nous la partageons avec un organisme qui "
        "reçoit des dons de denrées fraîches.",
        {
            "outcome": Post.Outcome.SHARED,
            "partner_organisation": "Popote roulante de Mirabel (fictif)",
            "savings_money": Decimal("1800.00"),
            "savings_hours": 40,
        },
        120,
    ),
    (
        OFFER,
        EXPIRED,
        "equipement",
        ["mirabel"],
        "Photocopieur à donner",
        "Association des aînés de Mirabel (fictif)",
        "Photocopieur noir et blanc en bon état, à venir chercher.",
        {},
        90,
    ),
]


# Invented people, one per demo post (title → contact name), so emails greet someone real-looking.
CONTACTS = {
    "Camionnette disponible les mardis": "Martine Gagnon",
    "Transport pour nos livraisons du mardi": "Luc Bergeron",
    "Salle de formation de 30 places": "Nadia Ouellet",
    "Local d'entreposage pour vêtements": "Samuel Lavoie",
    "Comptable à partager deux jours par semaine": "Josée Tremblay",
    "Formation en secourisme à partager": "Karim Benali",
    "Chapiteau et tables pour vos événements": "Chantal Pelletier",
    "Politique de télétravail prête à adapter": "Geneviève Roy",
    "Clinique gratuite : démarrer une entente de partage": "Étienne Fortin",
    "Projecteur pour nos ateliers": "Marie-Claude Dubé",
    "Aide pour vos demandes de subvention": "Hélène Côté",
    "Photocopieur à donner": "Robert Gauthier",
    "Chambre froide à partager cet été": "Sylvie Paquette",
}
PLACEHOLDER_CONTACT = "Personne-ressource"  # what earlier seeds wrote; replaced on the next seed


def demo_address(name):
    """ "Marie-Claude Dubé" → "marie-claude.dube@example.org" (a reserved domain: never delivered)."""
    local = ".".join(slugify(part) for part in name.split(" "))
    return f"{local}@example.org"


def seed(stdout):
    today = timezone.localdate()
    regions = {r.slug: r for r in Region.objects.all()}
    categories = {c.slug: c for c in ResourceCategory.objects.all()}
    created = 0
    for kind, state, category, region_slugs, title, organisation, description, extra, age in POSTS:
        contact = CONTACTS[title]
        if Post.objects.filter(title=title).exists():
            Post.objects.filter(title=title, contact_name=PLACEHOLDER_CONTACT).update(
                contact_name=contact, contact_email=demo_address(contact)
            )
            continue
        extra = dict(extra)
        if "available_from" in extra:
            extra["available_from"] = today + datetime.timedelta(days=extra["available_from"])
        if "partner_organisation" in extra:
            extra["partner"] = Organisation.objects.for_name(extra["partner_organisation"])
        published = timezone.now() - datetime.timedelta(days=age)
        post = Post.objects.create(
            kind=kind,
            state=state,
            category=categories[category],
            title=title,
            organisation=organisation,
            description=description,
            contact_name=contact,
            contact_email=demo_address(contact),
            expires_on=today - datetime.timedelta(days=1)
            if state in (EXPIRED, CLOSED)
            else Post.default_expiry(today),
            published_at=published if state in (P, EXPIRED, CLOSED) else None,
            closed_at=published + datetime.timedelta(days=60) if state == CLOSED else None,
            **extra,
        )
        post.regions.set([regions[slug] for slug in region_slugs])
        created += 1
    add_menu_link()
    stdout.write(f"Babillard : {created} annonce(s) ajoutée(s).")


def add_menu_link():
    site = Site.objects.get(is_default_site=True)
    nav = NavigationSettings.for_site(site)
    if any(item.value.get("url") == "/babillard/" for item in nav.main_menu):
        return
    nav.main_menu.insert(1, ("link", {"label": "Babillard", "page": None, "url": "/babillard/"}))
    nav.save()
