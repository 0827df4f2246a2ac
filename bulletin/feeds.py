import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from bulletin.forms import PostFilterForm
from bulletin.models import Post
from website.i18n import absolute_reverse

# What a browser would start a tag on ("<b", "</p", "<!--", "<?"), up to its ">" or to the next "<" if
# it never closes ("<<img src=x onerror=…//<" leaves "<<"): removed, not escaped, so nothing of it
# reaches a reader. A "<" before a space or a digit ("a < b", "<3") starts no tag and stays.
TAG_LIKE = re.compile(r"<[a-zA-Z/!?][^<>]*>?")


# XML 1.0 cannot carry these: one in a post would make the whole feed fail.
XML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def strip_markup(text):
    """`text` without anything that is or half-looks like an HTML tag (repeated, since removing one can
    join the pieces of another: "<scr<b>ipt>"), and without the control characters XML refuses."""
    text = XML_CONTROL.sub("", text)
    previous = None
    while previous != text:
        previous, text = text, TAG_LIKE.sub("", text)
    return text


def feed_text(text):
    """Text for a field feed readers render as HTML (the description): markup stripped, the rest
    escaped, so that the reader shows text and never builds an element from it."""
    return escape(strip_markup(text or ""))


class PostFeed(Feed):
    """RSS 2.0 of published posts; takes the board's filters as query parameters."""

    feed_type = Rss201rev2Feed

    def link(self, filters):
        return reverse("bulletin:post_list")  # the board in the reader's language

    def get_object(self, request):
        return PostFilterForm(request.GET)

    def title(self, filters):
        return _("Babillard de la mutualisation")

    def description(self, filters):
        return _("Les offres, demandes et annonces des organismes de la région.")

    def items(self, filters):
        return filters.filter(Post.objects.published().for_listing())[:50]

    def item_title(self, post):
        # Readers show titles as text or as HTML, depending on the reader: no markup either way.
        return strip_markup(f"[{post.get_kind_display()}] {post.title}")

    def item_description(self, post):
        return feed_text(post.description)

    def item_pubdate(self, post):
        return post.published_at

    def item_categories(self, post):
        return [
            strip_markup(str(label))
            for label in (post.category.label, *(r.label for r in post.regions.all()))
        ]

    def item_guid(self, post):
        """A stable identifier, not an address: the same in every language and whatever the post's title
        (its slug) becomes, so that readers never show a post twice."""
        return absolute_reverse("bulletin:post_list", language=settings.LANGUAGE_CODE) + f"{post.pk}/"

    item_guid_is_permalink = False
