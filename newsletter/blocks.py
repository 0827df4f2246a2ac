"""Blocks of a newsletter issue. The board and events blocks are filled at send time from the other
apps, with the filters the editor chose."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from website.blocks import CallToActionBlock, HeadingBlock


class LatestPostsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), default=_("Nouveau au babillard"))
    kind = blocks.ChoiceBlock(
        label=_("Type"),
        required=False,
        choices=[("offre", _("Offres")), ("demande", _("Demandes")), ("annonce", _("Annonces"))],
    )
    category = blocks.CharBlock(label=_("Catégorie (identifiant, facultatif)"), required=False)
    limit = blocks.IntegerBlock(label=_("Nombre"), default=5, min_value=1, max_value=20)

    class Meta:
        icon = "pick"
        label = _("Dernières annonces du babillard")

    def items(self, value):
        from bulletin.models import Post

        posts = Post.objects.published().for_listing()
        if value.get("kind"):
            posts = posts.filter(kind=value["kind"])
        if value.get("category"):
            posts = posts.filter(category__slug=value["category"])
        return list(posts[: value.get("limit") or 5])


class UpcomingEventsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), default=_("Prochains événements"))
    kind = blocks.CharBlock(label=_("Type d'événement (identifiant, facultatif)"), required=False)
    limit = blocks.IntegerBlock(label=_("Nombre"), default=5, min_value=1, max_value=20)

    class Meta:
        icon = "date"
        label = _("Prochains événements")

    def items(self, value):
        from django.utils import timezone

        from events.models import EventPage

        events = (
            EventPage.objects.live().public().filter(start__gte=timezone.now()).exclude(status="cancelled")
        )
        if value.get("kind"):
            events = events.filter(kind__slug=value["kind"])
        return list(events.select_related("kind").order_by("start")[: value.get("limit") or 5])


class IssueBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = blocks.RichTextBlock(label=_("Texte"), features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock(label=_("Image"))
    call_to_action = CallToActionBlock()
    latest_posts = LatestPostsBlock()
    upcoming_events = UpcomingEventsBlock()
