"""The demo's member organisations (invented names). The demo's posts, registrations and subscribers
link to them by name when they are created (website.models.OrganisationLinked); names no one entered
here become unverified organisations, as a visitor's would, for the editors' review queue."""

from wagtail.models import Site

from website.models import NavigationSettings, Organisation, OrganisationAlias

NON_PROFIT, COOPERATIVE, SOCIAL_ECONOMY = "obnl", "cooperative", "economie_sociale"

# (name, short name, kind, regions, description, public profile, verified, aliases)
ORGANISATIONS = [
    (
        "Comptoir alimentaire du Nord (fictif)",
        "CAN",
        NON_PROFIT,
        ["antoine-labelle"],
        "Dépannage alimentaire et cuisines collectives; prête sa chambre froide aux organismes voisins.",
        True,
        True,
        ["CAN (fictif)"],
    ),
    (
        "Popote roulante de Mirabel (fictif)",
        "",
        NON_PROFIT,
        ["mirabel"],
        "Repas livrés aux aînés; partage ses véhicules et ses bénévoles livreurs.",
        True,
        True,
        [],
    ),
    (
        "Friperie solidaire (fictif)",
        "",
        SOCIAL_ECONOMY,
        ["deux-montagnes", "therese-de-blainville"],
        "Vêtements à petit prix et insertion en emploi; offre son local de tri le soir.",
        True,
        True,
        ["Friperie solidaire Basses-Laurentides (fictif)"],
    ),
    (
        "Coopérative de services d'Antoine-Labelle (fictif)",
        "",
        COOPERATIVE,
        ["antoine-labelle"],
        "Services partagés de comptabilité et de paie pour les organismes de la MRC.",
        True,
        True,
        [],
    ),
    (
        "Maison des jeunes des Laurentides (fictif)",
        "MDJ Laurentides",
        NON_PROFIT,
        ["les-laurentides"],
        "Milieu de vie pour les 12 à 17 ans; prête sa salle et son équipement audio.",
        True,
        True,
        [],
    ),
    (
        "Centre communautaire des Pays-d'en-Haut (fictif)",
        "",
        NON_PROFIT,
        ["les-pays-d-en-haut"],
        "Salles à louer à prix coûtant et activités pour toutes les générations.",
        True,
        True,
        [],
    ),
    (
        "Centre d'entraide des Pays-d'en-Haut (fictif)",
        "",
        NON_PROFIT,
        ["les-pays-d-en-haut"],
        "Accompagnement, transport et entraide pour les personnes seules.",
        True,
        True,
        [],
    ),
    (
        "Centre d'alphabétisation Deux-Montagnes (fictif)",
        "",
        NON_PROFIT,
        ["deux-montagnes"],
        "Ateliers d'alphabétisation et de francisation pour adultes.",
        True,
        False,
        [],
    ),
    # Verified, but without consent to a public profile: the directory does not show it.
    ("Association des aînés de Mirabel (fictif)", "", NON_PROFIT, ["mirabel"], "", False, True, []),
]


def seed_organisations(regions):
    """Create the demo's organisations once (a known name is left as an editor may have changed it)."""
    for name, short_name, kind, region_slugs, description, public, verified, aliases in ORGANISATIONS:
        if Organisation.objects.matching(name).exists():
            continue
        organisation = Organisation.objects.create(
            name=name,
            short_name=short_name,
            kind=kind,
            description=description,
            public_profile=public,
            verified=verified,
        )
        organisation.regions.set([regions[slug] for slug in region_slugs])
        organisation.save()  # a parental many-to-many is written with its organisation
        for order, alias in enumerate(aliases):
            OrganisationAlias.objects.create(organisation=organisation, name=alias, sort_order=order)


def add_directory_link():
    """The directory in the footer (once; the English label comes with the demo's others)."""
    nav = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    if any(item.value.get("url") == "/organismes/" for item in nav.footer_links):
        return
    nav.footer_links.append(("link", {"label": "Organismes membres", "page": None, "url": "/organismes/"}))
    nav.save()
