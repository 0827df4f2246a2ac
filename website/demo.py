"""Demo content for the information axis, in French, paraphrasing the article the project grew from.

Idempotent: every object is looked up by a stable key (slug, title, username) before it is created.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.models import Collection, Locale, Page, Site

from website.demo_organisations import add_directory_link, seed_organisations
from website.i18n import in_default_locale
from website.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    ContentPage,
    HomePage,
    NavigationSettings,
    OrganisationSettings,
    PrivacyPolicyPage,
    Region,
    ResourceCategory,
    ResourceDocument,
    ResourceLibraryPage,
    SupportRequestPage,
)
from website.models.pages import CaseStudyOrganisation, SupportFormField
from website.permissions import ensure_groups

DEMO_EDITOR = ("editeur", "maillon-demo")

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


def paragraph(html):
    return {"type": "paragraph", "value": html}


def heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def seed(stdout):
    regions = seed_regions()
    categories = seed_categories()
    seed_organisations(regions)
    # Both exist after migrate; a test database flushed between tests may have lost them.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code="en")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = seed_home()
    about = seed_about(home)
    stories = seed_case_studies(home, regions, categories)
    library = seed_library(home, categories)
    support = seed_support_form(home)
    seed_privacy_policy(home)
    seed_settings(home.get_site(), [about, stories, library, support])
    add_directory_link()
    user_created = seed_editor()
    stdout.write(
        f"Compte de démonstration : identifiant « {DEMO_EDITOR[0]} », mot de passe « {DEMO_EDITOR[1]} »"
        + (" (créé)" if user_created else "")
    )


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


def seed_privacy_policy(home):
    """The privacy policy (Law 25): the editor's text; the page adds who is responsible and the
    retention periods from the settings."""
    return child_page(
        home,
        PrivacyPolicyPage,
        "politique-de-confidentialite",
        title="Politique de confidentialité",
        intro=(
            "Le réseau recueille le moins de renseignements personnels possible, seulement pour les fins "
            "annoncées, et les efface quand ils ne servent plus. Voici ce que nous recueillons, pourquoi, qui "
            "y a accès, combien de temps nous le gardons et comment exercer vos droits, comme le prévoit la "
            "Loi sur la protection des renseignements personnels dans le secteur privé (Loi 25)."
        ),
        body=[
            heading("Ce que chaque formulaire recueille, et pourquoi"),
            paragraph(
                "<ul>"
                "<li><b>Infolettre</b> : votre courriel, et si vous les donnez votre prénom et votre organisme, "
                "la langue et les thèmes choisis; la date, le formulaire, le texte accepté et l'adresse IP de "
                "votre consentement. Pour vous envoyer l'infolettre et prouver que vous l'avez demandée.</li>"
                "<li><b>Publier une annonce au babillard</b> : le nom de la personne-ressource, son courriel, "
                "son téléphone (affiché seulement si vous le demandez), l'organisme, l'annonce et son image. "
                "Pour confirmer et modérer l'annonce, vous transmettre les messages et vous rappeler son "
                "expiration. Votre courriel n'est jamais affiché.</li>"
                "<li><b>Écrire à une personne par le babillard</b> : votre nom, votre organisme, votre courriel "
                "et votre message, transmis à la personne qui a publié l'annonce pour qu'elle vous réponde.</li>"
                "<li><b>Signaler une annonce</b> : votre courriel et le motif, vus seulement par l'équipe, pour "
                "éviter les signalements en double.</li>"
                "<li><b>Alertes du babillard</b> : votre courriel, vos critères et votre consentement, pour vous "
                "envoyer les nouvelles annonces qui y correspondent.</li>"
                "<li><b>Inscription à un événement</b> : le nom et le courriel de la personne responsable, "
                "l'organisme, le nombre de places, les noms des participantes et participants, les restrictions "
                "alimentaires, les besoins d'accessibilité et les réponses aux questions de l'événement. Pour "
                "organiser l'événement et vous écrire à son sujet; les besoins ne sont vus que par l'équipe "
                "qui l'organise.</li>"
                "<li><b>Demande d'accompagnement</b> : l'organisme, la personne-ressource, ses coordonnées, la "
                "région et le projet, pour que l'équipe communique avec vous.</li>"
                "</ul>"
            ),
            heading("Ce que nous ne faisons pas"),
            paragraph(
                "<p>Nous ne vendons ni ne louons aucun renseignement. Nous ne les communiquons qu'aux "
                "fournisseurs qui nous permettent d'offrir le service (hébergement, envoi des courriels), "
                "liés par contrat à la même confidentialité. L'infolettre ne mesure pas les ouvertures ni les "
                "clics, sauf pour un numéro où l'équipe l'a activé. Le site n'utilise aucun témoin (cookie) "
                "publicitaire ou de mesure d'audience.</p>"
            ),
            heading("Qui y a accès"),
            paragraph(
                "<p>Seuls les membres de l'équipe qui en ont besoin pour leur tâche, chacun selon son rôle : "
                "la modération du babillard, les inscriptions aux événements, l'infolettre.</p>"
            ),
            heading("Vos droits"),
            paragraph(
                "<p>Vous pouvez demander à consulter les renseignements que nous avons à votre sujet, les "
                "faire corriger, retirer votre consentement, les recevoir dans un format structuré (un fichier "
                "JSON) et les faire effacer. Le lien « Mes préférences » présent dans chaque infolettre permet "
                "de télécharger vos données et de les effacer vous-même; sinon, écrivez à la personne "
                "responsable nommée plus haut. Nous répondons dans les 30 jours.</p>"
                "<p>Une adresse effacée n'est gardée que sous forme d'empreinte chiffrée, qui ne permet pas de "
                "la retrouver : elle empêche seulement qu'une inscription ou une importation la rajoute. Pour "
                "vous abonner de nouveau, écrivez à la personne responsable.</p>"
                "<p>Si notre réponse ne vous satisfait pas, vous pouvez vous adresser à la Commission d'accès "
                "à l'information du Québec.</p>"
            ),
            heading("Incidents de confidentialité"),
            paragraph(
                "<p>Nous tenons un registre des incidents de confidentialité. Si un incident présente un "
                "risque de préjudice sérieux, nous en avisons la Commission d'accès à l'information et les "
                "personnes concernées.</p>"
            ),
        ],
    )


def seed_settings(site, menu_pages):
    org = OrganisationSettings.for_site(site)
    if not org.postal_address:
        org.name = "Réseau régional de mutualisation (démo)"
        org.postal_address = "123, rue Principale\nSaint-Jérôme (Québec) J7Z 1A1"
        org.phone = "450 555-0100"
        org.contact_email = "info@example.org"
        org.privacy_officer_name = "Responsable de la protection des renseignements personnels"
        org.privacy_officer_email = "vie-privee@example.org"
        org.save()
    nav = NavigationSettings.for_site(site)
    if not nav.main_menu:
        labels = ["La mutualisation", "Histoires", "Ressources", "Accompagnement"]
        nav.main_menu = [
            ("link", {"label": label, "page": page, "url": ""})
            for label, page in zip(labels, menu_pages, strict=True)
        ]
        nav.footer_links = [
            ("link", {"label": "Demande d'accompagnement", "page": menu_pages[-1], "url": ""})
        ]
        nav.footer_text = "Maillon : plateforme libre de mutualisation pour les réseaux régionaux."
        nav.save()


# The demo's menu and footer labels in English (each app's demo adds its own menu link in French).
ENGLISH_LABELS = {
    "La mutualisation": "Resource sharing",
    "Babillard": "Bulletin board",
    "Événements": "Events",
    "Histoires": "Stories",
    "Ressources": "Resources",
    "Accompagnement": "Support",
    "Infolettre": "Newsletter",
    "Demande d'accompagnement": "Request support",
    "Organismes membres": "Member organisations",
}
ENGLISH_FOOTER_TEXT = "Maillon: open-source resource-sharing platform for regional networks."


def translate_navigation(site):
    """Give the demo's menu and footer links their English labels, where an editor has not written one."""
    nav = NavigationSettings.for_site(site)
    changed = False
    for stream in (nav.main_menu, nav.footer_links):
        for item in stream:
            english = ENGLISH_LABELS.get(item.value.get("label"))
            if english and not item.value.get("label_en"):
                item.value["label_en"] = english
                changed = True
    if nav.footer_text and not nav.footer_text_en:
        nav.footer_text_en = ENGLISH_FOOTER_TEXT
        changed = True
    if changed:
        nav.save()


def seed_editor():
    """The demo login: in every named group (so the demo shows every screen), never a superuser."""
    User = get_user_model()
    username, password = DEMO_EDITOR
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": "editeur@example.org", "first_name": "Éditrice", "last_name": "Démo"},
    )
    if created:
        user.set_password(password)
    # An older demo made this login a superuser: it holds exactly the named groups' rights now.
    user.is_staff = False
    user.is_superuser = False
    user.save()
    user.groups.add(*ensure_groups().values())
    return created
