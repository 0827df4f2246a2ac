"""The demo's pages of the information axis: home, about, stories, library, support form."""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.models import Locale, Page, Site

from website.demo.reference import CATEGORIES, REGIONS
from website.i18n import in_default_locale
from website.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    ContentPage,
    HomePage,
    ResourceDocument,
    ResourceLibraryPage,
    SupportRequestPage,
)
from website.models.pages import CaseStudyOrganisation, SupportFormField


def paragraph(html):
    return {"type": "paragraph", "value": html}


def heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def child_page(parent, model, slug, **fields):
    """The child of `parent` with this slug, created (and published) the first time only."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def seed_home():
    existing = in_default_locale(HomePage.objects).first()
    if existing is not None:
        return existing
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=Locale.get_default())
    )
    home = HomePage(
        title="Accueil",
        slug="accueil",
        hero_title="Mettre nos ressources en commun, ensemble",
        hero_text=(
            "Maillon relie les organismes de la région qui partagent du matériel, des locaux, "
            "du personnel, du transport, des documents et de l'expertise."
        ),
        intro=(
            "<p>Le chantier mutualisation du réseau régional de développement social s'articule "
            "autour de quatre axes : <b>informer</b>, <b>mobiliser</b>, <b>accompagner</b>, "
            "<b>documenter et mesurer</b>. Infolettre, babillard, formations, rencontres de "
            "réseautage et journée régionale : tout se retrouve ici.</p>"
        ),
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site else None
    address = urlsplit(settings.SITE_URL)
    if site is None:
        site = Site(is_default_site=True)
    site.hostname = address.hostname or "localhost"
    site.port = address.port or (443 if address.scheme == "https" else 80)
    site.root_page = home
    site.site_name = "Maillon"
    site.save()
    if old_root is not None and old_root.pk != home.pk and old_root.specific_class is not HomePage:
        old_root.delete()
    return home


def seed_about(home):
    return child_page(
        home,
        ContentPage,
        "mutualisation",
        title="La mutualisation, c'est quoi ?",
        intro=(
            "Mutualiser, c'est mettre en commun des ressources entre deux organisations ou plus "
            "pour que chacune y gagne."
        ),
        body=[
            heading("Partager pour faire plus"),
            paragraph(
                "<p>Un organisme prête sa camionnette le mardi, un autre ouvre sa salle de formation, "
                "un troisième partage une ressource en comptabilité deux jours par semaine. "
                "On peut mettre en commun du matériel, des connaissances, du personnel, du transport, "
                "des documents ou de l'expertise. Le point de départ : chaque partenaire doit y trouver "
                "son compte.</p>"
            ),
            heading("À qui s'adresse le chantier ?"),
            paragraph(
                "<p>Surtout aux organismes à but non lucratif et aux entreprises d'économie sociale. "
                "Une entreprise privée peut aussi être accompagnée lorsqu'elle mutualise avec un OBNL.</p>"
            ),
            heading("Ce que la mutualisation apporte"),
            paragraph(
                "<ul><li>des économies de matériel et d'argent;</li>"
                "<li>une meilleure position auprès des bailleurs de fonds, qui apprécient les projets "
                "portés à plusieurs plutôt qu'en silo;</li>"
                "<li>du temps dégagé à long terme pour aller chercher d'autres ressources;</li>"
                "<li>une organisation mieux structurée, puisqu'il faut s'entendre sur les règles du partage.</li></ul>"
            ),
            {
                "type": "quote",
                "value": {
                    "quote": "Quand deux organismes y trouvent leur avantage, la mutualisation est déjà gagnante.",
                    "attribution": "Équipe du chantier mutualisation",
                },
            },
            heading("Nos quatre axes"),
            paragraph(
                "<p><b>Informer</b> par l'infolettre et ce site; <b>mobiliser</b> par le babillard, les "
                "rencontres de réseautage et la journée régionale; <b>accompagner</b> les organismes "
                "qui démarrent un projet; <b>documenter et mesurer</b> les retombées grâce aux histoires "
                "de mutualisation.</p>"
            ),
        ],
    )


def seed_case_studies(home, regions, categories):
    index = child_page(
        home,
        CaseStudyIndexPage,
        "histoires",
        title="Histoires de mutualisation",
        intro="<p>Des organismes de la région racontent ce qu'ils partagent et ce que ça leur rapporte.</p>",
    )
    if not index.get_children().filter(slug="formation-commune").exists():
        story = CaseStudyPage(
            title="Deux organismes forment leurs équipes ensemble",
            slug="formation-commune",
            summary=(
                "Une maison de la famille et un centre d'entraide organisent désormais leurs "
                "formations du personnel en commun : mêmes formateurs, coûts partagés, équipes qui "
                "se connaissent mieux."
            ),
            since=datetime.date(2025, 9, 1),
            outcomes=(
                "<ul><li>Coût de chaque formation divisé par deux.</li>"
                "<li>Des intervenantes des deux organismes qui se réfèrent maintenant des familles.</li>"
                "<li>Une demande de financement déposée conjointement.</li></ul>"
            ),
            body=[
                paragraph(
                    "<p>Chacun de leur côté, les deux organismes payaient une formation en intervention "
                    "auprès des familles pour deux ou trois employées à la fois. En regroupant leurs "
                    "équipes, ils remplissent une classe complète et partagent la facture selon le nombre "
                    "de places utilisées.</p>"
                ),
            ],
            savings_money=Decimal("4800.00"),
            savings_hours=60,
            savings_km=900,
        )
        story.organisations = [
            CaseStudyOrganisation(name="Maison de la famille du Nord (fictif)"),
            CaseStudyOrganisation(name="Centre d'entraide des Pays-d'en-Haut (fictif)"),
        ]
        index.add_child(instance=story)
        story.shared_categories.set([categories["formation"], categories["ressources-humaines"]])
        story.regions.set([regions["les-pays-d-en-haut"], regions["la-riviere-du-nord"]])
        story.save_revision().publish()
    return index


DOCUMENTS = [
    (
        "Modèle d'entente de mutualisation",
        "documents",
        "modele-entente-mutualisation.txt",
        "Un gabarit d'entente à adapter : objet du partage, durée, partage des coûts, assurance, fin de l'entente.",
        "MODÈLE D'ENTENTE DE MUTUALISATION\n\n1. Parties\n2. Ressource partagée\n3. Durée\n"
        "4. Partage des coûts\n5. Responsabilités et assurances\n6. Fin de l'entente\n",
    ),
    (
        "Démarrer un projet de mutualisation : les étapes",
        "expertise",
        "demarrer-un-projet.txt",
        "Les étapes pour passer de l'idée à l'entente signée, avec les questions à se poser à chacune.",
        "DÉMARRER UN PROJET DE MUTUALISATION\n\n- Nommer le besoin\n- Trouver le partenaire\n"
        "- S'entendre sur les règles\n- Mesurer les retombées\n",
    ),
    (
        "Grille de partage des coûts de formation",
        "formation",
        "grille-partage-couts.csv",
        "Un tableau pour répartir le coût d'une formation entre organismes, à parts égales ou par place.",
        "organisme;places;part\nOrganisme A;3;\nOrganisme B;2;\n",
    ),
]


def seed_library(home, categories):
    library = child_page(
        home,
        ResourceLibraryPage,
        "ressources",
        title="Bibliothèque de ressources",
        intro="<p>Modèles, guides et outils pour mutualiser, à télécharger librement.</p>",
    )
    for title, category, filename, description, content in DOCUMENTS:
        if ResourceDocument.objects.filter(title=title).exists():
            continue
        doc = ResourceDocument(title=title, category=categories[category], description=description)
        doc.file.save(filename, ContentFile(content.encode("utf-8")), save=False)
        doc.save()
    return library


SUPPORT_FIELDS = [
    ("Nom de l'organisme", "singleline", True, ""),
    ("Personne-ressource", "singleline", True, ""),
    ("Courriel", "email", True, ""),
    ("Téléphone", "singleline", False, ""),
    ("Région", "dropdown", True, "\n".join(name for _slug, name in REGIONS)),
    (
        "Ce que vous souhaitez mutualiser",
        "checkboxes",
        False,
        "\n".join(name for _slug, name, _en, _d in CATEGORIES),
    ),
    ("Décrivez votre projet", "multiline", True, ""),
]


def seed_support_form(home):
    if home.get_children().filter(slug="accompagnement").exists():
        return home.get_children().get(slug="accompagnement").specific
    page = SupportRequestPage(
        title="Demande d'accompagnement",
        slug="accompagnement",
        intro=(
            "<p>Vous avez une idée de partage avec un autre organisme? L'équipe du chantier peut vous "
            "aider à la structurer : trouver le bon partenaire, rédiger l'entente, mesurer les "
            "retombées.</p>"
        ),
        thank_you_text="<p>Merci! Une personne de l'équipe communiquera avec vous d'ici cinq jours ouvrables.</p>",
        to_address="accompagnement@example.org",
        subject="Nouvelle demande d'accompagnement",
    )
    page.form_fields = [
        SupportFormField(label=label, field_type=kind, required=required, choices=choices, sort_order=i)
        for i, (label, kind, required, choices) in enumerate(SUPPORT_FIELDS)
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
