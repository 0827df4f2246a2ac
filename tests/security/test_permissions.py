"""Least privilege in the admin: each named group opens its own screens and nothing else that holds
personal data; Wagtail's Editors and Moderators (page rights only) open none of them.

Every boundary is tested both ways: a member of an allowed group gets the screen and the action works;
everyone else is refused (Wagtail's "no permission" redirect, or 403) and nothing changes.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from bulletin.models import Post, Report
from events.models import EventPage, Registration
from newsletter.models import NewsletterIssuePage, Send, Subscriber
from website.i18n import in_default_locale
from website.models import ContentPage, OutgoingEmail, ResourceCategory, SupportRequestPage
from website.permissions import (
    BOARD_MODERATION,
    CONTENT,
    EVENTS,
    GROUPS,
    NEWSLETTER,
    PRIVACY,
    SUPPORT_REQUESTS,
    ensure_groups,
)

pytestmark = pytest.mark.django_db

EDITORS, MODERATORS = "Editors", "Moderators"  # Wagtail's default groups
ALL = [EDITORS, MODERATORS, BOARD_MODERATION, EVENTS, NEWSLETTER, CONTENT, PRIVACY, SUPPORT_REQUESTS]


def each_group(*allowed):
    return pytest.mark.parametrize(
        "group, allowed", [pytest.param(name, name in allowed, id=name) for name in ALL]
    )


def assert_denied(response):
    """Wagtail answers a refused admin view with a redirect to the dashboard (or 403 for fetch)."""
    assert response.status_code == 403 or (
        response.status_code == 302 and response["Location"] in ("/admin/", "/en/admin/")
    ), (response.status_code, response.get("Location"))


def body(response):
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode()


def wagtail_default_groups():
    """Editors and Moderators as Wagtail's migrations make them (a flushed test database lost them)."""
    root = Page.get_first_root_node()
    collection = Collection.get_first_root_node()
    admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, actions in ((EDITORS, ["add", "change"]), (MODERATORS, ["add", "change", "publish", "lock"])):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(admin)
        for action in actions:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{action}_page"
            )
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            for action in ("add", "change", "choose"):
                permission = Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )


@pytest.fixture
def login(client, demo_db, django_user_model):
    wagtail_default_groups()

    def as_member(*group_names):
        user = django_user_model.objects.create_user(
            "membre-" + str(django_user_model.objects.count()), email="membre@example.org", password="x"
        )
        user.groups.set(Group.objects.filter(name__in=group_names))
        client.force_login(user)
        return client

    return as_member


# --- Events: per-event screens, registrations list, bulk actions ---------------------------------


@each_group(EVENTS, PRIVACY)
def test_event_summary_and_waiting_list(login, group, allowed, make_event, register):
    event = make_event(capacity=1)
    register(event, seats=1, organisation="Popote")
    register(event, seats=1, contact_name="Zoé Enattente")
    response = login(group).get(f"/admin/evenements/{event.pk}/")
    if allowed:
        html = body(response)
        assert response.status_code == 200 and "Zoé Enattente" in html
        # Buttons only for what this user may do: the privacy officer reads, the events team acts.
        for action in ("presences/", "courriel/", "annuler/"):
            assert (f"/admin/evenements/{event.pk}/{action}" in html) is (group == EVENTS)
    else:
        assert_denied(response)
        assert "Zoé Enattente" not in body(response)


@each_group(EVENTS)
def test_attendance_list_and_marking_attendance(login, group, allowed, make_event, register):
    event = make_event()
    registration = register(event, seats=3, contact_name="Léa Présente")
    client = login(group)
    url = f"/admin/evenements/{event.pk}/presences/"
    listing = client.get(url)
    marking = client.post(url, {f"present-{registration.pk}": "2"})
    attended = Registration.objects.get(pk=registration.pk).attended
    if allowed:
        assert listing.status_code == 200 and "Léa Présente" in body(listing)
        assert marking.status_code == 302 and attended == 2
    else:
        assert_denied(listing)
        assert_denied(marking)
        assert attended is None


@each_group(EVENTS)
def test_bulk_email_to_registrants(login, group, allowed, make_event, register):
    event = make_event()
    register(event)
    register(event)
    client = login(group)
    url = f"/admin/evenements/{event.pk}/courriel/"
    form = client.get(url)
    sent = client.post(url, {"subject": "Stationnement", "body": "Rue Laval.", "states": ["confirmed"]})
    emails = OutgoingEmail.objects.filter(tag="events.bulk").count()
    if allowed:
        assert form.status_code == 200 and sent.status_code == 302 and emails == 2
    else:
        assert_denied(form)
        assert_denied(sent)
        assert emails == 0


@each_group(EVENTS)
def test_cancelling_an_event(login, group, allowed, make_event, register):
    event = make_event()
    register(event)
    response = login(group).post(f"/admin/evenements/{event.pk}/annuler/", {"message": "Tempête."})
    status = EventPage.objects.get(pk=event.pk).state
    if allowed:
        assert response.status_code == 302 and status == EventPage.State.CANCELLED
    else:
        assert_denied(response)
        assert status != EventPage.State.CANCELLED
        assert not OutgoingEmail.objects.filter(tag="events.broadcast").exists()


@each_group(EVENTS, PRIVACY)
def test_registrations_list_and_export(login, group, allowed, make_event, register):
    event = make_event()
    register(event, contact_name="Noé Inscrit", dietary_needs="Allergie arachides")
    client = login(group)
    listing = client.get("/admin/snippets/events/registration/")
    export = client.get(f"/admin/snippets/events/registration/?event={event.pk}&export=csv")
    if allowed:
        assert listing.status_code == 200 and "Noé Inscrit" in body(listing)
        assert export.status_code == 200 and "Allergie arachides" in body(export)
    else:
        for response in (listing, export):
            assert_denied(response)
            assert "Allergie arachides" not in body(response)


@each_group(EVENTS)
def test_bulk_approving_registrations(login, group, allowed, make_event, register):
    event = make_event(requires_approval=True)
    registration = register(event)
    url = f"/admin/bulk/events/registration/approve_registrations/?next=/admin/&id={registration.pk}"
    login(group).post(url)
    status = Registration.objects.get(pk=registration.pk).state
    assert status == (Registration.State.CONFIRMED if allowed else Registration.State.PENDING)


@each_group(EVENTS)
def test_raising_a_registrations_seats_past_the_maximum(login, group, allowed, make_event, register):
    event = make_event(capacity=20, max_seats=2)
    registration = register(event, seats=2, contact_name="Léa Groupe")
    client = login(group)
    url = f"/admin/evenements/inscriptions/{registration.pk}/places/"
    screen = client.get(url)
    raised = client.post(url, {"seats": "8"})
    seats = Registration.objects.get(pk=registration.pk).seats
    if allowed:
        assert screen.status_code == 200 and "Léa Groupe" in body(screen)
        assert raised.status_code == 302 and seats == 8
    else:
        assert seats == 2
        assert_denied(raised)
        if group == PRIVACY:  # reads registrations, changes none
            assert screen.status_code == 200 and 'name="seats"' not in body(screen)
        else:
            assert_denied(screen)
            assert "Léa Groupe" not in body(screen)


@each_group(EVENTS)
def test_an_editor_cancelling_a_registration(login, group, allowed, make_event, register):
    registration = register(make_event(), contact_name="Léa Annulée")
    response = login(group).post(f"/admin/evenements/inscriptions/{registration.pk}/annuler/")
    status = Registration.objects.get(pk=registration.pk).state
    if allowed:
        assert response.status_code == 302 and status == Registration.State.CANCELLED
    else:
        assert_denied(response)
        assert status == Registration.State.CONFIRMED


@each_group(EVENTS)
def test_inscriptions_button_in_the_page_listing(login, group, allowed, make_event):
    event = make_event(title="Atelier listé")
    response = login(group).get(f"/admin/pages/{event.get_parent().pk}/")
    if group in (EVENTS, CONTENT, EDITORS, MODERATORS):  # they see the events in the page explorer
        assert response.status_code == 200 and "Atelier listé" in body(response)
    assert (f'href="/admin/evenements/{event.pk}/"' in body(response)) is allowed


@each_group(EVENTS)
def test_registrations_button_on_the_event_edit_screen(login, group, allowed, make_event):
    event = make_event()
    response = login(group).get(f"/admin/pages/{event.pk}/edit/")
    if group in (EVENTS, CONTENT, EDITORS, MODERATORS):  # they may edit event pages
        assert response.status_code == 200
        assert (f"/admin/evenements/{event.pk}/" in body(response)) is allowed
    else:
        assert_denied(response)


# --- Newsletter: send screen and its actions, import, ledger, subscribers ------------------------


@pytest.fixture
def issue(demo_db):
    return in_default_locale(NewsletterIssuePage.objects).get(slug="novembre-2026")


@each_group(NEWSLETTER)
def test_send_screen_and_test_copy(login, group, allowed, issue):
    client = login(group)
    base = f"/admin/infolettre/numeros/{issue.pk}/"
    screen = client.get(base)
    test_copy = client.post(base + "test/", {"addresses": "moi@example.org", "language": "fr-ca"})
    copies = list(OutgoingEmail.objects.filter(tag="newsletter.test").values_list("to", flat=True))
    if allowed:
        assert screen.status_code == 200 and test_copy.status_code == 302
        assert copies == [["moi@example.org"]]
    else:
        assert_denied(screen)
        assert_denied(test_copy)
        assert copies == []


@each_group(NEWSLETTER)
def test_sending_and_scheduling_an_issue(login, group, allowed, issue):
    client = login(group)
    base = f"/admin/infolettre/numeros/{issue.pk}/"
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    later = client.post(base + "planifier/", {"when": when})
    scheduled = Send.objects.filter(issue=issue).count()
    Send.objects.filter(issue=issue).delete()  # one open send per issue: clear it for "send now"
    confirm_step = client.get(base + "envoyer/")
    now = client.post(base + "envoyer/", {"confirm": "yes"})
    if allowed:
        assert later.status_code == 302 and scheduled == 1
        assert confirm_step.status_code == 200
        assert now.status_code == 302 and Send.objects.filter(issue=issue).count() == 1
    else:
        for response in (later, confirm_step, now):
            assert_denied(response)
        assert scheduled == 0 and not Send.objects.exists()


@each_group(NEWSLETTER)
def test_pausing_cancelling_and_watching_a_send(login, group, allowed, issue):
    send = Send.objects.create(issue=issue, state=Send.State.SENDING, scheduled_at=timezone.now())
    client = login(group)
    progress = client.get(f"/admin/infolettre/envois/{send.pk}/progression/")
    pause = client.post(f"/admin/infolettre/envois/{send.pk}/pause/")
    state_after_pause = Send.objects.get(pk=send.pk).state
    cancel = client.post(f"/admin/infolettre/envois/{send.pk}/annuler/")
    state = Send.objects.get(pk=send.pk).state
    if allowed:
        assert progress.status_code == 200 and progress.json()["state"] == "sending"
        assert pause.status_code == 302 and state_after_pause == Send.State.PAUSED
        assert cancel.status_code == 302 and state == Send.State.CANCELLED
    else:
        for response in (progress, pause, cancel):
            assert_denied(response)
        assert state == Send.State.SENDING


@each_group(NEWSLETTER)
def test_importing_subscribers(login, group, allowed, demo_db):
    client = login(group)
    screen = client.get("/admin/infolettre/abonnes/importer/")
    upload = SimpleUploadedFile("abonnes.csv", b"email,topics\nnouvelle@example.org,generale\n")
    posted = client.post(
        "/admin/infolettre/abonnes/importer/", {"file": upload, "kind": "express", "source": "Salon 2026"}
    )
    imported = Subscriber.objects.filter(email="nouvelle@example.org").exists()
    menu = client.get("/admin/")
    if allowed:
        assert screen.status_code == 200 and posted.status_code == 200 and imported
        assert "/admin/infolettre/abonnes/importer/" in body(menu)
    else:
        assert_denied(screen)
        assert_denied(posted)
        assert not imported
        assert "/admin/infolettre/abonnes/importer/" not in body(menu)


@each_group(NEWSLETTER, PRIVACY)
def test_consent_ledger_and_subscribers_export(login, group, allowed, demo_db):
    subscriber = Subscriber.objects.get(email="annie@example.org")
    client = login(group)
    ledger = client.get(f"/admin/infolettre/abonnes/{subscriber.pk}/registre.csv")
    export = client.get("/admin/snippets/newsletter/subscriber/?export=csv")
    if allowed:
        assert ledger.status_code == 200 and "subscribed,form" in body(ledger)
        assert export.status_code == 200 and "annie@example.org" in body(export)
    else:
        for response in (ledger, export):
            assert_denied(response)
            assert "annie@example.org" not in body(response)


@each_group(NEWSLETTER)
def test_send_button_on_the_issue_edit_screen(login, group, allowed, issue):
    response = login(group).get(f"/admin/pages/{issue.pk}/edit/")
    if group in (NEWSLETTER, CONTENT, EDITORS, MODERATORS):  # they may edit issue pages
        assert response.status_code == 200
        assert (f"/admin/infolettre/numeros/{issue.pk}/" in body(response)) is allowed
    else:
        assert_denied(response)


# --- Board: moderation list, export, bulk moderation, reports -----------------------------------


@pytest.fixture
def pending_post(demo_db):
    return Post.objects.create(
        kind=Post.Kind.OFFER,
        title="Remorque à prêter",
        description="Une remorque.",
        category=ResourceCategory.objects.first(),
        organisation="Popote",
        contact_name="Alex",
        contact_email="alex.poster@example.org",
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        state=Post.State.PENDING,
    )


@each_group(BOARD_MODERATION, PRIVACY)
def test_posts_reports_list_and_export(login, group, allowed, pending_post):
    Report.objects.create(post=pending_post, email="temoin@example.org", reason="spam")
    client = login(group)
    responses = [
        client.get("/admin/snippets/bulletin/post/?export=csv"),
        client.get("/admin/snippets/bulletin/report/?export=csv"),
    ]
    if allowed:
        assert [r.status_code for r in responses] == [200, 200]
        assert "alex.poster@example.org" in body(responses[0]) and "temoin@example.org" in body(responses[1])
    else:
        for response in responses:
            assert_denied(response)
            assert "@example.org" not in body(response)


@each_group(BOARD_MODERATION)
def test_moderating_posts(login, group, allowed, pending_post):
    client = login(group)
    url = f"/admin/bulk/bulletin/post/approve/?next=/admin/&id={pending_post.pk}"
    client.post(url)
    edit = client.get(f"/admin/snippets/bulletin/post/edit/{pending_post.pk}/")
    state = Post.objects.get(pk=pending_post.pk).state
    dashboard = body(client.get("/admin/"))
    if allowed:
        assert state == Post.State.PUBLISHED and edit.status_code == 200
        assert "Babillard : à modérer" in dashboard
    else:
        assert state == Post.State.PENDING
        assert_denied(edit)
        assert "Babillard : à modérer" not in dashboard


# --- Support requests (form submissions) ---------------------------------------------------------


@pytest.fixture
def support_page(demo_db):
    page = in_default_locale(SupportRequestPage.objects).get()
    FormSubmission.objects.create(page=page, form_data={"courriel": "julie.demande@example.org"})
    return page


@each_group(SUPPORT_REQUESTS, PRIVACY)
def test_support_request_submissions(login, group, allowed, support_page):
    client = login(group)
    listing = client.get(f"/admin/forms/submissions/{support_page.pk}/")
    export = client.get(f"/admin/forms/submissions/{support_page.pk}/?export=csv")
    index = client.get("/admin/forms/")
    if allowed:
        assert listing.status_code == 200 and "julie.demande@example.org" in body(listing)
        assert "julie.demande@example.org" in body(export)
        assert f"/admin/forms/submissions/{support_page.pk}/" in body(index)
    else:
        for response in (listing, export):
            assert_denied(response)
            assert "julie.demande@example.org" not in body(response)
        assert f"/admin/forms/submissions/{support_page.pk}/" not in body(index)


@each_group(SUPPORT_REQUESTS, PRIVACY)
def test_deleting_support_request_submissions(login, group, allowed, support_page):
    submission = FormSubmission.objects.get()
    url = f"/admin/forms/submissions/{support_page.pk}/delete/?selected-submissions={submission.pk}"
    response = login(group).post(url)
    gone = not FormSubmission.objects.filter(pk=submission.pk).exists()
    if allowed:
        assert response.status_code == 302 and gone
    else:
        assert_denied(response)
        assert not gone


def test_reading_submissions_does_not_allow_deleting_them(login, support_page):
    readers = Group.objects.create(name="Lecture seule")
    readers.permissions.add(
        *Group.objects.get(name=SUPPORT_REQUESTS).permissions.exclude(codename="delete_formsubmission")
    )
    for gpp in GroupPagePermission.objects.filter(group__name=SUPPORT_REQUESTS):
        GroupPagePermission.objects.create(group=readers, page=gpp.page, permission=gpp.permission)
    client = login("Lecture seule")
    assert client.get(f"/admin/forms/submissions/{support_page.pk}/").status_code == 200
    submission = FormSubmission.objects.get()
    response = client.post(
        f"/admin/forms/submissions/{support_page.pk}/delete/?selected-submissions={submission.pk}"
    )
    assert_denied(response)
    assert FormSubmission.objects.filter(pk=submission.pk).exists()


@each_group(SUPPORT_REQUESTS, PRIVACY)
def test_submissions_panel_on_the_support_page_edit_screen(login, group, allowed, support_page):
    response = login(group).get(f"/admin/pages/{support_page.pk}/edit/")
    if group in (SUPPORT_REQUESTS, PRIVACY, CONTENT, EDITORS, MODERATORS):  # they may edit the page
        assert response.status_code == 200
        assert (f"/admin/forms/submissions/{support_page.pk}/" in body(response)) is allowed
    else:
        assert_denied(response)


# --- Content ------------------------------------------------------------------------------------


@each_group(CONTENT, EDITORS, MODERATORS)
def test_editing_content_pages(login, group, allowed, demo_db):
    page = in_default_locale(ContentPage.objects).first()
    response = login(group).get(f"/admin/pages/{page.pk}/edit/")
    if allowed:
        assert response.status_code == 200
    else:
        assert_denied(response)


@each_group(EVENTS, PRIVACY)
def test_events_dashboard_panel(login, group, allowed, make_event):
    make_event(title="Atelier du tableau de bord")
    html = body(login(group).get("/admin/"))
    assert ("Atelier du tableau de bord" in html) is allowed


@each_group(NEWSLETTER, PRIVACY)
def test_expiring_consents_dashboard_panel(login, group, allowed):
    Subscriber.objects.create(
        email="tacite@example.org",
        state=Subscriber.State.CONFIRMED,
        consent_expires_at=timezone.now() + datetime.timedelta(days=20),
    )
    html = body(login(group).get("/admin/"))
    assert ("tacite@example.org" in html) is allowed and ("data-expiring-count" in html) is allowed


# --- The groups themselves and the demo login ---------------------------------------------------


def test_migrate_creates_the_named_groups(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {spec.name for spec in GROUPS} <= names


def test_every_declared_permission_exists(db):
    for spec in GROUPS:
        for dotted in set(spec.permissions + spec.collections):
            app_label, codename = dotted.split(".")
            assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), (
                dotted
            )


def test_ensure_groups_twice_changes_nothing(demo_db):
    def counts():
        return (
            Group.objects.count(),
            sum(g.permissions.count() for g in Group.objects.all()),
            GroupPagePermission.objects.count(),
            GroupCollectionPermission.objects.count(),
        )

    ensure_groups()
    first = counts()
    ensure_groups()
    assert counts() == first


def test_events_and_newsletter_groups_get_their_pages_in_both_languages(demo_db):
    events_pages = GroupPagePermission.objects.filter(group__name=EVENTS).values_list(
        "page__locale__language_code", flat=True
    )
    assert set(events_pages) == {"fr-ca", "en"}
    archive = GroupPagePermission.objects.filter(group__name=NEWSLETTER).values_list(
        "page__content_type__model", flat=True
    )
    assert set(archive) == {"newsletterarchivepage"}


def test_demo_login_is_in_every_group_and_not_a_superuser(client, demo_db, django_user_model):
    user = django_user_model.objects.get(username="editeur")
    assert not user.is_superuser
    assert set(user.groups.values_list("name", flat=True)) == {spec.name for spec in GROUPS}
    assert client.login(username="editeur", password="maillon-demo")


def test_an_older_superuser_demo_login_is_brought_down_to_the_groups(demo_db, django_user_model):
    from io import StringIO

    from django.core.management import call_command

    django_user_model.objects.filter(username="editeur").update(is_superuser=True, is_staff=True)
    call_command("seed_demo", stdout=StringIO())
    user = django_user_model.objects.get(username="editeur")
    assert not user.is_superuser and user.groups.count() == len(GROUPS)


def test_demo_login_still_opens_every_screen(
    client, demo_db, make_event, register, pending_post, support_page
):
    event = make_event()
    register(event)
    issue = in_default_locale(NewsletterIssuePage.objects).get(slug="novembre-2026")
    client.login(username="editeur", password="maillon-demo")
    for url in (
        f"/admin/evenements/{event.pk}/",
        f"/admin/evenements/{event.pk}/presences/",
        f"/admin/evenements/{event.pk}/courriel/",
        f"/admin/evenements/{event.pk}/annuler/",
        f"/admin/pages/{event.pk}/edit/",
        "/admin/snippets/events/registration/",
        f"/admin/infolettre/numeros/{issue.pk}/",
        "/admin/infolettre/abonnes/importer/",
        "/admin/snippets/newsletter/subscriber/",
        "/admin/snippets/bulletin/post/",
        f"/admin/snippets/bulletin/post/edit/{pending_post.pk}/",
        f"/admin/forms/submissions/{support_page.pk}/",
        "/admin/snippets/website/region/",
        "/admin/settings/website/organisationsettings/",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200 and response.request["PATH_INFO"].startswith(url), url


def custom_admin_paths():
    """Every address our apps add to the admin (register_admin_urls), with sample arguments."""
    import re
    import uuid

    from django.urls import URLPattern, URLResolver
    from wagtail import hooks

    samples = {"int": "1", "uuid": str(uuid.uuid4())}

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield re.sub(r"<(?:(\w+):)?\w+>", lambda m: samples.get(m.group(1), "x"), route)

    apps = ("website", "bulletin", "events", "newsletter", "measure")
    for fn in hooks.get_hooks("register_admin_urls"):
        if fn.__module__.split(".")[0] in apps:
            yield from walk(fn(), "/admin/")


def test_every_custom_admin_view_refuses_a_user_without_its_permission(client, db, django_user_model):
    """A view added to the admin later without a guard fails here: someone who may open the admin, and
    nothing else, is refused everywhere, before any object is looked up (no 404, no page)."""
    admin_only = Group.objects.create(name="Accès à l'administration seulement")
    admin_only.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("curieuse", password="x")
    user.groups.add(admin_only)
    client.force_login(user)
    paths = sorted(set(custom_admin_paths()))
    assert len(paths) >= 14
    for path in paths:
        for response in (client.get(path), client.post(path)):
            assert response.status_code == 403 or (
                response.status_code == 302 and response["Location"] == "/admin/"
            ), (path, response.status_code)
