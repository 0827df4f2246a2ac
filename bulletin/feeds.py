from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from bulletin.forms import PostFilterForm
from bulletin.models import Post


class PostFeed(Feed):
    """RSS 2.0 of published posts; takes the board's filters as query parameters."""

    feed_type = Rss201rev2Feed
    link = "/babillard/"

    def get_object(self, request):
        return PostFilterForm(request.GET)

    def title(self, filters):
        return _("Babillard de la mutualisation")

    def description(self, filters):
        return _("Les offres, demandes et annonces des organismes de la région.")

    def items(self, filters):
        return filters.filter(Post.objects.published().for_listing())[:50]

    def item_title(self, post):
        return f"[{post.get_kind_display()}] {post.title}"

    def item_description(self, post):
        return post.description

    def item_pubdate(self, post):
        return post.published_at

    def item_categories(self, post):
        return [post.category.label, *(region.label for region in post.regions.all())]

    def item_guid(self, post):
        return f"{settings.SITE_URL}/babillard/{post.pk}/"

    item_guid_is_permalink = False
