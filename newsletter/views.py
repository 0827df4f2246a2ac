"""Public newsletter pages: sign-up, confirmation, preference centre, unsubscribe. One view per action."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from newsletter import consent_renewal, links, services
from newsletter.forms import PreferencesForm, signup_form
from newsletter.models import ConsentRecord, Subscriber
from website import prefill, privacy
from website.http import client_ip, invalid_link
from website.models import PersonalDataRequest
from website.ratelimit import over_address_rate


def message(request, title, text, status=200):
    return render(request, "newsletter/message.html", {"title": title, "text": text}, status=status)


@require_http_methods(["GET", "POST"])
def signup(request):
    form = signup_form(request, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.accepted(request, "newsletter-signup"):
            data = form.cleaned_data
            services.subscribe(
                data["email"],
                topics=list(data["topics"]),
                language=data["language"],
                first_name=data["first_name"],
                organisation=data["organisation"],
                ip=client_ip(request),
            )
            return redirect("newsletter:signup_done")
        status = form.refusal_status
    response = render(request, "newsletter/signup.html", {"form": form}, status=status)
    return prefill.keep_private(request, response)


@require_GET
def signup_done(request):
    # The same answer whether the address was new, pending or already subscribed: no enumeration.
    return message(
        request,
        _("Vérifiez vos courriels"),
        _(
            "Si l'adresse est valide, vous recevrez un courriel. Ouvrez le lien qu'il contient pour confirmer "
            "votre abonnement."
        ),
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners follow links); its POST confirms, then the preferences say so."""
    found = links.confirmation_from_token(token)
    if found is None:
        return invalid_link(request)
    subscriber, signup_request = found
    if request.method == "GET":
        topics = signup_request.topics.all() if signup_request else subscriber.topics.all()
        return render(request, "newsletter/confirm.html", {"subscriber": subscriber, "topics": topics})
    subscriber = services.confirm(subscriber, signup_request, ip=client_ip(request))
    with translation.override(subscriber.language):
        messages.success(
            request, _("C'est confirmé : vous recevrez l'infolettre. Vos préférences sont ci-dessous.")
        )
        return redirect(links.path(subscriber, "newsletter.preferences"))


@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = links.subscriber_from_token(token, "newsletter.preferences")
    if subscriber is None:
        return invalid_link(request)
    form = PreferencesForm(
        request.POST or None,
        subscriber=subscriber,
        initial={"language": subscriber.language, "topics": list(subscriber.topics.all())},
    )
    if request.method == "POST" and form.is_valid():
        subscriber = services.update_preferences(
            subscriber,
            topics=list(form.cleaned_data["topics"]),
            language=form.cleaned_data["language"],
            ip=client_ip(request),
        )
        # The page follows the language just chosen.
        with translation.override(subscriber.language):
            messages.success(request, _("Préférences enregistrées."))
            return redirect(links.path(subscriber, "newsletter.preferences"))
    context = {
        "subscriber": subscriber,
        "form": form,
        "token": token,
        "unsubscribe_url": links.path(subscriber, "newsletter.unsubscribe"),
    }
    return render(request, "newsletter/preferences.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def renew(request, token):
    """CASL renewal: GET shows a button (mail scanners follow links), its POST makes the consent express."""
    subscriber = links.subscriber_from_token(token, "newsletter.renew")
    if subscriber is None:
        return invalid_link(request)
    if request.method == "GET":
        context = {"subscriber": subscriber, "wording": consent_renewal.RENEWAL_WORDING}
        return render(request, "newsletter/renew.html", context)
    subscriber, renewed = consent_renewal.renew_consent(subscriber, ip=client_ip(request))
    if not renewed and subscriber.state != subscriber.State.CONFIRMED:
        return render(request, "newsletter/renew.html", {"subscriber": subscriber})
    with translation.override(subscriber.language):
        messages.success(
            request, _("Merci : vous continuerez de recevoir l'infolettre. Vos préférences sont ci-dessous.")
        )
        return redirect(links.path(subscriber, "newsletter.preferences"))


def _pending(token, purpose):
    subscriber = links.subscriber_from_token(token, purpose)
    return subscriber if subscriber is not None and subscriber.state == Subscriber.State.PENDING else None


@require_POST
def resend(request, token):
    """From Mon espace: the confirmation email of a pending subscription again, a few times an hour."""
    subscriber = _pending(token, "newsletter.resend")
    if subscriber is None:
        return invalid_link(request)
    if over_address_rate(request, "newsletter-resend", subscriber.email, settings.NEWSLETTER_RESEND_RATE):
        return message(
            request,
            _("Trop de demandes"),
            _("Le courriel de confirmation vient d'être envoyé plusieurs fois. Réessayez dans une heure."),
            status=429,
        )
    services.resend_confirmation(subscriber)
    return message(
        request,
        _("Courriel de confirmation envoyé"),
        _("Ouvrez le lien du courriel que nous venons d'envoyer pour confirmer votre abonnement."),
    )


@require_POST
def cancel(request, token):
    """From Mon espace: a subscription never confirmed is withdrawn, and nothing of it is kept."""
    subscriber = _pending(token, "newsletter.cancel")
    if subscriber is None:
        return invalid_link(request)
    services.cancel_pending(subscriber)
    return message(
        request,
        _("Inscription à l'infolettre annulée"),
        _(
            "Votre inscription à l'infolettre est annulée. Vous ne recevrez aucun courriel de notre part à ce sujet."
        ),
    )


@require_GET
def download(request, token):
    """Everything the site holds about this address, in every app (website.privacy)."""
    subscriber = links.subscriber_from_token(token, "newsletter.preferences")
    if subscriber is None:
        return invalid_link(request)
    data = privacy.export_json(subscriber.email, channel=PersonalDataRequest.Channel.PERSON)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return response


@require_http_methods(["GET", "POST"])
def erase(request, token):
    """GET lists what will be erased, in every app; the POST erases it (website.privacy)."""
    subscriber = links.subscriber_from_token(token, "newsletter.preferences")
    if subscriber is None:
        return invalid_link(request)
    channel = PersonalDataRequest.Channel.PERSON
    if request.method == "GET":
        found = privacy.find(subscriber.email, channel=channel, record=False)
        return render(request, "newsletter/erase.html", {"found": found, "token": token})
    privacy.erase(subscriber.email, channel=channel)
    return render(request, "newsletter/erase.html", {"erased": True})


@require_GET
def sample_link(request):
    """Where the personal links of a preview or a test copy lead: a page that says what they stand for."""
    return message(
        request,
        _("Lien d'exemple"),
        _(
            "Vous avez suivi un lien d'un aperçu ou d'une copie de test. Dans l'infolettre envoyée, ce lien "
            "mène chaque abonné à sa propre page : ses préférences, ou son désabonnement."
        ),
    )


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no cookie or token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = links.subscriber_from_token(token, "newsletter.unsubscribe")
    if subscriber is None:
        return invalid_link(request)
    if request.method == "GET":
        return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    method = ConsentRecord.Method.ONE_CLICK if one_click else ConsentRecord.Method.LINK
    services.unsubscribe(subscriber, method=method, ip=client_ip(request))
    return message(
        request,
        _("Désabonnement confirmé"),
        _("Vous ne recevrez plus l'infolettre. Merci de nous avoir lus."),
    )
