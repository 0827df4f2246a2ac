"""Public pages of profile proposals: ask for the link (`/organismes/proposer/lien/`), then, from the
emailed link, propose changes (`/organismes/proposer/<token>/`). One view per action."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from website import organisation_proposals as proposals
from website.http import invalid_link
from website.i18n import current_language
from website.organisation_proposal_forms import ProposalForm, ProposalLinkForm
from website.tokens import link_target

proposal_link = link_target(proposals.from_token, invalid_link)


def message(request, title, text, status=200):
    return render(request, "website/proposal_message.html", {"title": title, "text": text}, status=status)


@require_http_methods(["GET", "POST"])
def request_link(request):
    form = ProposalLinkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.accepted(request, "organisation-proposal-link"):
            proposals.send_links(form.cleaned_data["email"], language=current_language())
            return redirect("organisation_proposal_link_sent")
        status = form.refusal_status
    return render(request, "website/proposal_request.html", {"form": form}, status=status)


@require_GET
def link_sent(request):
    # The same answer whether or not the address is an organisation's contact: no enumeration.
    return message(
        request,
        _("Vérifiez vos courriels"),
        _(
            "Si cette adresse est celle d'une personne-ressource d'un organisme membre, vous recevrez un "
            "courriel avec un lien pour proposer des modifications à son profil."
        ),
    )


def _initial(organisation, pending):
    values = proposals.current_values(organisation)
    if pending is not None:
        values.update(pending.changes)
    return {**values, "name": pending.name if pending else ""}


@never_cache
@require_http_methods(["GET", "POST"])
@proposal_link
def propose(request, token, found):
    organisation, email = found
    pending = proposals.pending_for(organisation, email)
    submitted = (request.POST, request.FILES) if request.method == "POST" else ()
    form = ProposalForm(*submitted, initial=_initial(organisation, pending))
    status = 200
    if request.method == "POST":
        if form.accepted(request, "organisation-proposal"):
            data = form.cleaned_data
            proposal = proposals.propose(
                organisation=organisation,
                email=email,
                name=data["name"],
                language=current_language(),
                values=data,
                logo=data["logo"],
            )
            if proposal is not None:
                return redirect("organisation_proposal_sent", token)
            form.add_error(None, _("Rien n'a changé par rapport au profil actuel."))
        status = form.refusal_status
    context = {"form": form, "organisation": organisation, "pending": pending}
    return render(request, "website/proposal_form.html", context, status=status)


@never_cache
@require_GET
@proposal_link
def proposal_sent(request, token, found):
    organisation, _email = found
    return message(
        request,
        _("Proposition envoyée"),
        _(
            "Merci. L'équipe du réseau examinera vos changements au profil de « %(name)s »; rien n'est "
            "publié avant son approbation. Vous recevrez un courriel avec sa décision."
        )
        % {"name": organisation.name},
    )
