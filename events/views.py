"""Public event actions: register (on the event page), then the registration's magic-link page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import calendars, services
from events.forms import ManageRegistrationForm, RegistrationForm, too_many_seats
from events.models import EventIndexPage, EventPage, Registration
from website.http import invalid_link
from website.i18n import canonical, current_language, in_active_locale, in_default_locale, page_url
from website.ratelimit import over_public_rate
from website.tokens import link_target

State = Registration.State
STARTED_MESSAGE = _lazy(
    "L'événement a commencé : l'inscription ne peut plus être modifiée ni annulée en ligne. "
    "Pour un changement, écrivez à l'équipe."
)


def register(request, page):
    """`page` is the event page the person is reading (French, or its English alias or translation);
    the registration belongs to the source event, whose seats every language shares."""
    event = canonical(page)
    form = RegistrationForm(request.POST, event=event)
    if over_public_rate(request, "events-register"):
        form.add_rate_limit_error()
        status = 429
    elif form.is_valid():
        fields = form.registration_fields()
        try:
            registration = services.register(event, **fields)
        except services.RegistrationError as refused:
            if str(refused) == "too_many":  # the maximum was lowered while the form was open
                form.add_error("seats", too_many_seats(EventPage.objects.get(pk=event.pk).max_seats))
            else:
                form.add_error(None, _("Les inscriptions à cet événement sont fermées."))
        else:
            messages.success(request, registered_message(registration, fields["seats"]))
            return redirect(
                "events:registration_manage", token=services.manage_url(registration).rsplit("/", 2)[-2]
            )
        status = 400
    else:
        status = 400
    request.registration_form = form
    return TemplateResponse(request, page.get_template(request), page.get_context(request), status=status)


def registered_message(registration, requested):
    """What the person reads after registering: what happened, and that an email is on its way."""
    values = {"email": registration.email, "seats": registration.seats, "requested": requested}
    if registration.state == State.WAITING:
        return (
            _(
                "L'événement est complet : votre demande est sur la liste d'attente, dans l'ordre d'arrivée. "
                "Un courriel est envoyé à %(email)s."
            )
            % values
        )
    if registration.state == State.PENDING:
        return (
            _("Inscription reçue : l'équipe la confirmera sous peu. Un courriel est envoyé à %(email)s.")
            % values
        )
    if registration.seats < requested:
        return (
            ngettext(
                "Inscription enregistrée pour %(seats)s place sur les %(requested)s demandées : c'est tout ce "
                "qui restait. Un courriel de confirmation est envoyé à %(email)s.",
                "Inscription enregistrée pour %(seats)s places sur les %(requested)s demandées : c'est tout ce "
                "qui restait. Un courriel de confirmation est envoyé à %(email)s.",
                registration.seats,
            )
            % values
        )
    return _("Inscription enregistrée. Un courriel de confirmation est envoyé à %(email)s.") % values


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
    if over_public_rate(request, "events-manage"):
        form.add_rate_limit_error()
    elif form.is_valid() and registration.state not in (State.CANCELLED, State.REJECTED):
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
    return render(
        request, "events/registration_manage.html", _manage_context(registration, token, form), status=400
    )


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
