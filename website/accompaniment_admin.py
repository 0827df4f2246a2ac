"""Support requests in the Wagtail admin (menu "Accompagnement"): the list with its filters (status, MRC,
assigned editor), and one request's screen: the person's answers, its status, who follows it, the
team's internal notes, its history and what it led to.

Reading needs `website.view_supportrequest` (the support-request and privacy groups); changing the
status, the assignment or adding a note needs `website.change_supportrequest` (the support-request
group only). One view per action, each calling website/accompaniment.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from website import accompaniment
from website.models import Region, SupportRequest
from website.permissions import SUPPORT_REQUESTS, permission_required
from website.support_outcomes import outcomes_of

VIEW = "website.view_supportrequest"
CHANGE = "website.change_supportrequest"
PAGE_SIZE = 50
UNASSIGNED = "aucun"


def editors():
    """Who may follow a request: active members of the support-request group, and superusers."""
    users = get_user_model().objects.filter(is_active=True)
    return (
        users.filter(Q(groups__name=SUPPORT_REQUESTS) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def editor_label(user):
    return user.get_full_name() or user.get_username()


class FilterForm(forms.Form):
    statut = forms.ChoiceField(
        label=gettext_lazy("Statut"), required=False, choices=[("", gettext_lazy("Tous"))]
    )
    mrc = forms.ModelChoiceField(
        label=gettext_lazy("Région (MRC)"),
        required=False,
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label=gettext_lazy("Toutes"),
    )
    responsable = forms.ChoiceField(label=gettext_lazy("Responsable"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [("", _("Tous")), *SupportRequest.Status.choices]
        self.fields["responsable"].choices = [
            ("", _("Tous")),
            (UNASSIGNED, _("Personne")),
            *((str(user.pk), editor_label(user)) for user in editors()),
        ]

    def filter(self, requests):
        """The requests narrowed by every valid filter; an invalid value narrows nothing."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("statut"):
            requests = requests.filter(status=data["statut"])
        if data.get("mrc"):
            requests = requests.filter(region=data["mrc"])
        if data.get("responsable") == UNASSIGNED:
            requests = requests.filter(assigned_to=None)
        elif data.get("responsable"):
            requests = requests.filter(assigned_to_id=int(data["responsable"]))
        return requests


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Nouveau statut"))

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = accompaniment.TRANSITIONS[current]
        self.fields["status"].choices = [
            (v, label) for v, label in SupportRequest.Status.choices if v in allowed
        ]
        self.fields["status"].help_text = _(
            "La personne reçoit un courriel qui lui annonce le nouveau statut."
        )


class AssignForm(forms.Form):
    editor = forms.ModelChoiceField(
        label=gettext_lazy("Responsable"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=gettext_lazy("Personne"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["editor"].queryset = editors()
        self.fields["editor"].label_from_instance = editor_label


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Note interne"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Pour l'équipe seulement : jamais publiée ni envoyée à la personne. Elle fait partie de ses "
            "renseignements personnels : elle lui est remise si elle demande d'y accéder (Loi 25)."
        ),
    )


def listing(request):
    requests = SupportRequest.objects.select_related(
        "region", "assigned_to", "submission__organisation_link"
    ).order_by("-submitted_at", "-pk")
    form = FilterForm(request.GET or None)
    if request.GET:
        requests = form.filter(requests)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode()}


@permission_required(VIEW)
def index(request):
    return TemplateResponse(request, "website/admin/support_requests.html", listing(request))


def answers(submission):
    """[(question, answer)] in the form's order, lists joined; questions the form no longer has last."""
    if submission is None:
        return []
    fields = list(submission.page.specific.get_form_fields())
    labels = {field.clean_name: field.label for field in fields}
    data = submission.form_data
    ordered = [f.clean_name for f in fields if f.clean_name in data] + [k for k in data if k not in labels]
    return [
        (
            labels.get(name, name),
            ", ".join(map(str, data[name])) if isinstance(data[name], list) else data[name],
        )
        for name in ordered
    ]


def detail_context(request, support_request, **forms_given):
    can_change = request.user.has_perm(CHANGE)
    context = {
        "support_request": support_request,
        "answers": answers(support_request.submission),
        "organisation": getattr(support_request.submission, "organisation_link", None),
        "notes": support_request.notes.select_related("author"),
        "history": support_request.status_changes.select_related("changed_by"),
        "outcomes": outcomes_of(support_request),
        "can_change": can_change,
    }
    if can_change:
        context["status_form"] = forms_given.get("status_form") or StatusForm(current=support_request.status)
        context["assign_form"] = forms_given.get("assign_form") or AssignForm(
            initial={"editor": support_request.assigned_to_id}
        )
        context["note_form"] = forms_given.get("note_form") or NoteForm()
    return context


def render_detail(request, support_request, status=200, **forms_given):
    context = detail_context(request, support_request, **forms_given)
    return TemplateResponse(request, "website/admin/support_request.html", context, status=status)


def get_request(pk):
    queryset = SupportRequest.objects.select_related(
        "region", "assigned_to", "submission__page", "submission__organisation_link"
    )
    return get_object_or_404(queryset, pk=pk)


@permission_required(VIEW)
def detail(request, pk):
    return render_detail(request, get_request(pk))


@permission_required(VIEW, post=[CHANGE])
@require_POST
def change_status(request, pk):
    support_request = get_request(pk)
    form = StatusForm(request.POST, current=support_request.status)
    if not form.is_valid():
        return render_detail(request, support_request, status=400, status_form=form)
    try:
        accompaniment.change_status(pk, status=form.cleaned_data["status"], user=request.user)
    except accompaniment.TransitionRefused:
        messages.error(request, _("Le statut a changé entre-temps : choisissez de nouveau."))
    else:
        messages.success(request, _("Statut changé; la personne en est avisée par courriel."))
    return redirect("website_support_requests:detail", pk=pk)


@permission_required(VIEW, post=[CHANGE])
@require_POST
def assign(request, pk):
    support_request = get_request(pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return render_detail(request, support_request, status=400, assign_form=form)
    accompaniment.assign(pk, editor=form.cleaned_data["editor"], user=request.user)
    messages.success(request, _("Responsable enregistré."))
    return redirect("website_support_requests:detail", pk=pk)


@permission_required(VIEW, post=[CHANGE])
@require_POST
def add_note(request, pk):
    support_request = get_request(pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render_detail(request, support_request, status=400, note_form=form)
    accompaniment.add_note(pk, text=form.cleaned_data["text"], user=request.user)
    messages.success(request, _("Note ajoutée."))
    return redirect("website_support_requests:detail", pk=pk)
