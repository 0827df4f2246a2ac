"""Reference data every app uses: the regions (MRC) and the resource categories."""

from website.models import Region, ResourceCategory

REGIONS = [
    ("antoine-labelle", "Antoine-Labelle"),
    ("argenteuil", "Argenteuil"),
    ("deux-montagnes", "Deux-Montagnes"),
    ("la-riviere-du-nord", "La Rivière-du-Nord"),
    ("les-laurentides", "Les Laurentides"),
    ("les-pays-d-en-haut", "Les Pays-d'en-Haut"),
    ("mirabel", "Mirabel"),
    ("therese-de-blainville", "Thérèse-De Blainville"),
]

CATEGORIES = [
    ("equipement", "Équipement", "Equipment", "Matériel, outils, véhicules à prêter ou à partager."),
    ("locaux", "Locaux", "Premises", "Salles, bureaux, entrepôts partagés."),
    ("ressources-humaines", "Ressources humaines", "Human resources", "Personnel partagé entre organismes."),
    ("transport", "Transport", "Transport", "Déplacements et livraisons en commun."),
    ("formation", "Formation", "Training", "Formations dont on partage les coûts."),
    ("expertise", "Expertise", "Expertise", "Savoir-faire offert à d'autres organismes."),
    ("documents", "Documents", "Documents", "Modèles, politiques et outils à réutiliser."),
    ("autre", "Autre", "Other", "Toute autre ressource à mettre en commun."),
]


def seed_regions():
    for order, (slug, name) in enumerate(REGIONS):
        Region.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    return {r.slug: r for r in Region.objects.all()}


def seed_categories():
    for order, (slug, name, name_en, description) in enumerate(CATEGORIES):
        ResourceCategory.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "description": description, "sort_order": order},
        )
    return {c.slug: c for c in ResourceCategory.objects.all()}
