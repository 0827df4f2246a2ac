from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from website.blocks import LinkBlock


@register_setting(icon="site")
class OrganisationSettings(BaseSiteSetting):
    """Who runs this copy of Maillon; shown in the footer and in every email (CASL, Law 25)."""

    name = models.CharField(_("nom de l'organisme"), max_length=200, default="Maillon")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    postal_address = models.TextField(_("adresse postale"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    privacy_officer_name = models.CharField(
        _("responsable de la protection des renseignements personnels"), max_length=200, blank=True
    )
    privacy_officer_email = models.EmailField(_("courriel du ou de la responsable"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("logo"), FieldPanel("postal_address")],
            heading=_("Organisme"),
        ),
        MultiFieldPanel([FieldPanel("phone"), FieldPanel("contact_email")], heading=_("Contact")),
        MultiFieldPanel(
            [FieldPanel("privacy_officer_name"), FieldPanel("privacy_officer_email")],
            heading=_("Protection des renseignements personnels (Loi 25)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
            ],
            heading=_("Réseaux sociaux"),
        ),
    ]

    class Meta:
        verbose_name = _("organisme")

    @property
    def social_links(self):
        return [
            (label, url)
            for label, url in (
                ("Facebook", self.facebook_url),
                ("LinkedIn", self.linkedin_url),
                ("Instagram", self.instagram_url),
                ("YouTube", self.youtube_url),
            )
            if url
        ]


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    main_menu = StreamField([("link", LinkBlock())], verbose_name=_("menu principal"), blank=True, max_num=8)
    footer_links = StreamField([("link", LinkBlock())], verbose_name=_("liens du pied de page"), blank=True)
    footer_text = models.TextField(_("texte du pied de page"), blank=True)
    footer_text_en = models.TextField(
        _("texte du pied de page en anglais"),
        blank=True,
        help_text=_("Affiché sur le site anglais (/en/). Laissé vide : le texte français."),
    )

    class Meta:
        verbose_name = _("navigation")

    @property
    def footer_text_for_reader(self):
        if self.footer_text_en and not (translation.get_language() or "fr").startswith("fr"):
            return self.footer_text_en
        return self.footer_text
