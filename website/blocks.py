"""StreamField blocks for editor-written pages."""

from django.conf import settings
from django.core.validators import URLValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from website.i18n import localize_path


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Texte"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Niveau"), choices=[("h2", _("Titre 2")), ("h3", _("Titre 3"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Intertitre")
        template = "website/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citation"))
    attribution = blocks.CharBlock(label=_("Source"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "website/blocks/quote.html"


def validate_link_address(value):
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https", "mailto"])(value)


class LinkValue(blocks.StructValue):
    def href(self):
        """The address in the reader's language: the page's translation (or alias), or the typed
        site address with its language prefix ("/babillard/" becomes "/en/babillard/" in English)."""
        page = self.get("page")
        if not page:
            return localize_path(self.get("url"))
        # Looking up a translation costs queries; pages are authored in the default language.
        if translation.get_language() == settings.LANGUAGE_CODE:
            return page.url
        return page.localized.url

    def text(self):
        """The label in the reader's language: the English label if the editor wrote one, else the
        title of the page's real English translation, else the French label."""
        label = self.get("label", "")
        if translation.get_language() == settings.LANGUAGE_CODE:
            return label
        if self.get("label_en"):
            return self.get("label_en")
        page = self.get("page")
        if page:
            target = page.localized
            if target.pk != page.pk and target.alias_of_id is None:
                return target.title
        return label


class LinkTargetBlock(blocks.StructBlock):
    """A link to a page of the site or to an external address (one of the two)."""

    page = blocks.PageChooserBlock(label=_("Page du site"), required=False)
    url = blocks.CharBlock(
        label=_("ou adresse (https://… ou /chemin/ du site)"),
        required=False,
        max_length=500,
        validators=[validate_link_address],
    )

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": _("Choisissez une page ou une adresse externe, pas les deux.")}
            )
        return value

    class Meta:
        value_class = LinkValue


class LinkBlock(LinkTargetBlock):
    label = blocks.CharBlock(label=_("Libellé"), max_length=80)
    label_en = blocks.CharBlock(
        label=_("Libellé en anglais"),
        required=False,
        max_length=80,
        help_text=_(
            "Affiché sur le site anglais (/en/). Laissé vide : le titre de la page anglaise si elle a été "
            "traduite, sinon le libellé français."
        ),
    )

    class Meta:
        icon = "link"
        label = _("Lien")


class CallToActionBlock(LinkTargetBlock):
    title = blocks.CharBlock(label=_("Titre"), max_length=120)
    text = blocks.TextBlock(label=_("Texte"), required=False)
    button_label = blocks.CharBlock(label=_("Libellé du bouton"), max_length=60)

    class Meta:
        icon = "pick"
        label = _("Appel à l'action")
        template = "website/blocks/call_to_action.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(label=_("Libellé"), required=False, max_length=120)

    class Meta:
        icon = "doc-full"
        label = _("Lien vers un document")
        template = "website/blocks/document_link.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Texte"),
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
        template="website/blocks/paragraph.html",
    )
    image = ImageBlock(label=_("Image"), template="website/blocks/image.html")
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    document = DocumentLinkBlock()
    embed = EmbedBlock(label=_("Vidéo ou contenu intégré"), template="website/blocks/embed.html")

    class Meta:
        label = _("Contenu")
