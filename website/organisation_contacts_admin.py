"""Contacts of organisations in the Wagtail admin (Référentiels → Personnes-ressources).

Their own model permissions (`website.*_organisationcontact`, held by the Contenu group and, to read,
by the privacy officer): editing an organisation's public details does not open its people's addresses.
The organisation's edit screen links to its contacts for those who may see them."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_filters import ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.views.snippets import CreateView

from website.exports import FormulaSafeSnippetViewSet
from website.forms import MAX_ID
from website.models import Organisation, OrganisationContact

VIEW_CONTACTS = "website.view_organisationcontact"


class ContactFilterSet(WagtailFilterSet):
    organisation = ModelChoiceFilter(label=gettext_lazy("Organisme"), queryset=Organisation.objects.all())

    class Meta:
        model = OrganisationContact
        fields = ["organisation"]


class ContactCreateView(CreateView):
    def get_initial(self):
        initial = super().get_initial()
        pk = self.request.GET.get("organisme", "")
        if pk.isascii() and pk.isdigit() and 0 < int(pk) <= MAX_ID:
            initial["organisation"] = pk
        return initial

    def save_instance(self):
        self.form.instance.added_by = self.request.user
        return super().save_instance()


class OrganisationContactViewSet(FormulaSafeSnippetViewSet):
    model = OrganisationContact
    icon = "user"
    menu_label = pgettext_lazy("organisation", "Personnes-ressources")
    list_display = ["email", "name", "role", "organisation", "created_at"]
    list_per_page = 50
    filterset_class = ContactFilterSet
    search_fields = ["email", "name", "role", "organisation__name"]
    search_backend_name = None
    ordering = ["organisation__name", "email"]
    add_view_class = ContactCreateView
    list_export = ["organisation", "name", "role", "email", "added_by", "created_at"]
    export_filename = "personnes-ressources"
    panels = [
        FieldPanel("organisation", widget=forms.Select),
        FieldPanel("email"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("role")]),
    ]

    def get_queryset(self, request):
        return OrganisationContact.objects.select_related("organisation", "added_by")


def contacts_button(view, instance, cls):
    """On an organisation: its contacts (a count), for those who may see them."""
    if not view.request.user.has_perm(VIEW_CONTACTS):
        return []
    url = reverse("wagtailsnippets_website_organisationcontact:list") + f"?organisation={instance.pk}"
    label = _("Personnes-ressources (%(count)s)") % {"count": instance.contacts.count()}
    return [cls(label, url=url, icon_name="user", priority=17)]
