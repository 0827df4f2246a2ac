from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from bulletin import images
from bulletin.models import AlertSubscription, ContactMessage, Post, Report
from bulletin.services.alerts import ALERT_CONSENT_TEXT
from website.forms import (
    HONEYPOT_FIELD,
    PublicFormMixin,
    contains_html,
    slug_filter,
    without_control_characters,
)
from website.images import clean_image
from website.models import Region, ResourceCategory
from website.models.organisation_fields import OrganisationNameInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PostForm(PublicFormMixin, forms.ModelForm):
    privacy_notice = _(
        "Votre nom, votre courriel et votre téléphone servent à confirmer l'annonce, à vous transmettre les "
        "messages et à vous rappeler son expiration. Le courriel n'est jamais affiché; vos coordonnées sont "
        "effacées un an après la fin de l'annonce."
    )

    class Meta:
        model = Post
        fields = [
            "kind",
            "title",
            "description",
            "category",
            "regions",
            "organisation",
            "contact_name",
            "contact_email",
            "phone",
            "show_phone",
            "image",
            "image_alt",
            "available_from",
            "available_until",
            "expires_on",
            *Post.DETAIL_FIELDS,
            "notify_matches",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "organisation": OrganisationNameInput,
            "regions": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
            "available_from": DATE,
            "available_until": DATE,
            "expires_on": DATE,
            "premises_accessible": forms.NullBooleanSelect,
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        # A plain file field: Django's ImageField would open the file with Pillow before our checks,
        # and answer a pixel bomb with a vague "not an image"; bulletin.images says what is wrong.
        field_classes = {"image": forms.FileField}
        help_texts = {
            "contact_email": _("Jamais affiché : les messages vous sont relayés par le site."),
            "expires_on": _("Au plus 180 jours à partir d'aujourd'hui."),
            "image": _("JPEG, PNG ou WebP, 5 Mo et 40 mégapixels au plus."),
        }

    # A valid image from an earlier try of this form that failed on something else (bulletin.images).
    kept_image = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)
    forget_image = forms.BooleanField(label=_("Ne pas utiliser cette image"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Post.Kind.choices
        self.fields["category"].empty_label = _("Choisissez une catégorie")
        if not self.instance.pk:
            self.initial.setdefault("expires_on", Post.default_expiry())
        self.kept = None
        self._new_image = None

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            self._new_image = clean_image(image)
            self._new_image_label = image.name
            return self._new_image
        return image

    def _use_kept_image(self, cleaned_data):
        """No new image and not asked to forget it: the image kept from the previous try."""
        if self._new_image is not None or "image" in self._errors or cleaned_data.get("forget_image"):
            return
        kept = images.kept_image(cleaned_data.get("kept_image"))
        if kept is not None and cleaned_data.get("image") is not False:  # False: "clear" was ticked
            self.kept = kept
            cleaned_data["image"] = kept.as_upload()

    def _ignore_irrelevant_details(self, cleaned_data):
        """Details of another kind of resource (filled in, then the category changed, or sent by a
        browser without JavaScript, which shows every group) are dropped, errors included."""
        relevant = Post.detail_fields_for(cleaned_data.get("category"))
        for name in Post.DETAIL_FIELDS:
            if name in self.fields and name not in relevant:
                self._errors.pop(name, None)
                cleaned_data[name] = "" if name == "transport_route" else None

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            self._keep_new_image()

    def add_rate_limit_error(self):
        # A valid form refused only for the rate: the image must survive the wait too.
        super().add_rate_limit_error()
        self._keep_new_image()

    def _keep_new_image(self):
        """The image was fine, something else was not: keep it for the next try."""
        if self._new_image is not None and self.kept is None:
            self.kept = images.keep_image(self._new_image, self._new_image_label)
            self.data = self.data.copy()
            self.data[self.add_prefix("kept_image")] = self.kept.token

    @property
    def main_fields(self):
        """The visible fields other than the resource details (shown in their own fieldsets)."""
        hidden = {*Post.DETAIL_FIELDS, "forget_image", HONEYPOT_FIELD}
        return [field for field in self.visible_fields() if field.name not in hidden]

    @property
    def detail_fieldsets(self):
        """One fieldset per kind of resource: its legend, its fields, the ids of its categories."""
        slugs = {slug for _legend, _names, group in Post.DETAIL_GROUPS for slug in group}
        ids = dict(ResourceCategory.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        return [
            {
                "legend": legend,
                "fields": [self[name] for name in names if name in self.fields],
                "categories": " ".join(str(ids[slug]) for slug in group if slug in ids),
            }
            for legend, names, group in Post.DETAIL_GROUPS
        ]

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if expires_on <= today:
            raise forms.ValidationError(_("La date d'expiration doit être dans le futur."))
        if expires_on > Post.latest_expiry(today):
            raise forms.ValidationError(_("Une annonce peut rester en ligne 180 jours au plus."))
        return expires_on

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("available_from"), cleaned_data.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", _("Cette date doit suivre la date de début."))
        if cleaned_data.get("show_phone") and not cleaned_data.get("phone"):
            self.add_error("phone", _("Indiquez le numéro à afficher, ou décochez l'affichage."))
        self._ignore_irrelevant_details(cleaned_data)
        self._use_kept_image(cleaned_data)
        return cleaned_data


class PostEditForm(PostForm):
    """What the poster may change through the magic link (not the address the link was sent to)."""

    class Meta(PostForm.Meta):
        fields = [f for f in PostForm.Meta.fields if f != "contact_email"]


class PostAdminForm(WagtailAdminModelForm):
    """Editors' uploads go through the same checks and re-encoding as the public form's."""

    class Meta:
        field_classes = {"image": forms.FileField}

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            return clean_image(image)
        return image


class ClosePostForm(forms.Form):
    """The outcome, told through the magic link. Bounded like every visitor form (the numbers fit their
    columns on every database), without a honeypot: the link already proves who is writing."""

    outcome = forms.ChoiceField(label=_("Résultat"), choices=Post.Outcome.choices, widget=forms.RadioSelect)
    partner_organisation = forms.CharField(
        label=_("Organisme partenaire (facultatif)"),
        max_length=200,
        required=False,
        widget=OrganisationNameInput,
    )
    savings_money = forms.DecimalField(
        label=_("Économies ($)"), min_value=0, max_digits=10, decimal_places=2, required=False
    )
    savings_hours = forms.IntegerField(
        label=_("Heures économisées"), min_value=0, max_value=100_000, required=False
    )
    savings_km = forms.IntegerField(
        label=_("Kilomètres évités"), min_value=0, max_value=1_000_000, required=False
    )

    def clean_partner_organisation(self):
        value = without_control_characters(self.cleaned_data["partner_organisation"])
        if contains_html(value):
            raise forms.ValidationError(
                _("Le HTML n'est pas accepté : retirez les balises entre < et >."), code="html"
            )
        return value


class ContactForm(PublicFormMixin, forms.ModelForm):
    privacy_notice = _(
        "Votre message, votre nom et votre courriel sont transmis à la personne qui a publié l'annonce, "
        "pour qu'elle vous réponde directement. Le site en garde une copie un an au plus."
    )

    class Meta:
        model = ContactMessage
        fields = ["sender_name", "sender_organisation", "sender_email", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}


class ReportForm(PublicFormMixin, forms.ModelForm):
    privacy_notice = _(
        "Votre courriel sert seulement à éviter les signalements en double; l'équipe seule voit le "
        "signalement, gardé un an au plus."
    )

    class Meta:
        model = Report
        fields = ["reason", "details", "email"]
        widgets = {"details": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"email": _("Nous vous écrirons pour confirmer le signalement; jamais affiché.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("Choisissez un motif")), *Report.Reason.choices]


class PostFilterForm(forms.Form):
    """The board's filters, read from the query string (bookmarkable; the RSS feed takes the same)."""

    q = forms.CharField(label=_("Mots-clés"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), required=False)
    categorie = slug_filter(ResourceCategory.objects.all(), _("Catégorie"), _("Toutes les catégories"))
    region = slug_filter(Region.objects.all(), _("Région (MRC)"), _("Toutes les régions"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Tous les types")), *Post.Kind.choices]

    def filter(self, posts):
        if not self.is_valid():
            return posts
        data = self.cleaned_data
        if data["type"]:
            posts = posts.filter(kind=data["type"])
        if data["categorie"]:
            posts = posts.filter(category=data["categorie"])
        if data["region"]:
            posts = posts.filter(pk__in=Post.objects.filter(regions=data["region"]).values("pk"))
        if data["q"].strip():
            # Last: Wagtail search returns lazy, sliceable results ranked by relevance.
            posts = posts.search(data["q"].strip(), operator="and")
        return posts


class AlertForm(PublicFormMixin, forms.ModelForm):
    privacy_notice = _(
        "Votre courriel sert seulement à vous envoyer les annonces choisies. Chaque envoi contient un lien "
        "pour vous désabonner."
    )
    consent = forms.BooleanField(label=ALERT_CONSENT_TEXT, required=True)

    class Meta:
        model = AlertSubscription
        fields = ["email", "kind", "category", "region"]
        labels = {"kind": _("Type d'annonce (facultatif)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Tous les types")), *Post.Kind.choices]
        self.fields["category"].empty_label = _("Toutes les catégories")
        self.fields["region"].empty_label = _("Toutes les régions")
