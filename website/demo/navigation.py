"""The demo's site settings, menu and footer, and their English labels."""

from website.models import NavigationSettings, OrganisationSettings


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
    "Impact": "Impact",
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
