"""Events' part of a person's space (website.space_sections): their registrations with the link that
changes seats and names, cancels and confirms presence; read-only, their organisations' registrations.
One query per list, whatever the number of registrations."""

from django.urls import reverse

from events.models import Registration
from events.services.tokens import manage_token
from website.space_sections import SpaceSection

LIMIT = 100  # records shown per list


def own_registrations(visitor):
    """[(registration, address of its management page)], the latest events first."""
    found = Registration.objects.filter(email__iexact=visitor.email).select_related("event")
    return [
        (registration, reverse("events:registration_manage", args=[manage_token(registration)]))
        for registration in found.order_by("-event__start", "-pk")[:LIMIT]
    ]


def organisation_registrations(visitor):
    """[(registration, "")] of the visitor's organisations, not their own: what, when, how many seats."""
    found = (
        Registration.objects.filter(member_organisation__in=visitor.organisations)
        .exclude(email__iexact=visitor.email)
        .select_related("event")
        .order_by("-event__start", "-pk")[:LIMIT]
    )
    return [(registration, "") for registration in found]


def registrant_profile(records):
    registration = records[0][0]
    return {"name": registration.contact_name, "organisation": registration.organisation}


def registrations_section():
    return SpaceSection(
        name="registrations",
        template="events/includes/space_registrations.html",
        order=20,
        records=own_registrations,
        organisation_records=organisation_registrations,
        profile=registrant_profile,
    )
