"""A person's space ("Mon espace"): one emailed link to everything they left under their address.

- `request_link(email, language=…)`: whatever the address, the caller answers the same. Only an address
  that some app holds something for gets an email, one per request, in the language it was asked in;
  the email is an outbox row, queued on commit, never sent inline.
- The link (`/mon-espace/<token>/`) signs the id and secret of the address's `SpaceKey` for the purpose
  "space.access" and expires after LINK_MAX_AGE (a day). A new request keeps the secret, so an earlier
  link still works until it expires; `log_out_everywhere` (the page's button) changes it, voiding every
  link sent so far; an erasure deletes the key. A key unused for LINK_MAX_AGE is deleted (retention):
  every link it signed has expired.
- `visitor_for(key)`: the verified address and the organisations the person is a contact of, which the
  sections of `website.space_sections` receive.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from website.i18n import absolute_reverse
from website.models.space import LINK_MAX_AGE, SpaceKey
from website.organisation_contacts import organisations_for_email
from website.outbox import queue_templated_email
from website.privacy.helpers import normalise
from website.space_sections import Visitor, own_parts
from website.tokens import new_secret, object_from_token, object_token

PURPOSE = "space.access"


def organisations_for(email):
    """The organisations whose contact `email` is: attached by an editor, or by the address's domain
    (website.organisation_contacts)."""
    return organisations_for_email(email)


def visitor_for(email, language):
    email = normalise(email)
    return Visitor(email=email, language=language, organisations=organisations_for(email))


def is_known(email, language):
    """Whether an app holds something for the address, or it is an organisation's contact."""
    visitor = visitor_for(email, language)
    return bool(own_parts(visitor)) or visitor.organisations.exists()


def request_link(email, *, language):
    """Queue the email with the link if the address is known; None otherwise (the caller says the same)."""
    email = normalise(email)
    if not email or not is_known(email, language):
        return None
    with transaction.atomic():
        key, _created = SpaceKey.objects.update_or_create(
            email=email, defaults={"last_requested_at": timezone.now()}
        )
        return queue_templated_email(
            "website/emails/space_link",
            {"url": link_url(key, language), "hours": LINK_MAX_AGE // 3600},
            [email],
            language=language,
            tag="website.space_link",
        )


def token_for(key):
    return object_token(PURPOSE, key)


def link_url(key, language):
    return absolute_reverse("space_home", language=language, args=[token_for(key)])


def path(name, token):
    """The address of one of the space's pages, in the active language."""
    return reverse(name, args=[token])


def key_from_token(token):
    return object_from_token(SpaceKey.objects.all(), token, PURPOSE, LINK_MAX_AGE)


def log_out_everywhere(key):
    """Every link to this space stops working."""
    SpaceKey.objects.filter(pk=key.pk).update(secret=new_secret())
