"""What the site search finds on the board: published posts that have not expired."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletin.models import Post
from website.search import Hit, SearchSource, excerpt


class PostSearchSource(SearchSource):
    key = "babillard"
    label = _("Annonces du babillard")
    order = 10

    def results(self, query):
        posts = Post.objects.published().filter(expires_on__gte=timezone.localdate())
        return posts.prefetch_related("regions").search(query, operator="and")

    def hit(self, post, query, request):
        return Hit(
            kind=_("Annonce du babillard"),
            title=post.title,
            url=post.get_absolute_url(),
            excerpt=excerpt(post.description, query),
            detail=" · ".join(
                [post.get_kind_display(), post.organisation, ", ".join(r.label for r in post.regions.all())]
            ),
        )
