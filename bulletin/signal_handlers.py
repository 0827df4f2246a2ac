from wagtail.search import index


def reindex_post_regions(sender, instance, action, reverse, **kwargs):
    """A post's regions are searched ("Mirabel"); they are set after the post is saved, so its search
    entry is rewritten when they change."""
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        index.insert_or_update_object(instance)
