"""Rules of the organisation registry: merging duplicates and verifying. The admin calls these.

Every record that links to an organisation (posts, registrations, subscribers, support requests, and
whatever an app adds later) does so with a foreign key to `Organisation`; a merge finds them all
through the model's relations, so `website` names no app.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from website.models.organisation_contacts import OrganisationContact
from website.models.organisations import Organisation, OrganisationAlias
from website.organisation_names import normalise

# Public details the kept organisation takes from the merged one when it has none of its own.
FILLED_FROM_MERGED = [
    "short_name",
    "kind",
    "postal_address",
    "website",
    "email",
    "phone",
    "logo",
    "description",
]


def linked_relations():
    """The foreign keys of other models to Organisation (aliases are handled by the merge itself)."""
    return [
        relation
        for relation in Organisation._meta.related_objects
        if relation.one_to_many and relation.related_model is not OrganisationAlias
    ]


def _drop_duplicate_contacts(kept, merged):
    """The merged organisation's contacts move, except those already on the kept one (one row each)."""
    OrganisationContact.objects.filter(organisation=merged, email__in=kept.contacts.values("email")).delete()


def links_of(organisation):
    """{model verbose name plural: count} of the records linked to `organisation`."""
    counts = {}
    for relation in linked_relations():
        count = relation.related_model._base_manager.filter(**{relation.field.name: organisation}).count()
        if count:
            counts[str(relation.related_model._meta.verbose_name_plural)] = count
    return counts


def _move_links(kept, merged):
    moved = {}
    for relation in linked_relations():
        model = relation.related_model
        count = model._base_manager.filter(**{relation.field.name: merged}).update(
            **{relation.field.name: kept}
        )
        if count:
            moved[model._meta.label] = count
    return moved


def _keep_names(kept, merged):
    """The merged organisation's name and aliases become aliases of the kept one (one per matching key)."""
    known = kept.known_keys()
    order = kept.aliases.count()
    for name in [merged.name, *(alias.name for alias in merged.aliases.all())]:
        key = normalise(name)
        if key and key not in known:
            OrganisationAlias.objects.create(organisation=kept, name=name, sort_order=order)
            known.add(key)
            order += 1


def merge(kept, merged, user=None):
    """Merge the duplicate `merged` into `kept`: every link moves, its names become aliases, its regions
    and missing details are added, an entry goes to Wagtail's log, and `merged` is deleted."""
    if kept.pk == merged.pk:
        raise ValueError("An organisation cannot be merged into itself.")
    with transaction.atomic():
        kept = Organisation.objects.select_for_update().get(pk=kept.pk)
        merged = Organisation.objects.select_for_update().get(pk=merged.pk)
        _drop_duplicate_contacts(kept, merged)
        moved = _move_links(kept, merged)
        _keep_names(kept, merged)
        kept.regions.add(*merged.regions.all())
        for name in FILLED_FROM_MERGED:
            if not getattr(kept, name) and getattr(merged, name):
                setattr(kept, name, getattr(merged, name))
        kept.verified = kept.verified or merged.verified
        kept.save()
        log(
            instance=kept,
            action="website.organisation.merge",
            user=user,
            data={"merged": merged.name, "merged_id": merged.pk, "moved": moved},
        )
        merged.delete()
    return moved


def verify(organisation, user=None):
    """An editor checked this organisation: it is verified (and offered in the public forms if it also
    consented to a public profile)."""
    with transaction.atomic():
        organisation.verified = True
        organisation.verified_at = organisation.verified_at or timezone.now()
        organisation.save(update_fields=["verified", "verified_at", "updated_at"])
        log(instance=organisation, action="website.organisation.verify", user=user)
    return organisation


def duplicates_of(organisation):
    """Other organisations that share a matching key with this one (by name or alias): merge candidates."""
    keys = organisation.known_keys()
    return (
        Organisation.objects.exclude(pk=organisation.pk)
        .filter(Q(key__in=keys) | Q(aliases__key__in=keys))
        .distinct()
        .order_by("name", "pk")
    )
