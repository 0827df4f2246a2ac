"""Every state change of a post, through the services, with its email and its audit entry."""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from bulletin import links, services
from bulletin.models import Post

pytestmark = pytest.mark.django_db
State = Post.State


def actions(post):
    return list(
        ModelLogEntry.objects.filter(object_id=str(post.pk))
        .order_by("timestamp")
        .values_list("action", flat=True)
    )


def link_in(body, path):
    match = re.search(rf"http://testserver({path}[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_submit_then_confirm_puts_the_post_in_moderation(client, make_post, queued, mirabel):
    post = Post(
        **{
            f: getattr(make_post.build(), f)
            for f in (
                "kind",
                "title",
                "description",
                "category",
                "organisation",
                "contact_name",
                "contact_email",
                "expires_on",
            )
        }
    )
    post.category.save()
    services.submit_post(post, [mirabel])
    assert post.state == State.UNCONFIRMED
    (confirmation,) = queued("bulletin.confirm")
    assert confirmation.to == [post.contact_email]
    url = link_in(confirmation.body, "/babillard/confirmer/")

    response = client.post(url)
    assert response.status_code == 200 and "Adresse confirmée" in response.content.decode()
    post.refresh_from_db()
    assert post.state == State.PENDING
    (notice,) = queued("bulletin.editors")
    assert notice.to == ["equipe@maillon.example"] and post.title in notice.subject

    client.post(url)  # a second click changes nothing and sends nothing
    assert len(queued("bulletin.editors")) == 1
    assert actions(post) == ["bulletin.post.submitted", "bulletin.post.confirmed"]


@pytest.mark.parametrize("token", ["abc", "forged.token.value"])
def test_forged_confirmation_link_changes_nothing(client, make_post, token):
    post = make_post(state=State.UNCONFIRMED)
    response = client.post(f"/babillard/confirmer/{token}/")
    assert response.status_code == 404
    assert "Lien invalide ou expiré" in response.content.decode()
    post.refresh_from_db()
    assert post.state == State.UNCONFIRMED


def test_expired_confirmation_link_changes_nothing(client, make_post, settings, monkeypatch):
    post = make_post(state=State.UNCONFIRMED)
    url = links.confirm_url(post).replace("http://testserver", "")
    monkeypatch.setattr(links, "CONFIRM_MAX_AGE", -1)
    assert client.post(url).status_code == 404
    post.refresh_from_db()
    assert post.state == State.UNCONFIRMED


def test_management_links_are_per_purpose_and_revocable(make_post):
    post = make_post()
    token = links.manage_url(post).rsplit("/", 2)[-2]
    assert links.post_for_management(token) == post
    confirm_token = links.confirm_url(post).rsplit("/", 2)[-2]
    assert links.post_for_management(confirm_token) is None  # a confirmation token manages nothing
    post.manage_secret = "revoked"
    post.save()
    assert links.post_for_management(token) is None


def test_approve_publishes_and_sends_the_manage_link(make_post, queued, admin_user):
    post = make_post(state=State.PENDING, published_at=None)
    services.approve_post(post, user=admin_user)
    assert post.state == State.PUBLISHED and post.published_at is not None
    (email,) = queued("bulletin.approved")
    assert "/babillard/gerer/" in email.body
    entry = ModelLogEntry.objects.get(object_id=str(post.pk), action="bulletin.post.approved")
    assert entry.user == admin_user


def test_reject_needs_a_reason_and_tells_the_poster(make_post, queued, admin_user):
    post = make_post(state=State.PENDING)
    with pytest.raises(ValueError):
        services.reject_post(post, "  ", user=admin_user)
    services.reject_post(post, "Annonce commerciale", user=admin_user)
    assert post.state == State.REJECTED and post.rejection_reason == "Annonce commerciale"
    (email,) = queued("bulletin.rejected")
    assert "Motif : Annonce commerciale" in email.body
    entry = ModelLogEntry.objects.get(object_id=str(post.pk), action="bulletin.post.rejected")
    assert entry.data == {"reason": "Annonce commerciale"}


def test_editing_a_published_post_sends_it_back_to_moderation(make_post):
    from bulletin.forms import PostEditForm

    post = make_post()
    data = {
        "kind": post.kind,
        "title": "Nouveau titre",
        "description": post.description,
        "category": post.category.pk,
        "regions": [r.pk for r in post.regions.all()],
        "organisation": post.organisation,
        "contact_name": post.contact_name,
        "expires_on": post.expires_on.isoformat(),
        "premises_accessible": "unknown",
    }
    form = PostEditForm(data, instance=post)
    assert form.is_valid(), form.errors
    services.update_post(post, form)
    post.refresh_from_db()
    assert post.title == "Nouveau titre" and post.state == State.PENDING


def test_renew_extends_by_sixty_days_up_to_the_cap(make_post):
    today = timezone.localdate()
    post = make_post(expires_on=today + datetime.timedelta(days=3))
    services.renew_post(post, today=today)
    assert post.expires_on == today + datetime.timedelta(days=63)
    post.expires_on = today + datetime.timedelta(days=170)
    services.renew_post(post, today=today)
    assert post.expires_on == today + datetime.timedelta(days=180)


def test_renewing_an_expired_post_puts_it_back_on_the_board(make_post):
    today = timezone.localdate()
    post = make_post(state=State.EXPIRED, expires_on=today - datetime.timedelta(days=2))
    services.renew_post(post, today=today)
    assert post.state == State.PUBLISHED and post.expires_on == today + datetime.timedelta(days=60)


def test_close_records_the_outcome(make_post):
    post = make_post()
    services.close_post(post, Post.Outcome.SHARED, "Popote roulante", 1200, 40, 300)
    assert post.state == State.CLOSED and post.closed_at is not None
    assert (post.partner_organisation, post.savings_money, post.savings_hours, post.savings_km) == (
        "Popote roulante",
        1200,
        40,
        300,
    )
    with pytest.raises(services.TransitionError):
        services.close_post(post, Post.Outcome.SHARED)
    with pytest.raises(services.TransitionError):
        services.renew_post(post)


def test_expiry_moves_only_overdue_published_posts(make_post):
    today = timezone.localdate()
    overdue = make_post(expires_on=today - datetime.timedelta(days=1))
    due_today = make_post(expires_on=today)
    pending = make_post(state=State.PENDING, expires_on=today - datetime.timedelta(days=1))
    assert services.expire_posts(today) == 1
    for post in (overdue, due_today, pending):
        post.refresh_from_db()
    assert (overdue.state, due_today.state, pending.state) == (State.EXPIRED, State.PUBLISHED, State.PENDING)
    assert "bulletin.post.expired" in actions(overdue)


def test_one_reminder_five_days_before_expiry(make_post, queued):
    today = timezone.localdate()
    soon = make_post(expires_on=today + datetime.timedelta(days=5))
    make_post(expires_on=today + datetime.timedelta(days=6))
    assert services.send_expiry_reminders(today) == 1
    assert services.send_expiry_reminders(today) == 0
    (reminder,) = queued("bulletin.reminder")
    assert reminder.to == [soon.contact_email] and "/babillard/gerer/" in reminder.body
    # Renewed, then close to the new date: a new reminder for the new date.
    services.renew_post(soon, today=today)
    assert services.send_expiry_reminders(soon.expires_on - datetime.timedelta(days=5)) == 1
