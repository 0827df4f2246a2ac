"""Editors in the Wagtail admin: moderation list, filters, export, bulk approve/reject, history."""

import re

import pytest
from wagtail.models import ModelLogEntry

from bulletin.models import Post
from website.models import OutgoingEmail

pytestmark = pytest.mark.django_db
LIST = "/admin/snippets/bulletin/post/"


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def test_list_filters_by_state_and_reports(client, editor, make_post):
    make_post(title="Publiée sans souci")
    waiting = make_post(title="À modérer", state=Post.State.PENDING)
    reported = make_post(title="Signalée une fois")
    reported.reports.create(email="a@example.org", reason="spam")
    html = client.get(LIST + "?state=pending").content.decode()
    assert "À modérer" in html and "Publiée sans souci" not in html
    html = client.get(LIST + "?reported=true").content.decode()
    assert "Signalée une fois" in html and "À modérer" not in html
    assert waiting.title in client.get(LIST + "?q=modérer").content.decode()


def test_export_csv(client, editor, make_post):
    make_post(title="Camionnette", savings_km=120)
    response = client.get(LIST + "?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert "Camionnette" in content and "120" in content
    assert client.get(LIST + "?export=xlsx").status_code == 200


def bulk(action, *posts):
    ids = "&".join(f"id={p.pk}" for p in posts)
    return f"/admin/bulk/bulletin/post/{action}/?next={LIST}&{ids}"


def test_bulk_approve(client, editor, make_post):
    a, b = make_post(state=Post.State.PENDING), make_post(state=Post.State.PENDING)
    assert client.get(bulk("approve", a, b)).status_code == 200
    response = client.post(bulk("approve", a, b))
    assert response.status_code == 302
    for post in (a, b):
        post.refresh_from_db()
        assert post.state == Post.State.PUBLISHED
    assert OutgoingEmail.objects.filter(tag="bulletin.approved").count() == 2
    assert ModelLogEntry.objects.filter(action="bulletin.post.approved", user=editor).count() == 2


def test_bulk_reject_requires_and_sends_the_reason(client, editor, make_post):
    post = make_post(state=Post.State.PENDING)
    response = client.post(bulk("reject", post), {"reason": ""})
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.state == Post.State.PENDING
    client.post(bulk("reject", post), {"reason": "Hors du territoire"})
    post.refresh_from_db()
    assert post.state == Post.State.REJECTED
    assert "Hors du territoire" in OutgoingEmail.objects.get(tag="bulletin.rejected").body


def test_history_shows_who_did_what(client, editor, make_post):
    from bulletin import services

    post = make_post(state=Post.State.PENDING)
    services.approve_post(post, user=editor)
    services.reject_post(post, "Doublon", user=editor)
    html = client.get(f"{LIST}history/{post.pk}/").content.decode()
    assert "Annonce publiée" in html and "Annonce refusée" in html


def test_editor_written_posts_are_published_at_once(client, editor, transport, mirabel):
    data = {
        "kind": "offre",
        "category": transport.pk,
        "title": "Écrite par l'équipe",
        "description": "Texte",
        "regions": [mirabel.pk],
        "organisation": "Réseau",
        "contact_name": "Équipe",
        "contact_email": "equipe@example.org",
        "expires_on": "2027-01-15",
        "premises_accessible": "",
        "language": "fr-ca",
    }
    response = client.post(LIST + "add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    assert post.state == Post.State.PUBLISHED and post.published_at is not None


def test_dashboard_counts_posts_to_moderate(client, editor, make_post):
    make_post(state=Post.State.PENDING)
    make_post(state=Post.State.PENDING)
    make_post(state=Post.State.HIDDEN)
    html = client.get("/admin/").content.decode()
    assert "2 annonces en attente de modération" in html
    assert "1 annonce masquée après signalements" in html


def edit_screen(client, post):
    return client.get(f"{LIST}edit/{post.pk}/").content.decode()


def status_panel(html):
    start = html.index('data-side-panel="status"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize(
    "state, label",
    [
        (Post.State.PENDING, "En attente de modération"),
        (Post.State.HIDDEN, "Masquée après signalements"),
        (Post.State.REJECTED, "Refusée"),
        (Post.State.PUBLISHED, "Publiée"),
        (Post.State.CLOSED, "Fermée"),
    ],
)
def test_the_status_panel_shows_the_posts_real_state(client, editor, make_post, state, label):
    panel = status_panel(edit_screen(client, make_post(state=state)))
    assert f"\n                        {label}\n" in panel
    if state != Post.State.PUBLISHED:
        assert "Publié" not in panel and "Live" not in panel


def test_a_pending_post_is_published_from_its_own_edit_screen(client, editor, make_post, queued):
    post = make_post(state=Post.State.PENDING, title="Remorque à prêter")
    html = edit_screen(client, post)
    assert f'action="{LIST}approve/{post.pk}/"' in html and f'action="{LIST}reject/{post.pk}/"' in html
    response = client.post(f"{LIST}approve/{post.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LIST}edit/{post.pk}/"
    assert "Annonce « Remorque à prêter » publiée" in response.content.decode()
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED
    assert queued("bulletin.approved")[0].to == [post.contact_email]
    assert ModelLogEntry.objects.filter(action="bulletin.post.approved", user=editor).count() == 1
    assert f'action="{LIST}approve/{post.pk}/"' not in edit_screen(client, post)  # nothing left to publish


def test_a_post_is_refused_with_a_reason_from_its_own_edit_screen(client, editor, make_post, queued):
    post = make_post(state=Post.State.PENDING)
    response = client.post(f"{LIST}reject/{post.pk}/", {"reason": "  "}, follow=True)
    assert "Indiquez le motif du refus" in response.content.decode()
    post.refresh_from_db()
    assert post.state == Post.State.PENDING and not queued("bulletin.rejected")
    client.post(f"{LIST}reject/{post.pk}/", {"reason": "Hors du territoire"})
    post.refresh_from_db()
    assert post.state == Post.State.REJECTED and post.rejection_reason == "Hors du territoire"
    assert "Hors du territoire" in queued("bulletin.rejected")[0].body


def test_a_decision_on_a_post_that_changed_meanwhile_does_nothing(client, editor, make_post, queued):
    post = make_post(state=Post.State.CLOSED)
    response = client.post(f"{LIST}approve/{post.pk}/", follow=True)
    assert "a changé d&#x27;état entre-temps" in response.content.decode()
    post.refresh_from_db()
    assert post.state == Post.State.CLOSED and not queued()


def test_the_moderation_email_leads_to_the_edit_screen_with_the_decision(client, editor, make_post, queued):
    from bulletin import services

    post = make_post(state=Post.State.UNCONFIRMED)
    services.confirm_post(post)
    (notice,) = queued("bulletin.editors")
    link = notice.body.split("http://testserver", 1)[1].split()[0]
    assert link == f"{LIST}edit/{post.pk}/"
    html = client.get(link).content.decode()
    assert ">Publier</button>" in html and "Motif du refus (envoyé à l&#x27;auteur)" in html


def test_the_edit_screen_shows_the_image_with_its_description(client, editor, make_post):
    from tests.bulletin.test_public import image_upload

    post = make_post(state=Post.State.PENDING, image_alt="Une remorque grise")
    post.image.save("remorque.jpg", image_upload(fmt="JPEG", size=(1200, 800)), save=True)
    html = edit_screen(client, post)
    stem = post.image.name.rsplit(".", 1)[0]
    assert f'<img src="/media/{stem}.w400.jpg" alt="Une remorque grise"' in html


def test_deciding_needs_the_right_to_change_posts(client, make_post, django_user_model):
    from django.contrib.auth.models import Permission

    post = make_post(state=Post.State.PENDING)
    assert client.post(f"{LIST}approve/{post.pk}/").status_code == 302  # to the login page
    user = django_user_model.objects.create_user("lecteur", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for response in (
        client.post(f"{LIST}approve/{post.pk}/"),
        client.post(f"{LIST}reject/{post.pk}/", {"reason": "Non"}),
    ):  # Wagtail answers a refusal by sending back to the dashboard with a message
        assert response.status_code == 302 and response["Location"] == "/admin/"
    post.refresh_from_db()
    assert post.state == Post.State.PENDING


def test_an_image_uploaded_by_an_editor_is_checked_and_re_encoded(client, editor, make_post):
    from tests.bulletin.test_images import png_bomb
    from tests.bulletin.test_public import image_upload

    post = make_post(state=Post.State.PENDING)
    data = {
        "kind": post.kind,
        "category": post.category.pk,
        "title": post.title,
        "description": post.description,
        "regions": [r.pk for r in post.regions.all()],
        "organisation": post.organisation,
        "contact_name": post.contact_name,
        "contact_email": post.contact_email,
        "expires_on": post.expires_on.isoformat(),
        "premises_accessible": "",
        "language": "fr-ca",
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    bomb = SimpleUploadedFile("bombe.png", png_bomb(), content_type="image/png")
    response = client.post(f"{LIST}edit/{post.pk}/", {**data, "image": bomb})
    assert response.status_code == 200 and "40 mégapixels au plus" in response.content.decode()
    client.post(f"{LIST}edit/{post.pk}/", {**data, "image": image_upload(size=(3000, 1500))})
    post.refresh_from_db()
    assert post.image.name.endswith(".jpg") and post.image.width == 1600


def csv_of(response):
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode()


def test_exports_give_local_times_and_readable_values(client, editor, make_post):
    import datetime

    from django.utils import timezone

    created = timezone.make_aware(datetime.datetime(2026, 11, 27, 11, 39), timezone.get_default_timezone())
    post = make_post(title="Camionnette", state=Post.State.PENDING, outcome="")
    Post.objects.filter(pk=post.pk).update(created_at=created)
    post.reports.create(email="a@example.org", reason="spam")
    content = csv_of(client.get(LIST + "?export=csv"))
    assert "2026-11-27 11:39" in content and "16:39" not in content and "+00:00" not in content
    assert ",Offre,En attente de modération," in content and ",pending," not in content
    reports = csv_of(client.get("/admin/snippets/bulletin/report/?export=csv"))
    assert "Pourriel ou publicité" in reports and ",spam," not in reports


def test_a_report_is_inspected_in_local_time_without_raw_values(client, editor, make_post):
    import datetime

    from django.utils import timezone

    from bulletin.models import Report

    report = make_post().reports.create(email="a@example.org", reason="spam", ip_hash="ab" * 32)
    created = timezone.make_aware(datetime.datetime(2026, 11, 27, 11, 39), timezone.get_default_timezone())
    Report.objects.filter(pk=report.pk).update(created_at=created)
    html = client.get(f"/admin/snippets/bulletin/report/inspect/{report.pk}/").content.decode()
    assert "27 novembre 2026, 11\xa0h\xa039" in html and "16\xa0h\xa039" not in html
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Confirmé le —" in text and "Confirmé le None" not in text
    assert "ab" * 32 not in html


def test_an_english_editor_reads_admin_dates_in_canadian_english(client, editor, make_post):
    import datetime

    from django.utils import timezone
    from wagtail.users.models import UserProfile

    from bulletin.models import Report

    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    report = make_post().reports.create(email="a@example.org", reason="spam", ip_hash="cd" * 32)
    created = timezone.make_aware(datetime.datetime(2026, 11, 27, 8, 30), timezone.get_default_timezone())
    Report.objects.filter(pk=report.pk).update(created_at=created)
    html = client.get(f"/admin/snippets/bulletin/report/inspect/{report.pk}/").content.decode()
    assert "November 27, 2026, 8:30 a.m." in html and "Nov. 27" not in html
