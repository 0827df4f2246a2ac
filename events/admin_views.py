"""Editors' views for one event: summary, check-in list, bulk email, cancellation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from events import services
from events.forms import BulkEmailForm, CancelEventForm
from events.models import EventPage, Registration
from website.permissions import permission_required

Status = Registration.Status


def editable_event(request, pk):
    event = get_object_or_404(EventPage, pk=pk)
    if not event.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return event


@permission_required("events.view_registration")
def summary(request, pk):
    event = get_object_or_404(EventPage, pk=pk)  # read-only: whoever may read registrations
    by_status = {
        row["status"]: (row["n"], row["seats"])
        for row in Registration.objects.filter(event=event)
        .values("status")
        .annotate(n=Count("pk"), seats=Sum("seats"))
    }
    return TemplateResponse(
        request,
        "events/admin/summary.html",
        {
            "event": event,
            "by_status": [(label, *by_status.get(value, (0, 0))) for value, label in Status.choices],
            "seats_taken": services.seats_taken(event),
            "seats_left": services.seats_left(event),
            "waiting": Registration.objects.filter(event=event, status=Status.WAITING),
            "shares": services.cost_shares(event),
        },
    )


@permission_required("events.view_registration", post=["events.change_registration"])
def checkin(request, pk):
    event = editable_event(request, pk)
    registrations = Registration.objects.filter(event=event, status=Status.CONFIRMED).order_by(
        "organisation", "contact_name"
    )
    if request.method == "POST":
        attended = {}
        for registration in registrations:
            raw = request.POST.get(f"present-{registration.pk}", "").strip()
            if raw.isdigit():
                attended[registration.pk] = min(int(raw), registration.seats)
        services.mark_attendance(event, attended)
        messages.success(request, _("Présences enregistrées."))
        return redirect("events_admin:checkin", pk=event.pk)
    return TemplateResponse(
        request, "events/admin/checkin.html", {"event": event, "registrations": registrations}
    )


@permission_required("events.email_registrants")
def bulk_email(request, pk):
    event = editable_event(request, pk)
    form = BulkEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        count = services.bulk_email(event, data["subject"], data["body"], data["statuses"], user=request.user)
        messages.success(request, _("%(count)s courriel(s) en cours d'envoi.") % {"count": count})
        return redirect("events_admin:summary", pk=event.pk)
    return TemplateResponse(
        request,
        "events/admin/form.html",
        {"event": event, "form": form, "title": _("Écrire aux personnes inscrites"), "button": _("Envoyer")},
    )


@permission_required("events.email_registrants")
def cancel(request, pk):
    event = editable_event(request, pk)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel_event(event, user=request.user, message=form.cleaned_data["message"])
        messages.success(request, _("Événement annulé; toutes les personnes inscrites sont avisées."))
        return redirect("events_admin:summary", pk=event.pk)
    return TemplateResponse(
        request,
        "events/admin/form.html",
        {
            "event": event,
            "form": form,
            "title": _("Annuler l'événement"),
            "button": _("Annuler l'événement et aviser tout le monde"),
        },
    )
