"""Profile proposals in the Wagtail admin (Référentiels → Propositions de profil): the pending ones
with their count, a comparison (then / now / proposed), approve or refuse. Reading needs
`website.view_profileproposal`, deciding `website.change_profileproposal` (the Contenu group)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from website import organisation_proposals as proposals
from website.exports import yes_no
from website.models import Organisation, ProfileProposal, Region
from website.permissions import PermissionMenuItem, permission_required

VIEW = "website.view_profileproposal"
DECIDE = "website.change_profileproposal"
PAGE_SIZE = 50

LOG_ACTIONS = [
    (
        "website.organisation.proposal_approve",
        gettext_lazy("Proposition approuvée"),
        gettext_lazy("Changements proposés par une personne-ressource appliqués"),
    ),
    (
        "website.organisation.proposal_refuse",
        gettext_lazy("Proposition refusée"),
        gettext_lazy("Changements proposés par une personne-ressource refusés"),
    ),
    (
        "website.profile_proposal.submit",
        gettext_lazy("Proposition reçue"),
        gettext_lazy("Une personne-ressource a proposé des changements"),
    ),
]


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif (envoyé à la personne)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProposalsMenuItem(PermissionMenuItem):
    """The menu item says how many proposals wait."""

    def render_component(self, request):
        component = super().render_component(request)
        count = ProfileProposal.objects.filter(state=ProfileProposal.State.PENDING).count()
        if count:
            component.label = f"{self.label} ({count})"
        return component


def _shown(name, value, regions):
    if name == "regions":
        return ", ".join(regions[pk] for pk in value or [] if pk in regions) or "—"
    if name == "kind":
        return str(dict(Organisation.Kind.choices).get(value, "—"))
    if isinstance(value, bool):
        return yes_no(value)
    return value or "—"


def comparison(proposal):
    """[(label, then, now, proposed, changed since)] for each field the proposal changes."""
    regions = {region.pk: region.label for region in Region.objects.all()}
    now = proposals.current_values(proposal.organisation)
    rows = []
    for name in proposals.PROPOSABLE:
        if name not in proposal.changes:
            continue
        then = proposal.previous.get(name)
        label = Organisation._meta.get_field(name).verbose_name
        rows.append(
            (
                label,
                _shown(name, then, regions),
                _shown(name, now[name], regions),
                _shown(name, proposal.changes[name], regions),
                now[name] != then,
            )
        )
    return rows


@permission_required(VIEW)
def index(request):
    state = request.GET.get("etat", ProfileProposal.State.PENDING)
    if state not in ProfileProposal.State.values:
        state = ProfileProposal.State.PENDING
    found = ProfileProposal.objects.filter(state=state).select_related("organisation")
    context = {
        "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "state": state,
        "states": ProfileProposal.State.choices,
        "pending": ProfileProposal.objects.filter(state=ProfileProposal.State.PENDING).count(),
    }
    return TemplateResponse(request, "website/admin/proposal_index.html", context)


@permission_required(VIEW)
def review(request, pk):
    proposal = get_object_or_404(ProfileProposal.objects.select_related("organisation", "decided_by"), pk=pk)
    context = {
        "proposal": proposal,
        "rows": comparison(proposal),
        "refuse_form": RefuseForm(),
        "may_decide": request.user.has_perm(DECIDE),
    }
    return TemplateResponse(request, "website/admin/proposal_review.html", context)


@permission_required(VIEW)
def logo(request, pk):
    """The proposed logo, to editors only: it sits outside the public media until approved."""
    proposal = get_object_or_404(ProfileProposal.objects.exclude(logo=""), pk=pk)
    response = FileResponse(proposal.logo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required(VIEW, DECIDE)  # refused before the method is looked at
@require_POST
def approve(request, pk):
    proposal = get_object_or_404(ProfileProposal, pk=pk)
    if proposals.approve(proposal, user=request.user):
        messages.success(request, _("Les changements sont appliqués; la personne en est avisée."))
    else:
        messages.warning(request, _("Cette proposition a déjà été décidée."))
    return redirect("website_proposals:index")


@permission_required(VIEW, DECIDE)  # refused before the method is looked at
@require_POST
def refuse(request, pk):
    proposal = get_object_or_404(ProfileProposal, pk=pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        context = {
            "proposal": proposal,
            "rows": comparison(proposal),
            "refuse_form": form,
            "may_decide": True,
        }
        return TemplateResponse(request, "website/admin/proposal_review.html", context, status=400)
    if proposals.refuse(proposal, user=request.user, reason=form.cleaned_data["reason"]):
        messages.success(request, _("La proposition est refusée; la personne en est avisée."))
    else:
        messages.warning(request, _("Cette proposition a déjà été décidée."))
    return redirect("website_proposals:index")
