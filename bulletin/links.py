"""The board's addresses in emails and the signed tokens they carry.

Links are absolute and in the language of the person they are sent to (a poster's is on the post, a
reporter's on the report, a subscriber's on the subscription). Each token has its own purpose (salt), so
a confirmation link never manages anything, and the post's `manage_secret` revokes them all."""

from django.urls import reverse

from bulletin.models import AlertSubscription, Post, Report
from website.i18n import absolute_reverse, absolute_url
from website.tokens import DAY, object_from_token, object_token

CONFIRM_MAX_AGE = 7 * DAY
MANAGE_MAX_AGE = 200 * DAY  # longer than a post can live, so the last reminder's link still works
ALERT_MAX_AGE = 365 * DAY


def confirm_url(post):
    token = object_token("post.confirm", post, "manage_secret")
    return absolute_reverse("bulletin:post_confirm", language=post.language, args=[token])


def manage_url(post):
    token = object_token("post.manage", post, "manage_secret")
    return absolute_reverse("bulletin:post_manage", language=post.language, args=[token])


def post_url(post, language):
    return absolute_reverse(
        "bulletin:post_detail", language=language, kwargs={"pk": post.pk, "slug": post.slug}
    )


def submit_url(language):
    return absolute_reverse("bulletin:post_submit", language=language)


def admin_url(post):
    """The post's edit screen in the Wagtail admin, where editors decide (the admin has no language prefix)."""
    return absolute_url(reverse("wagtailsnippets_bulletin_post:edit", args=[post.pk]))


def report_url(report):
    token = object_token("report.confirm", report)
    return absolute_reverse("bulletin:report_confirm", language=report.language, args=[token])


def alert_url(name, subscription, purpose):
    token = object_token(purpose, subscription)
    return absolute_reverse(f"bulletin:{name}", language=subscription.language, args=[token])


def post_from_token(token, purpose, max_age):
    return object_from_token(Post.objects.all(), token, purpose, max_age, "manage_secret")


def post_for_confirmation(token):
    return post_from_token(token, "post.confirm", CONFIRM_MAX_AGE)


def post_for_management(token):
    return post_from_token(token, "post.manage", MANAGE_MAX_AGE)


def report_from_token(token):
    return object_from_token(Report.objects.select_related("post"), token, "report.confirm", CONFIRM_MAX_AGE)


def subscription_from_token(token, purpose):
    return object_from_token(AlertSubscription.objects.all(), token, purpose, ALERT_MAX_AGE)
