"""One person's data across every app (Quebec's Law 25): find it, export it, erase it.

Each app describes what it holds about a person in a `PersonalDataSource` and registers it from its
`AppConfig.ready()`; `website` never imports an app. The service, keyed by an email address matched
without regard to case:

- `find(email)`: what exists, per app (the privacy officer's screen, the person's confirmation page);
- `export(email)`: all of it as one JSON document (right of access and portability);
- `erase(email)`: every app deletes what exists only for the person and anonymises what the network
  keeps for its figures; then the outbox, support-form submissions, admin log entries and development
  mail files that mention the address go too, and a keyed hash of the address joins the suppression
  list (`SuppressedAddress`) that imports and sign-ups check with `is_suppressed()`;
- `leftovers(*needles)`: every text or JSON column of every model that still holds one of the needles,
  so that a model added later without its source shows up (tests, and the officer's screen after an
  erasure).

Every search, export, erasure and lifted suppression is written to `PersonalDataRequest` and to the
Wagtail log, naming the address only by its hash. The hash is an HMAC-SHA256 keyed with
`PRIVACY_HASH_KEY` (default: `SECRET_KEY`): changing that key forgets the suppression list.

The package, one concept per module: `sources` (what apps register), `helpers` (for the apps'
sources), `service` (find, export, erase, the register), `site_source` (the site's own part),
`leftovers`, `policy` (the policy's address for forms and the footer), `retention` (the outbox's).
The models (`website.models.privacy`) sit below it and never import it; the names below are the
package's public interface.
"""

from website.models.privacy import retention_periods
from website.privacy.helpers import (
    ERASED,
    address_digest,
    forget_log_entries,
    local_date,
    mentions,
    months_before,
    normalise,
    redact,
)
from website.privacy.leftovers import leftovers
from website.privacy.policy import consent_help_text, privacy_policy_url
from website.privacy.retention import apply_outbox_retention, apply_support_request_retention
from website.privacy.service import (
    erase,
    export,
    export_json,
    find,
    is_suppressed,
    lift_suppression,
    sources,
)
from website.privacy.site_source import SITE, SiteSource, delete_mail_files
from website.privacy.sources import Erased, Found, PersonalDataSource, register

__all__ = [
    "ERASED",
    "SITE",
    "Erased",
    "Found",
    "PersonalDataSource",
    "SiteSource",
    "address_digest",
    "apply_outbox_retention",
    "apply_support_request_retention",
    "consent_help_text",
    "delete_mail_files",
    "erase",
    "export",
    "export_json",
    "find",
    "forget_log_entries",
    "is_suppressed",
    "leftovers",
    "lift_suppression",
    "local_date",
    "mentions",
    "months_before",
    "normalise",
    "privacy_policy_url",
    "redact",
    "register",
    "retention_periods",
    "sources",
]
