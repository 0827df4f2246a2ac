"""Contacts propose changes to their organisation's public profile; editors approve or refuse them.

Nothing proposed is public: the directory shows `Organisation` only, and an organisation takes the
proposed values when an editor approves (`approve`, an entry in its history). The person learns the
decision by email, in the language they proposed in. A contact reaches the proposal form through a
signed, expiring link (`link_token`) naming the organisation and their address; the link works only
while the address is still a contact of the organisation (website/organisation_contacts.py).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.images import get_image_model
from wagtail.log_actions import log

from website.i18n import absolute_url
from website.images import private_storage
from website.models import Organisation, ProfileProposal, Region
from website.organisation_contacts import drop_logos, is_contact, organisations_for_email
from website.outbox import queue_templated_email
from website.permissions import CONTENT
from website.privacy.helpers import forget_log_entries, months_before, normalise
from website.tokens import DAY, make_token, names_an_object, read_token

# The public profile's fields a contact may propose, in the order the form and the comparison show.
PROPOSABLE = [
    "description",
    "website",
    "email",
    "phone",
    "postal_address",
    "kind",
    "regions",
    "public_profile",
]
LINK_PURPOSE = "organisation-proposal"
LINK_MAX_AGE = 7 * DAY


def current_values(organisation):
    """{field: value} of the organisation's public profile, as a proposal stores it."""
    values = {name: getattr(organisation, name) for name in PROPOSABLE if name != "regions"}
    values["regions"] = sorted(region.pk for region in organisation.regions.all())
    return values


def _comparable(name, value):
    if name == "regions":
        return sorted(getattr(region, "pk", region) for region in value or [])
    return value


def changed_values(organisation, values):
    """The proposed values that differ from the organisation's current ones."""
    current = current_values(organisation)
    proposed = {name: _comparable(name, values.get(name)) for name in PROPOSABLE}
    return {name: proposed[name] for name in PROPOSABLE if proposed[name] != current[name]}, current


def link_token(organisation, email):
    return make_token(LINK_PURPOSE, organisation.pk, normalise(email))


def from_token(token):
    """(organisation, email) a proposal link names, or None if forged, expired or no longer a contact."""
    values = read_token(token, LINK_PURPOSE, LINK_MAX_AGE)
    if not names_an_object(values):
        return None
    organisation = Organisation.objects.filter(pk=values[0]).first()
    if organisation is None or not is_contact(values[1], organisation):
        return None
    return organisation, values[1]


def send_links(email, *, language):
    """Email one proposal link per organisation `email` is a contact of; nothing to an address that is
    none (the page says the same either way). True if an email was queued."""
    email = normalise(email)
    organisations = list(organisations_for_email(email).order_by("name"))
    if not organisations:
        return False
    with translation.override(language):
        links = [(o, reverse("organisation_proposal", args=[link_token(o, email)])) for o in organisations]
    queue_templated_email(
        "website/emails/proposal_link",
        {"links": links, "days": LINK_MAX_AGE // DAY},
        [email],
        language=language,
        tag="organisation-proposal-link",
    )
    return True


def pending_for(organisation, email):
    return ProfileProposal.objects.filter(
        organisation=organisation, email=normalise(email), state=ProfileProposal.State.PENDING
    ).first()


def propose(*, organisation, email, name, language, values, logo=None):
    """Record what `email` proposes for `organisation` (replacing their pending proposal; a logo sent
    before stays unless a new one comes, `logo` being a file website.images.clean_image made); None
    when nothing differs from the current profile and no logo comes."""
    changes, current = changed_values(organisation, values)
    email = normalise(email)
    with transaction.atomic():
        proposal = (
            ProfileProposal.objects.select_for_update()
            .filter(organisation=organisation, email=email, state=ProfileProposal.State.PENDING)
            .first()
        ) or ProfileProposal(organisation=organisation, email=email)
        if not changes and logo is None and not proposal.logo:
            return None
        proposal.name = name
        proposal.language = language
        proposal.changes = changes
        proposal.previous = {field: current[field] for field in changes}
        created = proposal.pk is None
        if logo is not None:
            _drop_logo(proposal)
            proposal.logo.save(logo.name, logo, save=False)
        proposal.save()
        log(instance=proposal, action="website.profile_proposal.submit")
        if created:
            tell_reviewers(proposal)
    return proposal


def _drop_logo(proposal):
    if proposal.logo:
        proposal.logo.delete(save=False)


def reviewers():
    """Who decides proposals: the active members of the content group, which holds the right to change
    them (website/permissions.py), with an address; [(email, language of their admin)]."""
    users = get_user_model().objects.filter(is_active=True, groups__name=CONTENT).exclude(email="")
    users = users.distinct().order_by("pk")
    found = users.values_list("email", "wagtail_userprofile__preferred_language")
    return [(email, _admin_language(language)) for email, language in found]


def _admin_language(code):
    codes = dict(settings.LANGUAGES)
    return code if code in codes else settings.LANGUAGE_CODE


def tell_reviewers(proposal):
    """One email per reviewer for a new proposal, in the language of their admin, with the link to its
    review screen. A proposal changed again while pending is the same proposal: no new email."""
    review_url = absolute_url(reverse("website_proposals:review", args=[proposal.pk]))
    for email, language in reviewers():
        queue_templated_email(
            "website/emails/proposal_to_reviewers",
            {"organisation": proposal.organisation, "fields": _field_labels(proposal), "url": review_url},
            [email],
            language=language,
            key=f"organisation-proposal-reviewers:{proposal.pk}:{email}",
            tag="organisation-proposal-reviewers",
        )


def _field_labels(proposal):
    return [
        Organisation._meta.get_field(name).verbose_name for name in PROPOSABLE if name in proposal.changes
    ]


def _claim(proposal):
    """The proposal, locked, if still pending; else None (another editor decided first)."""
    return (
        ProfileProposal.objects.select_for_update()
        .filter(pk=proposal.pk, state=ProfileProposal.State.PENDING)
        .select_related("organisation")
        .first()
    )


def _decide(proposal, state, user, reason=""):
    proposal.state = state
    proposal.reason = reason
    proposal.decided_at = timezone.now()
    proposal.decided_by = user if getattr(user, "is_authenticated", False) else None
    proposal.save(update_fields=["state", "reason", "decided_at", "decided_by", "logo", "updated_at"])
    queue_templated_email(
        f"website/emails/proposal_{state}",
        {"organisation": proposal.organisation, "proposal": proposal},
        [proposal.email],
        language=proposal.language,
        tag=f"organisation-proposal-{state}",
    )


def approve(proposal, *, user=None):
    """The organisation takes the proposed values (in its history); the person is told. False if the
    proposal was already decided."""
    with transaction.atomic():
        proposal = _claim(proposal)
        if proposal is None:
            return False
        organisation = Organisation.objects.select_for_update().get(pk=proposal.organisation_id)
        for name, value in proposal.changes.items():
            if name == "regions":
                organisation.regions.set(Region.objects.filter(pk__in=value))
            else:
                setattr(organisation, name, value)
        if proposal.logo:
            organisation.logo = _logo_image(proposal, organisation)
        organisation.save()
        proposal.organisation = organisation  # the email links to the profile as it now is
        _decide(proposal, ProfileProposal.State.APPROVED, user)
        log(
            instance=organisation,
            action="website.organisation.proposal_approve",
            user=proposal.decided_by,
            data={"proposal": proposal.pk, "fields": sorted(proposal.changes)},
        )
    return True


def _logo_image(proposal, organisation):
    """The proposed logo as a Wagtail image in the root collection; the private file goes once the
    transaction commits (the image holds a copy)."""
    with proposal.logo.open("rb") as f:
        image = get_image_model()(
            title=_logo_title(organisation), file=File(f, name=f"logo-{organisation.slug}.jpg")
        )
        image.save()
    name = proposal.logo.name
    transaction.on_commit(lambda: private_storage().delete(name))
    proposal.logo = ""
    return image


def _logo_title(organisation):
    with translation.override(settings.LANGUAGE_CODE):
        return f"{Organisation._meta.get_field('logo').verbose_name.capitalize()} — {organisation.name}"[:255]


def refuse(proposal, *, user=None, reason=""):
    """Nothing changes on the organisation; the person is told, with the reason if one is given."""
    with transaction.atomic():
        proposal = _claim(proposal)
        if proposal is None:
            return False
        name = proposal.logo.name
        proposal.logo = ""
        _decide(proposal, ProfileProposal.State.REFUSED, user, reason)
        if name:
            transaction.on_commit(lambda: private_storage().delete(name))
        log(
            instance=proposal.organisation,
            action="website.organisation.proposal_refuse",
            user=proposal.decided_by,
            data={"proposal": proposal.pk},
        )
    return True


def apply_retention(now=None):
    """Decided proposals (with the person's name and address) go RETENTION_PROPOSAL_MONTHS after the
    decision; the organisation's history keeps that a proposal was approved or refused."""
    cutoff = months_before(now or timezone.now(), settings.RETENTION_PROPOSAL_MONTHS)
    old = ProfileProposal.objects.exclude(state=ProfileProposal.State.PENDING).filter(decided_at__lt=cutoff)
    forget_log_entries(ProfileProposal, old.values_list("pk", flat=True))
    drop_logos(old)
    deleted, _rows = old.delete()
    return {"proposals_deleted": deleted}
