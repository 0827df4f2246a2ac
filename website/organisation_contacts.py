"""Who speaks for an organisation: its contacts.

A person is a contact of an organisation when an editor attached their address to it
(`OrganisationContact`, Référentiels → Personnes-ressources) or when their address is at the
web domain of a verified organisation (website/web_domains.py: the same registrable domain, never a
free-mail or internet-provider one; an unverified organisation's website proves nothing). `organisations_for_email` answers for any page that has confirmed the
address (a magic link); it never says why.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from website.images import private_storage
from website.models import Organisation, OrganisationContact, ProfileProposal
from website.privacy.helpers import forget_log_entries, local_date, normalise
from website.privacy.sources import Erased, Found, PersonalDataSource
from website.web_domains import email_domain


def organisations_for_email(email):
    """The organisations the person at `email` is a contact of (one query when evaluated)."""
    email = normalise(email)
    if "@" not in email:
        return Organisation.objects.none()
    match = Q(contacts__email=email)
    domain = email_domain(email)
    if domain:
        # Anyone can create an unverified organisation naming any website: only an editor's check makes
        # its domain proof of belonging.
        match |= Q(web_domain=domain, verified=True)
    return Organisation.objects.filter(pk__in=Organisation.objects.filter(match).values("pk"))


def is_contact(email, organisation):
    return organisations_for_email(email).filter(pk=organisation.pk).exists()


def proposals_of(email):
    """The profile proposals `email` made."""
    return ProfileProposal.objects.filter(email=normalise(email)).select_related("organisation")


def drop_logos(queryset):
    """Delete the proposed logos' files of `queryset` (before deleting its rows: a queryset's delete
    leaves files behind)."""
    storage = private_storage()
    for name in queryset.exclude(logo="").values_list("logo", flat=True):
        storage.delete(name)


def contacts_of(email):
    """The contact rows an editor made for `email`."""
    return OrganisationContact.objects.filter(email=normalise(email)).select_related("organisation")


CONTACTS_LABEL = _("Personne-ressource d'un organisme")
PROPOSALS_LABEL = _("Propositions de modification d'un profil d'organisme")


class ContactsSource(PersonalDataSource):
    """The organisations a person was attached to by an editor, and the changes they proposed to their
    profiles (Law 25: export and erase)."""

    name = "organisations"
    label = _("Organismes")

    def find(self, email):
        contacts = [
            f"{c.organisation.name} — {c.role or c.name} — {local_date(c.created_at)}"
            for c in contacts_of(email)
        ]
        proposals = [
            f"{p.organisation.name} — {p.get_state_display()} — {local_date(p.created_at)}"
            for p in proposals_of(email)
        ]
        return [
            Found("contacts", CONTACTS_LABEL, contacts),
            Found("proposals", PROPOSALS_LABEL, proposals),
        ]

    def export(self, email):
        return {
            "contacts": [
                {
                    "organisation": c.organisation.name,
                    "name": c.name,
                    "role": c.role,
                    "email": c.email,
                    "added_at": c.created_at,
                }
                for c in contacts_of(email)
            ],
            "proposals": [
                {
                    "organisation": p.organisation.name,
                    "name": p.name,
                    "language": p.language,
                    "changes": p.changes,
                    "state": p.state,
                    "reason": p.reason,
                    "proposed_at": p.created_at,
                    "decided_at": p.decided_at,
                }
                for p in proposals_of(email)
            ],
        }

    def erase(self, email):
        contacts, proposals = contacts_of(email), proposals_of(email)
        forget_log_entries(OrganisationContact, contacts.values_list("pk", flat=True))
        forget_log_entries(ProfileProposal, proposals.values_list("pk", flat=True))
        drop_logos(proposals)
        deleted, _rows = contacts.delete()
        withdrawn, _rows = proposals.delete()
        return [
            Erased("contacts", CONTACTS_LABEL, deleted=deleted),
            Erased("proposals", PROPOSALS_LABEL, deleted=withdrawn),
        ]


CONTACTS = ContactsSource()
