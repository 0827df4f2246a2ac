"""Blocks of a newsletter issue. The board and events blocks are filled from the other apps' selectors
(`bulletin.selectors`, `events.selectors`), with the filters the editor chose from lists, in the block's
`get_context`: the one place both the web page (`{% include_block %}`) and the email
(`newsletter.rendering`) get their items from, at the moment they are shown or sent."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from bulletin import selectors as board
from events import selectors as events
from website.blocks import CallToActionBlock, HeadingBlock
from website.i18n import absolute_url, localized, page_url
from website.models.taxonomy import ResourceCategory
from website.templatetags.maillon import event_datetime


@dataclass(frozen=True)
class IssueItem:
    """One line of a board or events block, in the active language."""

    title: str
    url: str
    note: str

    @property
    def absolute_url(self):
        return absolute_url(self.url)


def post_kind_choices():
    return [("", _("Tous les types")), *board.post_kind_choices()]


def category_choices():
    return [("", _("Toutes les catégories")), *((c.slug, c.label) for c in ResourceCategory.objects.all())]


def event_kind_choices():
    return [("", _("Tous les types")), *events.event_kind_choices()]


class ItemsBlock(blocks.StructBlock):
    """A block listing what another app has now: `items(value)` asks that app's selector."""

    def items(self, value):
        raise NotImplementedError

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["items"] = self.items(value)
        return context


class LatestPostsBlock(ItemsBlock):
    title = blocks.CharBlock(label=_("Titre"), default=_("Nouveau au babillard"))
    kind = blocks.ChoiceBlock(label=_("Type"), required=False, choices=post_kind_choices)
    category = blocks.ChoiceBlock(label=_("Catégorie"), required=False, choices=category_choices)
    limit = blocks.IntegerBlock(label=_("Nombre"), default=5, min_value=1, max_value=20)

    class Meta:
        icon = "pick"
        label = _("Dernières annonces du babillard")
        template = "newsletter/blocks/latest_posts.html"

    def items(self, value):
        posts = board.published_posts(
            kind=value.get("kind") or "", category=value.get("category") or "", limit=value.get("limit") or 5
        )
        return [IssueItem(post.title, post.get_absolute_url(), post.organisation) for post in posts]


class UpcomingEventsBlock(ItemsBlock):
    title = blocks.CharBlock(label=_("Titre"), default=_("Prochains événements"))
    kind = blocks.ChoiceBlock(label=_("Type d'événement"), required=False, choices=event_kind_choices)
    limit = blocks.IntegerBlock(label=_("Nombre"), default=5, min_value=1, max_value=20)

    class Meta:
        icon = "date"
        label = _("Prochains événements")
        template = "newsletter/blocks/upcoming_events.html"

    def items(self, value):
        upcoming = events.upcoming_events(kind=value.get("kind") or "", limit=value.get("limit") or 5)
        return [
            IssueItem(localized(event).title, page_url(event), event_datetime(event.start))
            for event in upcoming
        ]


class IssueBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = blocks.RichTextBlock(label=_("Texte"), features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock(label=_("Image"))
    call_to_action = CallToActionBlock()
    latest_posts = LatestPostsBlock()
    upcoming_events = UpcomingEventsBlock()
