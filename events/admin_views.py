"""Editors' views for one event: summary, check-in list, bulk email, cancellation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView

from events import services
from events.forms import BulkEmailForm, CancelEventForm, RegistrationSeatsForm, too_many_seats
from events.models import EventPage, Registration
from website.permissions import permission_required

State = Registration.State


def screen(request, event, title, template, **context):
    """An editor's screen about one event: its title in the header, the page tree and the event's
    Inscriptions screen in the breadcrumb, and the way back to both."""
    summary_url = reverse("events_admin:summary", args=[event.pk])
    trail = [{"url": summary_url, "label": _("Inscriptions")}]
    if request.path != summary_url:
        trail.append({"url": request.path, "label": title})
    return TemplateResponse(
        request,
        template,
        {
            "event": event,
            "title": title,
            "header_title": f"{title} — {event.title}",
            "header_icon": "date",
            "breadcrumbs_items": [*get_breadcrumbs_items_for_page(event, request.user), *trail],
            "summary_url": summary_url,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[event.pk]),
            "can_edit_event": event.permissions_for_user(request.user).can_edit(),
            **context,
        },
    )


def editable_event(request, pk):
    event = get_object_or_404(EventPage, pk=pk)
    if not event.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return event


@permission_required("events.view_registration")
def summary(request, pk):
    event = get_object_or_404(EventPage, pk=pk)  # read-only: whoever may read registrations
    by_state = {
        row["state"]: (row["n"], row["seats"])
        for row in Registration.objects.filter(event=event)
        .values("state")
        .annotate(n=Count("pk"), seats=Sum("seats"))
    }
    return screen(
        request,
        event,
        _("Inscriptions"),
        "events/admin/summary.html",
        by_state=[(label, *by_state.get(value, (0, 0))) for value, label in State.choices],
        seats_taken=services.seats_taken(event),
        seats_left=services.seats_left(event),
        waiting=Registration.objects.filter(event=event, state=State.WAITING),
        shares=services.cost_shares(event),
    )


@permission_required("events.view_registration", post=["events.change_registration"])
def checkin(request, pk):
    event = editable_event(request, pk)
    registrations = Registration.objects.filter(event=event, state=State.CONFIRMED).order_by(
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
    return screen(
        request, event, _("Liste de présences"), "events/admin/checkin.html", registrations=registrations
    )


@permission_required("events.email_registrants")
def bulk_email(request, pk):
    event = editable_event(request, pk)
    form = BulkEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        count = services.bulk_email(event, data["subject"], data["body"], data["states"], user=request.user)
        messages.success(request, _("%(count)s courriel(s) en cours d'envoi.") % {"count": count})
        return redirect("events_admin:summary", pk=event.pk)
    return screen(
        request,
        event,
        _("Écrire aux personnes inscrites"),
        "events/admin/form.html",
        form=form,
        button=_("Envoyer"),
    )


@permission_required("events.email_registrants")
def cancel(request, pk):
    event = editable_event(request, pk)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel_event(event, user=request.user, message=form.cleaned_data["message"])
        messages.success(request, _("Événement annulé; toutes les personnes inscrites sont avisées."))
        return redirect("events_admin:summary", pk=event.pk)
    return screen(
        request,
        event,
        _("Annuler l'événement"),
        "events/admin/form.html",
        form=form,
        button=_("Annuler l'événement et aviser tout le monde"),
        serious=True,
    )


@permission_required("events.view_registration", post=["events.change_registration"])
def registration_seats(request, pk):
    """An editor changes a registration's seats: above the event's maximum per registration, and after
    the event has started (the visitor's link no longer can). Free seats are still checked under the
    event's lock, and seats given back go to the waiting list."""
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    form = RegistrationSeatsForm(request.POST or None, initial={"seats": registration.seats})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_seats(registration, form.cleaned_data["seats"], user=request.user)
        except services.RegistrationError:
            form.add_error(
                "seats",
                _("Il ne reste pas assez de places libres. Augmentez d'abord la capacité de l'événement."),
            )
        else:
            messages.success(
                request,
                _("Places de %(organisation)s : %(seats)s.")
                % {"organisation": registration.organisation, "seats": form.cleaned_data["seats"]},
            )
            return redirect("events_admin:summary", pk=registration.event_id)
    return screen(
        request,
        registration.event,
        _("Places de l'inscription"),
        "events/admin/registration_seats.html",
        registration=registration,
        form=form,
        seats_left=services.seats_left(registration.event),
        can_change=request.user.has_perm("events.change_registration"),
        active=registration.state not in (State.CANCELLED, State.REJECTED),
    )


@permission_required("events.change_registration")
def registration_cancel(request, pk):
    """An editor cancels a registration, also once the event has started; its seats go to the waiting
    list and the person is told, as when they cancel themselves."""
    registration = get_object_or_404(Registration, pk=pk)
    if request.method != "POST":
        return redirect("events_admin:registration_seats", pk=pk)
    services.cancel(registration, user=request.user)
    messages.success(
        request, _("Inscription de %(organisation)s annulée.") % {"organisation": registration.organisation}
    )
    return redirect("events_admin:summary", pk=registration.event_id)


class RegistrationCreateView(SnippetCreateView):
    """An editor registering someone (a phone call, a paper form) goes through the same rules as the
    public form: the event's lock, its capacity and the waiting list, and the person's email. Seats and
    state are never typed: the rules decide them."""

    def save_instance(self):
        data = self.form.cleaned_data
        fields = {name: data[name] for name in REGISTRATION_CREATE_FIELDS if name in data}
        return services.register(
            data["event"],
            seats=data["seats"],
            allow_partial=data.get("allow_partial", False),
            language=data.get("language") or None,
            **fields,
        )

    def form_valid(self, form):
        if form.cleaned_data["seats"] < 1:
            return self.refused(form, "seats", _("Au moins une place."))
        try:
            return super().form_valid(form)
        except services.RegistrationError as refused:
            if str(refused) == "too_many":
                return self.refused(form, "seats", too_many_seats(form.cleaned_data["event"].max_seats))
            return self.refused(form, "event", _("Les inscriptions à cet événement sont fermées."))

    def refused(self, form, field, error):
        """The form again, with what was typed, the rule's reason next to its field and Wagtail's banner."""
        form.add_error(field, error)
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)


# What the editor types when adding a registration; event, seats, partial acceptance and language are
# passed to the service by name.
REGISTRATION_CREATE_FIELDS = (
    "contact_name",
    "email",
    "organisation",
    "attendee_names",
    "dietary_needs",
    "accessibility_needs",
    "answers",
    "newsletter_consent",
)
