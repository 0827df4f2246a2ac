"""The board's part of a person's space (website.space_sections): their posts with the link that edits,
renews and closes them, their alerts with the link that ends them, and, read-only, their
organisations' posts. One query per list, whatever the number of posts."""

from django.urls import reverse

from bulletin.models import AlertSubscription, Post
from website.space_sections import SpaceSection
from website.tokens import object_token

LIMIT = 100  # records shown per list: a person's own, or an organisation's


def own_posts(visitor):
    """[(post, address of its management page)], newest first."""
    posts = Post.objects.filter(contact_email__iexact=visitor.email).select_related("category")
    return [
        (post, reverse("bulletin:post_manage", args=[object_token("post.manage", post, "manage_secret")]))
        for post in posts.order_by("-created_at", "-pk")[:LIMIT]
    ]


def organisation_posts(visitor):
    """[(post, its public address or "")] of the visitor's organisations, not their own."""
    posts = (
        Post.objects.filter(member_organisation__in=visitor.organisations)
        .exclude(contact_email__iexact=visitor.email)
        .select_related("category")
        .order_by("-created_at", "-pk")[:LIMIT]
    )
    return [(post, post.get_absolute_url() if post.is_public else "") for post in posts]


def alerts(visitor):
    """[(subscription, address of its unsubscribe page)] of the confirmed alerts."""
    found = AlertSubscription.objects.filter(
        email__iexact=visitor.email, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )
    return [
        (alert, reverse("bulletin:alert_unsubscribe", args=[object_token("alert.unsubscribe", alert)]))
        for alert in found.select_related("category", "region").order_by("pk")[:LIMIT]
    ]


def poster_profile(records):
    post = records[0][0]
    return {"name": post.contact_name, "organisation": post.organisation}


def posts_section():
    return SpaceSection(
        name="posts",
        template="bulletin/includes/space_posts.html",
        order=10,
        records=own_posts,
        organisation_records=organisation_posts,
        profile=poster_profile,
    )


def alerts_section():
    return SpaceSection(
        name="alerts", template="bulletin/includes/space_alerts.html", order=40, records=alerts
    )
