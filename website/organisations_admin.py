"""Organisations in the Wagtail admin: list with filters and exports, merge a duplicate, verify.

Registered in website/wagtail_hooks.py with the other reference data (Référentiels)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_filters import BooleanFilter, ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView

from website import organisations
from website.exports import FormulaSafeIndexView, FormulaSafeSnippetViewSet
from website.models import Organisation, Region
from website.organisation_contacts_admin import contacts_button

LOG_ACTIONS = [
    (
        "website.organisation.merge",
        gettext_lazy("Fusion"),
        gettext_lazy("Doublon fusionné dans cet organisme"),
    ),
    ("website.organisation.verify", gettext_lazy("Vérifié"), gettext_lazy("Organisme vérifié")),
]


class OrganisationFilterSet(WagtailFilterSet):
    kind = ChoiceFilter(label=gettext_lazy("Type"), choices=Organisation.Kind.choices)
    regions = ModelChoiceFilter(label=gettext_lazy("Région (MRC)"), queryset=Region.objects.all())
    verified = BooleanFilter(label=gettext_lazy("Vérifié"))
    public_profile = BooleanFilter(label=gettext_lazy("Profil public accepté"))

    class Meta:
        model = Organisation
        fields = ["kind", "regions", "verified", "public_profile"]


class MergeForm(forms.Form):
    merged = forms.ModelChoiceField(
        label=gettext_lazy("Doublon à fusionner dans cet organisme"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy(
            "Ses annonces, inscriptions, abonnements et demandes d'accompagnement passent à cet organisme; "
            "son nom devient un autre nom de cet organisme, puis le doublon est supprimé."
        ),
    )

    def __init__(self, *args, kept, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged"].queryset = Organisation.objects.exclude(pk=kept.pk).order_by("name", "pk")


class OrganisationActionView(View):
    """One decision on one organisation (GET: the confirmation screen; POST: the decision)."""

    permission_policy = None
    edit_url_name = None
    actions = ("change",)
    template_name = None

    def dispatch(self, request, pk):
        self.organisation = get_object_or_404(Organisation, pk=pk)
        policy = self.permission_policy
        if not all(
            policy.user_has_permission_for_instance(request.user, a, self.organisation) for a in self.actions
        ):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def render(self, request, **context):
        context = {
            "organisation": self.organisation,
            "edit_url": reverse(self.edit_url_name, args=[self.organisation.pk]),
            **context,
        }
        return TemplateResponse(request, self.template_name, context)


class MergeView(OrganisationActionView):
    actions = ("change", "delete")
    template_name = "website/admin/organisation_merge.html"

    def get(self, request, pk):
        form = MergeForm(kept=self.organisation, initial={"merged": request.GET.get("doublon")})
        return self.render(request, form=form, duplicates=organisations.duplicates_of(self.organisation))

    def post(self, request, pk):
        form = MergeForm(request.POST, kept=self.organisation)
        if not form.is_valid():
            return self.render(request, form=form, duplicates=organisations.duplicates_of(self.organisation))
        merged = form.cleaned_data["merged"]
        moved = organisations.merge(self.organisation, merged, user=request.user)
        messages.success(
            request,
            _("« %(merged)s » a été fusionné dans « %(kept)s » (%(count)s liens déplacés).")
            % {"merged": merged.name, "kept": self.organisation.name, "count": sum(moved.values())},
        )
        return redirect(self.edit_url_name, self.organisation.pk)


class VerifyView(OrganisationActionView):
    template_name = "website/admin/organisation_verify.html"

    def get(self, request, pk):
        return self.render(request, links=organisations.links_of(self.organisation))

    def post(self, request, pk):
        organisations.verify(self.organisation, user=request.user)
        messages.success(request, _("« %(name)s » est vérifié.") % {"name": self.organisation.name})
        return redirect(self.edit_url_name, self.organisation.pk)


def action_buttons(view, instance, cls):
    """Verify and merge, for those who may; `cls` is the button class of the screen."""
    user = view.request.user
    policy = view.permission_policy
    buttons = []
    if policy.user_has_permission_for_instance(user, "change", instance) and not instance.verified:
        url = reverse(view.verify_url_name, args=[instance.pk])
        buttons.append(cls(_("Vérifier"), url=url, icon_name="tick", priority=15))
    if all(policy.user_has_permission_for_instance(user, a, instance) for a in ("change", "delete")):
        url = reverse(view.merge_url_name, args=[instance.pk])
        buttons.append(cls(_("Fusionner un doublon"), url=url, icon_name="resubmit", priority=16))
    return buttons


class OrganisationIndexView(FormulaSafeIndexView):
    verify_url_name = merge_url_name = None

    def get_list_more_buttons(self, instance):
        return [*super().get_list_more_buttons(instance), *action_buttons(self, instance, MenuItem)]


class OrganisationEditView(EditView):
    verify_url_name = merge_url_name = None

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *action_buttons(self, self.object, Button),
            *contacts_button(self, self.object, Button),
        ]


class OrganisationViewSet(FormulaSafeSnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = gettext_lazy("Organismes")
    list_display = ["name", "kind", "verified", "public_profile", "created_at"]
    list_per_page = 50
    filterset_class = OrganisationFilterSet
    search_fields = ["name", "short_name", "key", "aliases__name"]
    search_backend_name = None  # the database's own search: the registry is not in the search index
    ordering = ["name"]
    index_view_class = OrganisationIndexView
    edit_view_class = OrganisationEditView
    list_export = [
        "pk",
        "name",
        "short_name",
        "get_kind_display",
        "region_names",
        "alias_names",
        "postal_address",
        "website",
        "email",
        "phone",
        "verified",
        "public_profile",
        "created_at",
        "updated_at",
    ]
    export_headings = {
        "pk": "id",
        "get_kind_display": gettext_lazy("type"),
        "region_names": gettext_lazy("régions (MRC)"),
        "alias_names": gettext_lazy("autres noms"),
    }
    export_filename = "organismes"
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("kind")]),
        InlinePanel("aliases", heading=gettext_lazy("Autres noms"), label=gettext_lazy("Autre nom")),
        FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("postal_address"),
                FieldPanel("website"),
                FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                FieldPanel("logo"),
                FieldPanel("description"),
            ],
            heading=gettext_lazy("Profil public"),
        ),
        FieldRowPanel([FieldPanel("public_profile"), FieldPanel("verified")]),
    ]

    def get_queryset(self, request):
        return Organisation.objects.prefetch_related("regions", "aliases")

    def _action_names(self):
        return {"verify_url_name": self.get_url_name("verify"), "merge_url_name": self.get_url_name("merge")}

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(**self._action_names(), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(**self._action_names(), **kwargs)

    def get_urlpatterns(self):
        action = {"permission_policy": self.permission_policy, "edit_url_name": self.get_url_name("edit")}
        return [
            *super().get_urlpatterns(),
            path("merge/<int:pk>/", MergeView.as_view(**action), name="merge"),
            path("verify/<int:pk>/", VerifyView.as_view(**action), name="verify"),
        ]
