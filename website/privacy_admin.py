"""The privacy officer's screen in the Wagtail admin (Paramètres → Renseignements personnels): enter an
address, see what every app holds, download it as JSON, erase it after a confirmation, or lift an
erased address's block so that the person can subscribe again. Addresses travel in POST bodies only,
never in URLs (which end up in logs); every action is recorded by website.privacy with the address's
hash only."""

import functools

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from website import privacy
from website.models import PersonalDataRequest

PERMISSION = "website.manage_personal_data"


def officer_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class LookupForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Adresse courriel de la personne"), max_length=254)


class EraseForm(forms.Form):
    email = forms.EmailField(widget=forms.HiddenInput, max_length=254)
    confirmation = forms.EmailField(
        label=gettext_lazy("Retapez l'adresse pour confirmer l'effacement"),
        max_length=254,
        help_text=gettext_lazy("L'effacement est définitif."),
    )

    def clean(self):
        cleaned = super().clean()
        email, confirmation = cleaned.get("email"), cleaned.get("confirmation")
        if email and confirmation and privacy.normalise(email) != privacy.normalise(confirmation):
            self.add_error("confirmation", _("Ce n'est pas la même adresse."))
        return cleaned


def _page(request, template, **context):
    return TemplateResponse(request, f"website/admin/{template}", context)


@officer_only
def index(request):
    """GET: the search form and the register of requests. POST: what exists for one address."""
    form = LookupForm(request.POST or None)
    context = {"form": form, "requests": PersonalDataRequest.objects.select_related("user")[:20]}
    if request.method == "POST" and form.is_valid():
        email = privacy.normalise(form.cleaned_data["email"])
        context.update(
            email=email,
            found=privacy.find(email, user=request.user),
            suppressed=privacy.is_suppressed(email),
        )
    return _page(request, "privacy_index.html", **context)


@officer_only
@require_POST
def export(request):
    form = LookupForm(request.POST)
    if not form.is_valid():
        return redirect("website_privacy:index")
    data = privacy.export_json(form.cleaned_data["email"], user=request.user)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    filename = f"renseignements-personnels-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@officer_only
@require_POST
def erase(request):
    """First POST (from the results): what will be erased, and the confirmation form. Second POST (the
    address typed again): the erasure, its outcome, and a scan of the whole database for what is left."""
    if "confirmation" not in request.POST:
        lookup = LookupForm(request.POST)
        if not lookup.is_valid():
            return redirect("website_privacy:index")
        email = privacy.normalise(lookup.cleaned_data["email"])
        form = EraseForm(initial={"email": email})
    else:
        form = EraseForm(request.POST)
        email = privacy.normalise(request.POST.get("email", ""))
        if form.is_valid():
            outcomes = privacy.erase(email, user=request.user)
            return _page(
                request,
                "privacy_erased.html",
                email=email,
                outcomes=outcomes,
                leftovers=privacy.leftovers(email),
            )
    found = privacy.find(email, user=request.user, record=False)
    return _page(request, "privacy_erase.html", email=email, form=form, found=found)


@officer_only
@require_POST
def lift(request):
    form = LookupForm(request.POST)
    if form.is_valid() and privacy.lift_suppression(form.cleaned_data["email"], user=request.user):
        messages.success(
            request,
            _("L'adresse n'est plus bloquée : la personne peut s'abonner de nouveau (avec confirmation)."),
        )
    else:
        messages.error(request, _("Cette adresse n'était pas bloquée."))
    return redirect("website_privacy:index")
