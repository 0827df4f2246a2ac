"""A small network whose figures are known, for the "Mesure" tests (answers in KNOWN).

The scope is the 30 days before today and the 60 after. `more(n)` adds n of everything inside the
scope (for the query-count tests), which changes the figures but not the number of queries."""

import datetime
from decimal import Decimal

from django.utils import timezone

from bulletin.models import ContactMessage, Post
from events import services as event_services
from events.models import EventKind, EventPage
from measure.scope import Scope
from newsletter.models import Delivery, Send, Subscriber
from tests.factories import (
    EventMaker,
    PostFactory,
    RegionFactory,
    Registrar,
    SubscriberFactory,
    child_page,
    event_index,
    home_page,
    make_issue,
)
from website.models import CaseStudyPage, Organisation, ResourceCategory, SupportRequest

HOUR, DAY = datetime.timedelta(hours=1), datetime.timedelta(days=1)


def scope(**filters):
    today = timezone.localdate()
    return Scope(today - 30 * DAY, today + 60 * DAY, **filters)


def organisations():
    mirabel = RegionFactory(slug="mirabel", name="Mirabel")
    argenteuil = RegionFactory(slug="argenteuil", name="Argenteuil")
    alpha = Organisation.objects.create(name="Alpha", kind=Organisation.Kind.NON_PROFIT)
    alpha.regions.set([mirabel])
    alpha.save()  # a ParentalManyToManyField is written on save
    beta = Organisation.objects.create(name="Bêta", kind=Organisation.Kind.COOPERATIVE)
    beta.regions.set([argenteuil])
    beta.save()
    return mirabel, argenteuil


def board(mirabel, argenteuil):
    now = timezone.now()
    transport = ResourceCategory.objects.get(slug="transport")
    premises = ResourceCategory.objects.get(slug="locaux")
    week_ago = now - 5 * DAY
    offers = [
        PostFactory(organisation="Alpha", category=transport, regions=[mirabel], published_at=week_ago)
        for _ in range(3)
    ]
    request = PostFactory(
        kind=Post.Kind.REQUEST,
        organisation="Bêta",
        category=premises,
        regions=[argenteuil],
        published_at=week_ago,
    )
    PostFactory(organisation="Bêta", category=transport, regions=[mirabel, argenteuil], published_at=week_ago)
    PostFactory(organisation="Zeta", category=transport, published_at=now - 90 * DAY)
    PostFactory(organisation="Alpha", state=Post.State.PENDING)
    for post, hours in [(offers[0], 2), (offers[0], 5), (request, 10)]:
        message = ContactMessage.objects.create(
            post=post, sender_name="X", sender_email="x@example.org", body="?"
        )
        ContactMessage.objects.filter(pk=message.pk).update(created_at=week_ago + hours * HOUR)
    close = {"state": Post.State.CLOSED, "closed_at": now - DAY}
    Post.objects.filter(pk=offers[1].pk).update(
        **close, outcome="shared", savings_money=Decimal("1234.50"), savings_hours=12, savings_km=300
    )
    Post.objects.filter(pk=offers[2].pk).update(**close, outcome="not_shared")
    old = PostFactory(organisation="Zeta", published_at=now - 120 * DAY)
    Post.objects.filter(pk=old.pk).update(
        state=Post.State.CLOSED, closed_at=now - 100 * DAY, outcome="shared", savings_money=99
    )


def events(mirabel):
    make, register = EventMaker(event_index()), Registrar()
    training = make(title="Formation partagée", region=mirabel, total_cost=Decimal("600"))
    for organisation, seats in [("Alpha", 2), ("Bêta", 1), ("Gamma", 1)]:
        register(training, seats=seats, organisation=organisation)
    past = make(title="Rencontre passée", kind=EventKind.objects.get(slug="reseautage"), in_days=2)
    attended = {"Alpha": (3, 2), "Bêta": (2, 2)}
    for organisation, (seats, present) in attended.items():
        registration = register(past, seats=seats, organisation=organisation)
        type(registration).objects.filter(pk=registration.pk).update(attended=present)
    EventPage.objects.filter(pk=past.pk).update(
        start=timezone.now() - 5 * DAY, end=timezone.now() - 5 * DAY + HOUR
    )
    small = make(title="Petite rencontre", capacity=2, in_days=20)
    first = register(small, seats=2, organisation="Alpha")
    register(small, seats=1, organisation="Delta")  # waits, then is given the seat
    event_services.cancel(first)
    cancelled = make(title="Annulée")
    register(cancelled, seats=1, organisation="Alpha")
    EventPage.objects.filter(pk=cancelled.pk).update(state=EventPage.State.CANCELLED)
    register(make(title="Trop tard", in_days=90), seats=1, organisation="Alpha")


def newsletter():
    now = timezone.now()
    long_ago = now - 60 * DAY
    loyal = SubscriberFactory(confirmed_at=long_ago)
    SubscriberFactory(confirmed_at=long_ago, state=Subscriber.State.UNSUBSCRIBED, unsubscribed_at=now)
    SubscriberFactory(
        confirmed_at=long_ago, state=Subscriber.State.UNSUBSCRIBED, unsubscribed_at=now - 40 * DAY
    )
    fresh = [SubscriberFactory(confirmed_at=now, organisation="Epsilon") for _ in range(3)]
    SubscriberFactory(state=Subscriber.State.PENDING, confirmed_at=None)
    issue = make_issue(title="Numéro de novembre")
    send = Send.objects.create(issue=issue, scheduled_at=now, state=Send.State.DONE)
    for subscriber, state in zip([*fresh, loyal], ["sent", "sent", "sent", "failed"], strict=True):
        Delivery.objects.create(
            send=send,
            issue=issue,
            subscriber=subscriber,
            email=subscriber.email,
            language="fr-ca",
            state=state,
        )


def support(mirabel, argenteuil):
    """Support requests kept without their answers (as after erasure): they change no other figure.
    In scope: Mirabel answered after 4 h (led to a post and an event), Mirabel answered after 10 h and
    done (led to a case study), Argenteuil still new. Out of scope: one received 90 days ago."""
    now = timezone.now()

    def received(days_ago, region, answered_after=None, status=SupportRequest.Status.NEW):
        submitted = now - days_ago * DAY
        answered = submitted + answered_after * HOUR if answered_after else None
        return SupportRequest.objects.create(
            region=region, submitted_at=submitted, first_response_at=answered, status=status
        )

    to_post = received(10, mirabel, 4, SupportRequest.Status.IN_PROGRESS)
    to_case = received(8, mirabel, 10, SupportRequest.Status.DONE)
    received(3, argenteuil)
    old = received(90, None, 1, SupportRequest.Status.DONE)
    Post.objects.filter(organisation="Alpha").update(support_request=to_post)
    EventPage.objects.filter(title="Formation partagée").update(support_request=to_post)
    child_page(
        home_page(), CaseStudyPage, "histoire-mesure", title="Histoire", summary="…", support_request=to_case
    )
    child_page(
        home_page(), CaseStudyPage, "histoire-ancienne", title="Ancienne", summary="…", support_request=old
    )


def network():
    mirabel, argenteuil = organisations()
    event_index()  # the site, reference data and the events listing
    board(mirabel, argenteuil)
    events(mirabel)
    newsletter()
    support(mirabel, argenteuil)


def more(n):
    """n more of everything in the scope: posts with messages, registrations, subscribers, deliveries,
    support requests, organisations."""
    mirabel = RegionFactory(slug="mirabel", name="Mirabel")
    make, register = EventMaker(event_index()), Registrar()
    event = make(
        title="Encore", slug=f"encore-{n}", region=mirabel, total_cost=Decimal("100"), capacity=10 * n + 10
    )
    issue = make_issue(slug=f"encore-{n}", title=f"Encore {n}")
    send = Send.objects.create(issue=issue, scheduled_at=timezone.now(), state=Send.State.DONE)
    for i in range(n):
        SupportRequest.objects.create(
            region=mirabel, first_response_at=timezone.now(), status=SupportRequest.Status.IN_PROGRESS
        )
        post = PostFactory(organisation=f"Nouvel organisme {n}-{i}", regions=[mirabel])
        ContactMessage.objects.create(post=post, sender_name="Y", sender_email="y@example.org", body="!")
        register(event, seats=1, organisation=f"Nouvel organisme {n}-{i}")
        subscriber = SubscriberFactory(confirmed_at=timezone.now())
        Delivery.objects.create(
            send=send,
            issue=issue,
            subscriber=subscriber,
            email=subscriber.email,
            language="fr-ca",
            state="sent",
        )
