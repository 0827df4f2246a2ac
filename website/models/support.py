"""Support requests followed to their result ("accompagnement").

A support request is a submission of a `SupportRequestPage` form; `SupportRequest` is its follow-up:
status, assigned editor, internal notes, status history, and the moments the figures use. Posts and
events point to the request they came from from their own apps (`support_request` on `bulletin.Post`
and `events.EventPage`), case studies from here (`CaseStudyPage.support_request`).

First response: the moment the status first leaves "nouvelle" (the requester is told by email). An
internal note or an assignment is not a response: the requester sees neither.

When the person's data is erased, or a closed request passes its retention period, the submission
(their answers) and the notes go; the request stays without them (`submission` empty), with its status,
dates, MRC and links, for the network's figures.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SupportRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("Nouvelle")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Terminée")
        NO_FOLLOW_UP = "no_follow_up", _("Sans suite")

    CLOSED = (Status.DONE, Status.NO_FOLLOW_UP)

    submission = models.OneToOneField(
        "wagtailforms.FormSubmission",
        verbose_name=_("demande reçue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_request",
    )
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    language = models.CharField(
        _("langue de la personne"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    region = models.ForeignKey(
        "website.Region",
        verbose_name=_("région (MRC)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_requests",
    )
    submitted_at = models.DateTimeField(_("reçue le"), default=timezone.now, db_index=True)
    first_response_at = models.DateTimeField(_("première réponse le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("demande d'accompagnement")
        verbose_name_plural = _("demandes d'accompagnement")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return _("Demande n° %(number)s du %(date)s") % {
            "number": self.pk,
            "date": f"{timezone.localtime(self.submitted_at):%Y-%m-%d}",
        }

    @property
    def is_closed(self):
        return self.status in self.CLOSED

    @property
    def first_response_time(self):
        """How long the requester waited for the first response (None while the request is new)."""
        return self.first_response_at - self.submitted_at if self.first_response_at else None


class SupportRequestNote(models.Model):
    """An internal note: for the team only, never shown publicly nor sent to the requester."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("écrite le"), default=timezone.now)

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class SupportRequestStatusChange(models.Model):
    """One change of status: from what, to what, when, by whom (the request's history)."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(_("ancien statut"), max_length=12, choices=SupportRequest.Status.choices)
    new_status = models.CharField(_("nouveau statut"), max_length=12, choices=SupportRequest.Status.choices)
    changed_at = models.DateTimeField(_("changé le"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.old_status} → {self.new_status}"
