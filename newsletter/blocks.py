"""Blocks of a newsletter issue. The board and events blocks are filled at send time from the other
apps (their selectors), with the filters the editor chose from lists."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from bulletin import selectors as board
from events import selectors as events
from website.blocks import CallToActionBlock, HeadingBlock
from website.i18n import localized, page_url
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
        return self.url if self.url.startswith(("http://", "https://")) else settings.SITE_URL + self.url


def post_kind_choices():
    return [("", _("Tous les types")), *board.post_kind_choices()]


def category_choices():
    return [("", _("Toutes les catégories")), *((c.slug, c.label) for c in ResourceCategory.objects.all())]


def event_kind_choices():
    return [("", _("Tous les types")), *events.event_kind_choices()]


class LatestPostsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), default=_("Nouveau au babillard"))
    kind = blocks.ChoiceBlock(label=_("Type"), required=False, choices=post_kind_choices)
    category = blocks.ChoiceBlock(label=_("Catégorie"), required=False, choices=category_choices)
    limit = blocks.IntegerBlock(label=_("Nombre"), default=5, min_value=1, max_value=20)

    class Meta:
        icon = "pick"
        label = _("Dernières annonces du babillard")

    def items(self, value):
        posts = board.published_posts(
            kind=value.get("kind") or "", category=value.get("category") or "", limit=value.get("limit") or 5
        )
        return [IssueItem(post.title, post.get_absolute_url(), post.organisation) for post in posts]


class UpcomingEventsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), default=_("Prochains événements"))
    kind = blocks.ChoiceBlock(label=_("Type d'événement"), required=False, choices=event_kind_choices)
    limit = blocks.IntegerBlock(label=_("Nombre"), default=5, min_value=1, max_value=20)

    class Meta:
        icon = "date"
        label = _("Prochains événements")

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
