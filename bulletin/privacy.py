"""What the babillard holds about a person (posts, reports, relayed messages, alerts): found, exported
and erased through website.privacy, and how long it is kept (`apply_retention`)."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletin.models import AlertSubscription, ContactMessage, Post, Report
from website.privacy import (
    Erased,
    Found,
    PersonalDataSource,
    forget_log_entries,
    local_date,
    mentions,
    months_before,
    redact,
)
from website.tokens import new_secret

logger = logging.getLogger(__name__)
State = Post.State


class BulletinSource(PersonalDataSource):
    name = "bulletin"
    label = _("Babillard")

    @staticmethod
    def posts(email):
        return Post.objects.filter(contact_email__iexact=email).select_related("category")

    @staticmethod
    def reports(email):
        return Report.objects.filter(email__iexact=email).select_related("post")

    @staticmethod
    def messages_sent(email):
        return ContactMessage.objects.filter(sender_email__iexact=email).select_related("post")

    @staticmethod
    def alerts(email):
        return AlertSubscription.objects.filter(email__iexact=email).select_related("category", "region")

    @staticmethod
    def mentioned_in(email):
        """Other people's text that quotes the address (a description, a message, a report)."""
        return [
            (
                ["title", "description", "transport_route"],
                Post.objects.filter(mentions(email, "title", "description", "transport_route")),
            ),
            (["body"], ContactMessage.objects.filter(mentions(email, "body"))),
            (["details"], Report.objects.filter(mentions(email, "details"))),
        ]

    def find(self, email):
        posts = list(self.posts(email))
        return [
            Found("posts", _("Annonces"), [f"{p.title} ({p.get_state_display()})" for p in posts]),
            Found(
                "messages_received",
                _("Messages reçus par le relais"),
                [
                    f"{m.post.title} — {local_date(m.created_at)}"
                    for m in ContactMessage.objects.filter(post__in=posts)
                ],
            ),
            Found(
                "messages_sent",
                _("Messages envoyés par le relais"),
                [f"{m.post.title} — {local_date(m.created_at)}" for m in self.messages_sent(email)],
            ),
            Found(
                "reports",
                _("Signalements"),
                [f"{r.post.title} — {r.get_reason_display()}" for r in self.reports(email)],
            ),
            Found("alerts", _("Alertes"), [_alert_line(a) for a in self.alerts(email)]),
            Found(
                "mentions",
                _("Textes d'autres personnes qui citent l'adresse"),
                [str(row) for _fields, rows in self.mentioned_in(email) for row in rows],
            ),
        ]

    def export(self, email):
        posts = list(self.posts(email).prefetch_related("regions"))
        return {
            "posts": [_post_data(p) for p in posts],
            "messages_received": [
                {"post": m.post.title, "received_at": m.created_at}
                for m in ContactMessage.objects.filter(post__in=posts).select_related("post")
            ],
            "messages_sent": [
                {
                    "post": m.post.title,
                    "name": m.sender_name,
                    "organisation": m.sender_organisation,
                    "email": m.sender_email,
                    "message": m.body,
                    "sent_at": m.created_at,
                }
                for m in self.messages_sent(email)
            ],
            "reports": [
                {
                    "post": r.post.title,
                    "email": r.email,
                    "reason": r.get_reason_display(),
                    "details": r.details,
                    "reported_at": r.created_at,
                }
                for r in self.reports(email)
            ],
            "alerts": [
                {
                    "email": a.email,
                    "kind": a.get_kind_display(),
                    "category": str(a.category or ""),
                    "region": str(a.region or ""),
                    "language": a.language,
                    "consent_text": a.consent_text,
                    "consent_ip": a.consent_ip,
                    "created_at": a.created_at,
                    "confirmed_at": a.confirmed_at,
                    "unsubscribed_at": a.unsubscribed_at,
                }
                for a in self.alerts(email)
            ],
        }

    def erase(self, email):
        """Posts go, except closed ones, whose outcome and savings count in the network's figures: they
        keep their kind, category, regions, organisations and figures, and lose everything else. The
        correspondence and reports about the person's posts go with them."""
        with transaction.atomic():
            posts = list(self.posts(email))
            closed = [p for p in posts if p.state == State.CLOSED]
            others = [p for p in posts if p.state != State.CLOSED]
            received = ContactMessage.objects.filter(post__in=posts)
            about = Report.objects.filter(post__in=posts)
            forget_log_entries(Post, [p.pk for p in posts])
            messages_received, _rows = received.delete()
            reports_about, _rows = about.delete()
            for post in others:
                if post.image:
                    post.image.delete(save=False)
            Post.objects.filter(pk__in=[p.pk for p in others]).delete()
            for post in closed:
                anonymise(post)
            sent = self.messages_sent(email)
            forget_log_entries(ContactMessage, sent.values_list("pk", flat=True))
            messages_sent, _rows = sent.delete()
            reports, _rows = self.reports(email).delete()
            alerts = self.alerts(email)
            forget_log_entries(AlertSubscription, alerts.values_list("pk", flat=True))
            alerts_deleted, _rows = alerts.delete()
            redacted = 0
            for fields, rows in self.mentioned_in(email):
                for row in rows:
                    for name in fields:
                        setattr(row, name, redact(getattr(row, name), email))
                    row.save(update_fields=fields)
                    redacted += 1
        return [
            Erased("posts", _("Annonces"), deleted=len(others), anonymised=len(closed)),
            Erased("messages_received", _("Messages reçus par le relais"), deleted=messages_received),
            Erased("messages_sent", _("Messages envoyés par le relais"), deleted=messages_sent),
            Erased("reports", _("Signalements"), deleted=reports + reports_about),
            Erased("alerts", _("Alertes"), deleted=alerts_deleted),
            Erased("mentions", _("Textes d'autres personnes qui citent l'adresse"), anonymised=redacted),
        ]


def _alert_line(alert):
    criteria = [str(c) for c in (alert.get_kind_display(), alert.category, alert.region) if c]
    state = _("active") if alert.is_active else _("inactive")
    return f"{', '.join(criteria) or _('Toutes les annonces')} ({state})"


def _post_data(post):
    data = {
        name: getattr(post, name)
        for name in [
            "title",
            "description",
            "organisation",
            "contact_name",
            "contact_email",
            "phone",
            "show_phone",
            "available_from",
            "available_until",
            "expires_on",
            *Post.DETAIL_FIELDS,
            "state",
            "rejection_reason",
            "outcome",
            "partner_organisation",
            "savings_money",
            "savings_hours",
            "savings_km",
            "created_at",
            "published_at",
            "closed_at",
        ]
    }
    data["kind"] = post.get_kind_display()
    data["category"] = str(post.category)
    data["regions"] = [str(r) for r in post.regions.all()]
    data["image"] = post.image.name if post.image else ""
    return data


CONTACT_ERASED = {
    "contact_name": "",
    "contact_email": "",
    "phone": "",
    "show_phone": False,
    "notify_matches": False,
}


def _without_contact(post):
    for name, value in CONTACT_ERASED.items():
        setattr(post, name, value)
    post.manage_secret = new_secret()  # the emailed links die with the address they were sent to


def forget_contact(post):
    """The post stays as it was published; nothing says any more who to write to."""
    _without_contact(post)
    post.save(update_fields=[*CONTACT_ERASED, "manage_secret", "updated_at"])


def anonymise(post):
    """Only what the network counts is left: kind, category, regions, organisations, outcome, figures."""
    if post.image:
        post.image.delete(save=False)
    _without_contact(post)
    post.title = f"{post.get_kind_display()} — {post.category}"[:120]
    post.description = ""
    post.transport_route = ""
    post.rejection_reason = ""
    post.save()


# Retention --------------------------------------------------------------------------------------


def apply_retention(now=None):
    """Unconfirmed posts and alerts go after RETENTION_UNCONFIRMED_DAYS; the contact of posts closed,
    expired or refused RETENTION_POST_CONTACT_MONTHS ago is forgotten; reports and relayed messages go
    after RETENTION_BOARD_MESSAGES_MONTHS (reports of a post still hidden, awaiting an editor, stay)."""
    now = now or timezone.now()
    unconfirmed_cutoff = now - timezone.timedelta(days=settings.RETENTION_UNCONFIRMED_DAYS)
    contact_cutoff = months_before(now, settings.RETENTION_POST_CONTACT_MONTHS)
    messages_cutoff = months_before(now, settings.RETENTION_BOARD_MESSAGES_MONTHS)
    counts = {}
    with transaction.atomic():
        unconfirmed = list(Post.objects.filter(state=State.UNCONFIRMED, created_at__lt=unconfirmed_cutoff))
        for post in unconfirmed:
            if post.image:
                post.image.delete(save=False)
        forget_log_entries(Post, [p.pk for p in unconfirmed])
        Post.objects.filter(pk__in=[p.pk for p in unconfirmed]).delete()
        counts["unconfirmed_posts_deleted"] = len(unconfirmed)
        counts["unconfirmed_alerts_deleted"] = AlertSubscription.objects.filter(
            confirmed_at__isnull=True, created_at__lt=unconfirmed_cutoff
        ).delete()[0]
        ended = (
            Post.objects.filter(state=State.CLOSED, closed_at__lt=contact_cutoff)
            | Post.objects.filter(state=State.EXPIRED, expires_on__lt=timezone.localdate(contact_cutoff))
            | Post.objects.filter(state=State.REJECTED, updated_at__lt=contact_cutoff)
        )
        ended = list(ended.exclude(contact_email=""))
        for post in ended:
            forget_contact(post)
        forget_log_entries(Post, [p.pk for p in ended], labels=False)
        counts["post_contacts_forgotten"] = len(ended)
        counts["reports_deleted"] = (
            Report.objects.filter(created_at__lt=messages_cutoff)
            .exclude(post__state=State.HIDDEN)
            .delete()[0]
        )
        counts["messages_deleted"] = ContactMessage.objects.filter(created_at__lt=messages_cutoff).delete()[0]
    logger.info("retention (babillard): %s", counts)
    return counts
