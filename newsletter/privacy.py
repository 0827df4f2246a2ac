"""What the newsletter holds about a person (subscription, consent ledger, deliveries): found, exported
and erased through website.privacy.

The consent ledger goes with the subscriber: once the address is erased nothing is sent to it, and the
suppression entry (a keyed hash of the address and its date, website.SuppressedAddress) is the proof
that consent was withdrawn and when. Unconfirmed sign-ups are purged by newsletter.services."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from newsletter.models import ConsentRecord, Delivery, SignupRequest, Subscriber
from website.privacy import Erased, Found, PersonalDataSource, forget_log_entries, local_date


class NewsletterSource(PersonalDataSource):
    name = "newsletter"
    label = _("Infolettre")

    @staticmethod
    def subscribers(email):
        return Subscriber.objects.filter(email__iexact=email).prefetch_related("topics")

    @staticmethod
    def deliveries(email):
        return Delivery.objects.filter(Q(email__iexact=email) | Q(subscriber__email__iexact=email))

    def find(self, email):
        subscribers = list(self.subscribers(email))
        return [
            Found(
                "subscription",
                _("Abonnement"),
                [f"{s.email} ({s.get_state_display()})" for s in subscribers],
            ),
            Found(
                "consent_ledger",
                _("Registre de consentement"),
                [
                    f"{local_date(r.created_at)} — {r.get_action_display()}"
                    for s in subscribers
                    for r in s.ledger.all()
                ],
            ),
            Found(
                "deliveries",
                _("Numéros envoyés"),
                [
                    f"{d.issue.title} ({d.get_state_display()})"
                    for d in self.deliveries(email).select_related("issue")
                ],
            ),
        ]

    def export(self, email):
        return {
            "subscriptions": [
                {
                    "email": s.email,
                    "first_name": s.first_name,
                    "organisation": s.organisation,
                    "language": s.language,
                    "state": s.get_state_display(),
                    "topics": [t.name for t in s.topics.all()],
                    "created_at": s.created_at,
                    "confirmed_at": s.confirmed_at,
                    "unsubscribed_at": s.unsubscribed_at,
                    "implied_consent_expires_at": s.consent_expires_at,
                    "consent_renewal_asked_for": s.renewal_asked_for,
                    "pending_signup": self.pending_signup(s),
                    "consent_ledger": [
                        {
                            "date": r.created_at,
                            "action": r.get_action_display(),
                            "method": r.get_method_display(),
                            "kind": r.get_kind_display(),
                            "wording": r.wording,
                            "ip_address": r.ip_address,
                            "details": r.details,
                        }
                        for r in s.ledger.all()
                    ],
                }
                for s in self.subscribers(email)
            ],
            "newsletters_sent": [
                {"issue": d.issue.title, "state": d.get_state_display(), "sent_at": d.sent_at}
                for d in self.deliveries(email).select_related("issue").order_by("pk")
            ],
        }

    @staticmethod
    def pending_signup(subscriber):
        """A sign-up typed for this address and not yet confirmed (what would change on confirmation)."""
        try:
            request = subscriber.signup_request
        except SignupRequest.DoesNotExist:
            return None
        return {
            "first_name": request.first_name,
            "organisation": request.organisation,
            "language": request.language,
            "topics": [t.name for t in request.topics.all()],
            "wording": request.wording,
            "ip_address": request.ip_address,
            "requested_at": request.created_at,
        }

    def erase(self, email):
        with transaction.atomic():
            subscribers = list(self.subscribers(email))
            pks = [s.pk for s in subscribers]
            ledger = ConsentRecord.objects.filter(subscriber__in=pks).count()
            deliveries, _rows = self.deliveries(email).delete()
            forget_log_entries(Subscriber, pks)
            # The ledger and any sign-up awaiting confirmation go too (see the docstring).
            Subscriber.objects.filter(pk__in=pks).delete()
        return [
            Erased("subscription", _("Abonnement"), deleted=len(pks)),
            Erased("consent_ledger", _("Registre de consentement"), deleted=ledger),
            Erased("deliveries", _("Numéros envoyés"), deleted=deliveries),
        ]
