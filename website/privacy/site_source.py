"""The site's own part: outbox, support-form submissions, admin log, development mail files."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.models import FormSubmission
from wagtail.log_actions import registry as log_registry

from website.models.outbox import OutgoingEmail
from website.models.space import SpaceKey
from website.models.support import SupportRequestNote
from website.privacy.helpers import ERASED, local_date, mentions
from website.privacy.sources import Erased, Found, PersonalDataSource


class SiteSource(PersonalDataSource):
    name = "website"
    label = _("Site")

    @staticmethod
    def emails(email):
        return OutgoingEmail.objects.filter(
            mentions(
                email, "to", "reply_to", "subject", "body", "html", "headers", "attachments", "last_error"
            )
        )

    @staticmethod
    def submissions(email):
        return FormSubmission.objects.filter(mentions(email, "form_data")).select_related(
            "page", "support_request"
        )

    @staticmethod
    def log_entries(email):
        for model in log_registry.get_log_entry_models():
            yield model, model.objects.filter(mentions(email, "label", "data"))

    def find(self, email):
        emails = self.emails(email).order_by("created_at")
        return [
            Found(
                "support_requests",
                _("Demandes envoyées par les formulaires du site"),
                [
                    " — ".join(filter(None, [s.page.title, local_date(s.submit_time), status_label(s)]))
                    for s in self.submissions(email)
                ],
            ),
            Found(
                "emails",
                _("Courriels envoyés ou en attente"),
                [f"{local_date(e.created_at)} — {e.subject}" for e in emails],
            ),
            Found(
                "space_keys",
                _("Clé de l'espace personnel (liens « Mon espace »)"),
                [local_date(k.last_requested_at) for k in SpaceKey.objects.filter(email__iexact=email)],
                internal=True,
            ),
            Found(
                "log_entries",
                _("Entrées du journal d'administration"),
                [f"{e.action} — {e.label}" for _model, rows in self.log_entries(email) for e in rows],
                internal=True,
            ),
        ]

    def export(self, email):
        return {
            "support_requests": [
                {
                    "form": s.page.title,
                    "submitted_at": s.submit_time,
                    "answers": s.form_data,
                    **follow_up(s),
                }
                for s in self.submissions(email).prefetch_related(
                    "support_request__status_changes", "support_request__notes"
                )
            ],
            "emails": [
                {
                    "to": e.to,
                    "subject": e.subject,
                    "type": e.tag,
                    "state": e.state,
                    "created_at": e.created_at,
                    "sent_at": e.sent_at,
                }
                for e in self.emails(email).order_by("created_at")
            ],
        }

    def erase(self, email):
        # The follow-up of a request stays for the figures (status, dates, MRC, links), without the
        # answers (the submission's deletion empties its link) and without the notes about the person.
        SupportRequestNote.objects.filter(request__submission__in=self.submissions(email)).delete()
        submissions, _rows = self.submissions(email).delete()
        emails, _rows = self.emails(email).delete()
        SpaceKey.objects.filter(email__iexact=email).delete()  # its links stop working
        entries = sum(rows.update(label=ERASED, data={}) for _model, rows in self.log_entries(email))
        return [
            Erased(
                "support_requests", _("Demandes envoyées par les formulaires du site"), deleted=submissions
            ),
            Erased("emails", _("Courriels envoyés ou en attente"), deleted=emails),
            Erased("log_entries", _("Entrées du journal d'administration"), anonymised=entries),
        ]


SITE = SiteSource()


def _support_request(submission):
    try:
        return submission.support_request
    except FormSubmission.support_request.RelatedObjectDoesNotExist:
        return None


def status_label(submission):
    support_request = _support_request(submission)
    return str(support_request.get_status_display()) if support_request else ""


def follow_up(submission):
    """A support request's follow-up, for the person's export: its status, the history of its status
    and the team's internal notes (personal information about the person's request, which the right of
    access covers; the note form says so to editors)."""
    support_request = _support_request(submission)
    if support_request is None:
        return {}
    return {
        "status": support_request.status,
        "first_response_at": support_request.first_response_at,
        "closed_at": support_request.closed_at,
        "status_history": [
            {"from": c.old_status, "to": c.new_status, "at": c.changed_at}
            for c in support_request.status_changes.all()
        ],
        "notes": [{"written_at": n.created_at, "text": n.text} for n in support_request.notes.all()],
    }


def delete_mail_files(email):
    """Development and test mail (Django's file backend) is kept in files: remove those naming `email`."""
    if settings.EMAIL_BACKEND != "django.core.mail.backends.filebased.EmailBackend":
        return 0
    folder = Path(getattr(settings, "EMAIL_FILE_PATH", "") or "")
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.iterdir():
        if not path.is_file():
            continue
        # Quoted-printable bodies break long lines with "=\n": join them before looking.
        text = path.read_text(errors="replace").replace("=\n", "").lower()
        if email in text:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
