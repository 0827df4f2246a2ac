import datetime

import factory
import pytest
from django.conf import settings
from django.utils import timezone, translation

from bulletin.models import Post
from website.models import Region, ResourceCategory


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


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in French: a request to /en/ earlier in the thread leaves English active."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def make_post(db):
    return PostFactory


@pytest.fixture
def mirabel(db):
    return RegionFactory(slug="mirabel", name="Mirabel")


@pytest.fixture
def argenteuil(db):
    return RegionFactory(slug="argenteuil", name="Argenteuil")


@pytest.fixture
def transport(db):
    return CategoryFactory(slug="transport", name="Transport")


@pytest.fixture
def premises(db):
    return CategoryFactory(slug="locaux", name="Locaux")


@pytest.fixture
def queued(db):
    """The emails queued so far, as (to, subject, body, reply_to)."""
    from website.models import OutgoingEmail

    def emails(tag=None):
        rows = OutgoingEmail.objects.order_by("pk")
        if tag:
            rows = rows.filter(tag=tag)
        return list(rows)

    return emails
