"""Mon espace: ask for the link, the page it opens, and what the person does there (log out, download,
erase). One view per action; the rules are in website/space.py and website/privacy."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from website import prefill, privacy, space
from website.forms import SpaceRequestForm
from website.http import invalid_link
from website.i18n import current_language
from website.models import PersonalDataRequest
from website.ratelimit import over_address_rate
from website.space_sections import organisation_parts, own_parts, profile
from website.tokens import link_target

CHANNEL = PersonalDataRequest.Channel.SPACE
space_link = link_target(space.key_from_token, invalid_link)


@require_http_methods(["GET", "POST"])
def space_request(request):
    data = request.POST if request.method == "POST" else None  # an empty POST is told what is missing
    form = SpaceRequestForm(data, initial=prefill.initial(request, email="email"))
    status = 200
    if request.method == "POST":
        if form.accepted(request, "space-request"):
            email = form.cleaned_data["email"]
            # Over the rate for this address: the same answer, and no email (nobody floods an inbox).
            if not over_address_rate(request, "space-request-address", email, settings.SPACE_LINK_RATE):
                space.request_link(email, language=current_language())
            return redirect("space_sent")
        status = form.refusal_status
    response = render(request, "website/space_request.html", {"form": form}, status=status)
    return prefill.keep_private(request, response)


@require_GET
def space_sent(request):
    # The same answer whether the address is known or not: nobody learns who uses the site.
    return render(request, "website/space_sent.html")


def _page_context(visitor, token):
    parts = own_parts(visitor)
    return {
        "visitor": visitor,
        "parts": parts,
        "organisation_parts": organisation_parts(visitor),
        "organisations": list(visitor.organisations),
        "token": token,
        "profile": profile(parts),
    }


@never_cache
@require_GET
@space_link
def space_home(request, token, key):
    visitor = space.visitor_for(key.email, current_language())
    context = _page_context(visitor, token)
    response = render(request, "website/space.html", context)
    return prefill.remember(response, email=visitor.email, **context["profile"])


@require_POST
@space_link
def space_logout(request, token, key):
    space.log_out_everywhere(key)
    return prefill.forget(render(request, "website/space_logged_out.html"))


@never_cache
@require_GET
@space_link
def space_download(request, token, key):
    data = privacy.export_json(key.email, channel=CHANNEL)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@space_link
def space_erase(request, token, key):
    """GET lists what will be erased, in every app; the POST erases it (the space's key too)."""
    if request.method == "GET":
        found = privacy.find(key.email, channel=CHANNEL, record=False)
        return render(request, "website/space_erase.html", {"found": found, "token": token})
    privacy.erase(key.email, channel=CHANNEL)
    return prefill.forget(redirect("space_erased"))


@require_GET
def space_erased(request):
    return render(request, "website/space_erased.html")
