"""Posts expire on their date; their posters are reminded a few days before, with the renew link."""

import datetime

from django.db import transaction
from django.utils import timezone

from bulletin import emails
from bulletin.models import Post
from bulletin.transitions import EXPIRE, TransitionError, move

REMINDER_DAYS_BEFORE = 5


def expire_posts(today=None):
    today = today or timezone.localdate()
    count = 0
    for post in Post.objects.published().filter(expires_on__lt=today).iterator():
        try:
            move(post, EXPIRE)
            count += 1
        except TransitionError:
            continue  # changed meanwhile
    return count


def send_expiry_reminders(today=None):
    """One reminder per expiry date, REMINDER_DAYS_BEFORE days ahead, with the renew link."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    posts = Post.objects.published().filter(expires_on__gte=today, expires_on__lte=horizon)
    count = 0
    for post in posts.iterator():
        if post.reminder_sent_for == post.expires_on:
            continue
        with transaction.atomic():
            emails.expiry_reminder(post)
            Post.objects.filter(pk=post.pk).update(reminder_sent_for=post.expires_on)
        count += 1
    return count
