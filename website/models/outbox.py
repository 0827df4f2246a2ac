from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One email to send (see website.outbox)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("en attente")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec")

    key = models.CharField(max_length=200, unique=True, null=True, blank=True, editable=False)
    tag = models.CharField(_("type"), max_length=60, blank=True)
    to = models.JSONField(_("destinataires"))
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(_("objet"), max_length=300)
    body = models.TextField(_("texte"))
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # [{"filename": "evenement.ics", "content": "BEGIN:VCALENDAR…", "mimetype": "text/calendar"}]
    attachments = models.JSONField(default=list, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    # When the sweep hands a row still queued to a worker: at once if publishing its task failed, after
    # a backoff after a temporary refusal, after a lease when a task is out for it (the task was lost).
    next_attempt_at = models.DateTimeField(_("prochain essai"), default=timezone.now)

    class Meta:
        verbose_name = _("courriel sortant")
        verbose_name_plural = _("courriels sortants")
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["state", "next_attempt_at"], name="website_outbox_due"),
        ]

    def __str__(self):
        return self.subject
