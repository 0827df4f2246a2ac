"""Demo newsletter: topics, a few confirmed subscribers (example.org) with their consent, the
/infolettre/ page, its archive and one past issue that pulls in board posts and events."""

from django.utils import timezone
from wagtail.models import Site

from newsletter.models import (
    ConsentRecord,
    NewsletterArchivePage,
    NewsletterIndexPage,
    NewsletterIssuePage,
    Subscriber,
    Topic,
)
from newsletter.services import SIGNUP_WORDING
from website.demo import child_page
from website.i18n import in_default_locale
from website.models import HomePage, NavigationSettings

TOPICS = [
    ("generale", "Infolettre générale", "General newsletter"),
    ("formations", "Formations", "Trainings"),
    ("babillard", "Babillard", "Bulletin board"),
]
SUBSCRIBERS = [
    ("annie@example.org", "Annie", "Maison de la famille du Nord (fictif)", "fr-ca"),
    ("bruno@example.org", "Bruno", "Popote roulante de Mirabel (fictif)", "fr-ca"),
    ("carol@example.org", "Carol", "Friperie solidaire (fictif)", "en"),
]


def seed(stdout):
    topics = seed_topics()
    seed_subscribers(topics)
    index = seed_pages(topics)
    add_menu_link(index)
    stdout.write("Infolettre : thèmes, abonnés de démonstration et un numéro archivé prêts.")


def seed_topics():
    topics = []
    for order, (slug, name, name_en) in enumerate(TOPICS):
        topic, _ = Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
        topics.append(topic)
    return topics


def seed_subscribers(topics):
    """Confirmed subscribers of every topic, with the consent they gave (form, then link)."""
    for email, first_name, organisation, language in SUBSCRIBERS:
        subscriber, created = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "organisation": organisation,
                "language": language,
                "state": Subscriber.State.CONFIRMED,
                "confirmed_at": timezone.now(),
            },
        )
        if created:
            subscriber.topics.set(topics)
            ConsentRecord.objects.create(
                subscriber=subscriber,
                action=ConsentRecord.Action.SUBSCRIBED,
                method=ConsentRecord.Method.FORM,
                kind=ConsentRecord.Kind.EXPRESS,
                wording=str(SIGNUP_WORDING),
            )
            ConsentRecord.objects.create(
                subscriber=subscriber,
                action=ConsentRecord.Action.CONFIRMED,
                method=ConsentRecord.Method.LINK,
                kind=ConsentRecord.Kind.EXPRESS,
            )


def seed_pages(topics):
    """/infolettre/, its archive and, the first time, one past issue. Returns the index page."""
    home = in_default_locale(HomePage.objects).get()
    index = child_page(
        home,
        NewsletterIndexPage,
        "infolettre",
        title="Infolettre",
        intro="<p>Une fois par mois : les formations à venir, les nouvelles annonces du babillard et une histoire de mutualisation.</p>",
    )
    archive = child_page(index, NewsletterArchivePage, "archives", title="Archives de l'infolettre")
    if not archive.get_children().exists():
        issue = child_page(
            archive,
            NewsletterIssuePage,
            "novembre-2026",
            title="Infolettre — novembre 2026",
            subject="Mutualisation : une camionnette, une salle et une formation à partager",
            preheader="Les nouveautés du babillard et les prochaines formations.",
            body=[
                {"type": "heading", "value": {"text": "Le mot de l'équipe", "level": "h2"}},
                {
                    "type": "text",
                    "value": "<p>Ce mois-ci, trois organismes ont trouvé un partenaire grâce au babillard. Voici les dernières offres et les prochaines occasions de se rencontrer.</p>",
                },
                {
                    "type": "latest_posts",
                    "value": {"title": "Nouveau au babillard", "kind": "", "category": "", "limit": 5},
                },
                {
                    "type": "upcoming_events",
                    "value": {"title": "Prochains événements", "kind": "", "limit": 5},
                },
            ],
        )
        issue.topics.set(topics[:1])
    return index


def add_menu_link(index):
    nav = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    if not any(item.value.get("page") and item.value["page"].pk == index.pk for item in nav.main_menu):
        nav.main_menu.append(("link", {"label": "Infolettre", "page": index, "url": ""}))
        nav.save()
