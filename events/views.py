"""Public event addresses besides the pages (which serve their registration form themselves): the
calendars, and the registration's magic-link page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import calendars, services
from events.forms import ManageRegistrationForm, too_many_seats
from events.models import EventIndexPage, EventPage, Registration
from website.http import invalid_link
from website.i18n import canonical, current_language, in_active_locale, in_default_locale, page_url
from website.tokens import link_target

State = Registration.State
STARTED_MESSAGE = _lazy(
    "L'événement a commencé : l'inscription ne peut plus être modifiée ni annulée en ligne. "
    "Pour un changement, écrivez à l'équipe."
)


@require_GET
def calendar_feed(request):
    index = in_default_locale(EventIndexPage.objects.live()).first()
    if index is None:
        raise Http404
    return calendars.feed_response(index, current_language())


@require_GET
def event_calendar(request, slug):
    """The event's `.ics`, by the slug of its page in the reader's language (every language has one
    page per event, with the same slug unless a translator changed it)."""
    page = in_active_locale(EventPage.objects.live().public()).filter(slug=slug).order_by("pk").first()
    if page is None:
        raise Http404
    return calendars.event_response(canonical(page), current_language())


with_registration = link_target(services.registration_from_token, invalid_link)


def _max_seats(registration):
    return max(registration.event.seats_per_registration, registration.seats)


def _manage_context(registration, token, form=None):
    return {
        "registration": registration,
        "event": registration.event,
        "event_url": page_url(registration.event),
        "share": services.registration_share(registration),
        "token": token,
        "form": form
        or ManageRegistrationForm(
            initial=ManageRegistrationForm.initial_for(registration), max_seats=_max_seats(registration)
        ),
        "active": registration.state not in (State.CANCELLED, State.REJECTED),
        # Once the event has started, the link shows the registration but no longer changes it.
        "locked": not services.visitor_may_change(registration),
    }


def _started(request, token):
    messages.error(request, STARTED_MESSAGE)
    return redirect("events:registration_manage", token=token)


@require_http_methods(["GET", "POST"])
@with_registration
def registration_manage(request, token, registration):
    if request.method == "GET":
        return render(request, "events/registration_manage.html", _manage_context(registration, token))
    if not services.visitor_may_change(registration):
        return _started(request, token)
    form = ManageRegistrationForm(request.POST, max_seats=_max_seats(registration))
    if form.accepted(request, "events-manage") and registration.state not in (
        State.CANCELLED,
        State.REJECTED,
    ):
        try:
            services.change_seats(
                registration,
                form.cleaned_data["seats"],
                form.cleaned_data["attendee_names"],
                needs={name: form.cleaned_data[name] for name in ManageRegistrationForm.NEEDS},
            )
        except services.RegistrationError as refused:
            if str(refused) == "started":
                return _started(request, token)
            if str(refused) == "too_many":
                form.add_error("seats", too_many_seats(_max_seats(registration)))
            else:
                form.add_error("seats", _("Il ne reste pas assez de places pour en ajouter."))
        else:
            messages.success(request, _("Inscription mise à jour."))
            return redirect("events:registration_manage", token=token)
    registration.refresh_from_db()
    context = _manage_context(registration, token, form)
    return render(request, "events/registration_manage.html", context, status=form.refusal_status)


@require_http_methods(["GET", "POST"])
@with_registration
def registration_cancel(request, token, registration):
    """GET asks (mail scanners and link previews follow links: they change nothing); POST cancels."""
    if registration.state in (State.CANCELLED, State.REJECTED):
        return redirect("events:registration_manage", token=token)
    if not services.visitor_may_change(registration):
        return _started(request, token)
    if request.method == "GET":
        return render(request, "events/registration_cancel.html", _manage_context(registration, token))
    was_waiting = registration.state == State.WAITING
    try:
        services.cancel(registration, visitor=True)
    except services.RegistrationError:
        return _started(request, token)
    if was_waiting:
        messages.success(
            request, _("Votre demande est retirée de la liste d'attente. Merci de nous avoir prévenus.")
        )
    else:
        messages.success(request, _("Votre inscription est annulée. Merci de nous avoir prévenus."))
    return redirect("events:registration_manage", token=token)


@require_POST
@with_registration
def registration_accept(request, token, registration):
    if not services.visitor_may_change(registration):
        return _started(request, token)
    try:
        services.accept_offer(registration)
    except services.RegistrationError:
        messages.error(request, _("Cette offre de place n'est plus valide."))
    else:
        messages.success(request, _("C'est confirmé : la place est à vous."))
    return redirect("events:registration_manage", token=token)


@require_POST
@with_registration
def registration_presence(request, token, registration):
    services.confirm_presence(registration)
    messages.success(request, _("Merci! Votre présence est confirmée."))
    return redirect("events:registration_manage", token=token)
