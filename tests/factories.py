"""What the tests build, in one place: reference data, board posts, events and registrations, newsletter
subscribers, topics and issues, and the page tree a site needs (home, settings, each app's index).

Much cheaper than `seed_demo`, which stays for the tests of the demo itself (browser journeys, the
quick start). Reference data (regions, categories, event kinds, topics) uses the demo's slugs and names,
so a test reads the same words either way. Everything is looked up before it is created: building the
tree twice in a test gives the same pages.
"""

import datetime
import itertools
from urllib.parse import urlsplit

import factory
from django.conf import settings
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Collection, Locale, Page, Site

from bulletin.models import Post
from events import demo as events_demo
from events import services as event_services
from events.models import EventIndexPage, EventKind, EventPage
from newsletter import demo as newsletter_demo
from newsletter.models import (
    NewsletterArchivePage,
    NewsletterIndexPage,
    NewsletterIssuePage,
    Subscriber,
    Topic,
)
from website import accompaniment
from website import services as website_services
from website.demo import reference as website_demo
from website.i18n import in_default_locale, sync_page_tree
from website.models import HomePage, OrganisationSettings, Region, ResourceCategory, SupportRequestPage
from website.permissions import ensure_groups

# --- Reference data ---------------------------------------------------------------------------------


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"region-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"categorie-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class EventKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventKind
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"type-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


def reference_data():
    """The demo's regions, resource categories, event kinds and newsletter topics (names in both
    languages), without any of its content."""
    for order, (slug, name) in enumerate(website_demo.REGIONS):
        RegionFactory(slug=slug, name=name, sort_order=order)
    for order, (slug, name, name_en, description) in enumerate(website_demo.CATEGORIES):
        CategoryFactory(slug=slug, name=name, name_en=name_en, description=description, sort_order=order)
    for order, (slug, name, name_en, shares) in enumerate(events_demo.KINDS):
        EventKindFactory(slug=slug, name=name, name_en=name_en, shares_costs=shares, sort_order=order)
    for order, (slug, name, name_en) in enumerate(newsletter_demo.TOPICS):
        TopicFactory(slug=slug, name=name, name_en=name_en, sort_order=order)


# --- The page tree --------------------------------------------------------------------------------


def child_page(parent, model, slug, **fields):
    """The child of `parent` with this slug, created and published the first time only."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def home_page():
    """The home page at the root of the default site (at SITE_URL's host), both locales, the
    organisation's settings and the reference data: what every page of the site needs."""
    # Both exist after migrate; a transactional test's flush removed them.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code="en")
    existing = in_default_locale(HomePage.objects).first()
    if existing is not None:
        return existing
    reference_data()
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=Locale.get_default())
    )
    home = HomePage(title="Accueil", slug="accueil", hero_title="Mettre nos ressources en commun")
    root.add_child(instance=home)
    home.save_revision().publish()
    address = urlsplit(settings.SITE_URL)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    old_root = site.root_page if site.pk else None
    site.hostname, site.port = address.hostname, address.port or 80
    site.root_page, site.site_name = home, "Maillon"
    site.save()
    if old_root is not None and old_root.specific_class is not HomePage:
        old_root.delete()  # Wagtail's "Welcome" page made by its migrations
    org = OrganisationSettings.for_site(site)
    org.name = "Réseau régional de mutualisation (démo)"
    org.postal_address = "123, rue Principale\nSaint-Jérôme (Québec) J7Z 1A1"
    org.contact_email = "info@example.org"
    org.save()
    return home


def event_index():
    """The events listing at /evenements/ (with the home page and reference data), the events group's
    rights on it (as `seed_demo` gives them)."""
    index = child_page(home_page(), EventIndexPage, "evenements", title="Événements")
    ensure_groups()
    return index


def newsletter_archive():
    """The newsletter page at /infolettre/ and its archive, where issues go, with the newsletter
    group's rights on them."""
    index = child_page(home_page(), NewsletterIndexPage, "infolettre", title="Infolettre")
    archive = child_page(index, NewsletterArchivePage, "archives", title="Archives de l'infolettre")
    ensure_groups()
    return archive


def english_tree():
    """The English aliases of every page, as the admin makes them when an editor publishes."""
    sync_page_tree()


# --- Events -----------------------------------------------------------------------------------------


class EventMaker:
    """`make(**fields)`: a published event under the events index, ten days ahead by default
    (`in_days`), three hours long (`hours`), a training with ten places."""

    def __init__(self, index=None):
        self.index = index or event_index()
        self.count = itertools.count(1)

    def __call__(self, **fields):
        n = next(self.count)
        start = timezone.now() + datetime.timedelta(days=fields.pop("in_days", 10))
        hours = fields.pop("hours", 3)
        fields.setdefault("title", f"Événement {n}")
        fields.setdefault("slug", f"evenement-test-{n}")
        if "kind" not in fields:
            fields["kind"] = EventKind.objects.get(slug="formation")
        fields.setdefault("start", start)
        fields.setdefault("end", fields["start"] + datetime.timedelta(hours=hours))
        fields.setdefault("capacity", 10)
        fields.setdefault("max_seats", 10)  # the tests of the per-registration maximum set their own
        fields.setdefault("venue", "Salle A")
        event = EventPage(**fields)
        self.index.add_child(instance=event)
        event.save_revision().publish()
        return EventPage.objects.get(pk=event.pk)


class Registrar:
    """`register(event, seats=1, organisation=None, **fields)`: a registration made through the
    service, as a visitor's form makes it, by "Personne n" of "Organisme n"."""

    def __init__(self):
        self.count = itertools.count(1)

    def __call__(self, event, seats=1, organisation=None, **fields):
        n = next(self.count)
        fields.setdefault("contact_name", f"Personne {n}")
        fields.setdefault("email", f"p{n}@example.org")
        return event_services.register(
            event, seats=seats, organisation=organisation or f"Organisme {n}", **fields
        )


# --- Board ------------------------------------------------------------------------------------------


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    kind = Post.Kind.OFFER
    title = factory.Sequence(lambda n: f"Annonce {n}")
    description = "Une ressource à partager."
    category = factory.SubFactory(CategoryFactory, slug="transport", name="Transport")
    organisation = "Organisme A"
    contact_name = "Alex"
    contact_email = factory.Sequence(lambda n: f"poster{n}@example.org")
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    state = Post.State.PUBLISHED
    # Only posts that have been on the board have a publication date.
    published_at = factory.LazyAttribute(
        lambda o: (
            None
            if o.state in (Post.State.UNCONFIRMED, Post.State.PENDING, Post.State.REJECTED)
            else timezone.now()
        )
    )

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            self.regions.set(extracted or [RegionFactory(slug="mirabel", name="Mirabel")])


# --- Newsletter -------------------------------------------------------------------------------------


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber to the general newsletter (pass `topics=[…]` for others)."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"abonne{n}@example.org")
    state = Subscriber.State.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create:
            self.topics.set(extracted or [TopicFactory(slug="generale", name="Infolettre générale")])


def make_issue(slug="numero-test", **fields):
    """A published newsletter issue in the archive, sent to the general topic unless `topics` says."""
    topics = fields.pop("topics", None) or [TopicFactory(slug="generale", name="Infolettre générale")]
    fields.setdefault("title", "Infolettre de test")
    fields.setdefault("subject", "Des nouvelles du réseau")
    fields.setdefault("body", [{"type": "text", "value": "<p>Bonjour à toutes et à tous.</p>"}])
    issue = child_page(newsletter_archive(), NewsletterIssuePage, slug, **fields)
    issue.topics.set(topics)
    return issue


def support_request(region="mirabel", email="julie.suivi@example.org", organisation="Maison de la famille"):
    """A support request received by the demo's form (its questions), new, in French, in `region`."""
    page = in_default_locale(SupportRequestPage.objects).get()
    submission = FormSubmission.objects.create(
        page=page,
        form_data={
            "nom_de_lorganisme": organisation,
            "courriel": email,
            "decrivez_votre_projet": "Partager un camion <b>réfrigéré</b>",
        },
    )
    website_services.link_organisation(page, submission)
    request = accompaniment.open_request(page, submission, language="fr-ca")
    request.region = Region.objects.get(slug=region)
    request.save()
    return request
