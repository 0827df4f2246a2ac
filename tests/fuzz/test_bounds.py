"""Every field a visitor fills has a length limit (shown to browsers) and refuses HTML. The forms are
found by introspection, so a new form, or a new field on one, is checked without anyone listing it."""

import importlib
import pkgutil
import sys

import pytest
from django import forms

from bulletin.models import Post
from events.models import EventQuestion, Registration
from website.forms import DEFAULT_MAX_LENGTH, HONEYPOT_FIELD, PublicFormMixin
from website.models import ResourceCategory

pytestmark = pytest.mark.django_db

APPS = ("bulletin", "events", "newsletter", "website")
# Forms a visitor reaches through an emailed link: no honeypot, the same limits and filter.
LINK_FORMS = {"bulletin.forms.ClosePostForm", "newsletter.forms.PreferencesForm"}
# Query-string filters: bounded text, nothing stored.
FILTER_FORMS = {
    "bulletin.forms.PostFilterForm",
    "events.forms.EventFilterForm",
    "website.directory.DirectoryFilterForm",
}
# Behind the admin login.
EDITOR_FORMS = {
    "bulletin.admin_views.RejectForm",
    "bulletin.forms.PostAdminForm",
    "events.forms.BulkEmailForm",
    "events.forms.CancelEventForm",
    "events.forms.RegistrationSeatsForm",
    "newsletter.admin_views.TestSendForm",
    "newsletter.admin_views.ScheduleForm",
    "newsletter.forms.ImportForm",
    "website.admin_forms.LoginForm",
    "website.bruteforce.PasswordResetForm",
    "website.privacy_admin.LookupForm",
    "website.privacy_admin.EraseForm",
    "website.organisations_admin.MergeForm",
    "website.organisation_proposals_admin.RefuseForm",
    "website.accompaniment_admin.FilterForm",
    "website.accompaniment_admin.StatusForm",
    "website.accompaniment_admin.AssignForm",
    "website.accompaniment_admin.NoteForm",
}
HTML = "<b>gras</b>"
# A field's own limit may exceed the default (a hundred attendee names), never this: a few pages.
CEILING = 4 * DEFAULT_MAX_LENGTH
# Modules that hold no form and must not be imported in tests (production settings refuse to load).
SKIPPED_MODULES = (".migrations", ".management", ".settings", ".wsgi")


def name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def our_form_classes():
    """Every form class defined at module level in our apps."""
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if not any(part in module.name for part in SKIPPED_MODULES):
                importlib.import_module(module.name)
    found, pending = set(), [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        module = sys.modules.get(cls.__module__)
        if cls.__module__.split(".")[0] in APPS and getattr(module, cls.__qualname__, None) is cls:
            found.add(cls)
    return found


def visitor_forms():
    return sorted(
        (cls for cls in our_form_classes() if issubclass(cls, PublicFormMixin) or name(cls) in LINK_FORMS),
        key=name,
    )


def test_every_form_is_known_as_a_visitor_filter_or_editor_form():
    found = {name(cls) for cls in our_form_classes()}
    assert {
        "bulletin.forms.PostForm",
        "events.forms.RegistrationForm",
        "newsletter.forms.SignupForm",
    } <= found
    assert LINK_FORMS | FILTER_FORMS | EDITOR_FORMS <= found, "a listed form was renamed or removed"
    unknown = {
        name(cls)
        for cls in our_form_classes()
        if not issubclass(cls, PublicFormMixin) and name(cls) not in LINK_FORMS | FILTER_FORMS | EDITOR_FORMS
    }
    assert unknown == set(), "a new form: make it a PublicFormMixin, or list it here with its audience"


@pytest.fixture
def form_kwargs(site):
    """What each visitor form needs besides its data: an event with a free-text question."""
    EventQuestion.objects.create(page=site.event, label="Votre fonction?", kind=EventQuestion.Kind.TEXT)
    return {
        "events.forms.RegistrationForm": {"event": site.event},
        "newsletter.forms.PreferencesForm": {"subscriber": site.subscriber},
        "bulletin.forms.PostEditForm": {"instance": site.post},
    }


def text_fields(form):
    return {
        field_name: field
        for field_name, field in form.fields.items()
        if isinstance(field, forms.CharField) and field_name != HONEYPOT_FIELD
    }


def support_form(site):
    return site.support_page.get_form(page=site.support_page, user=None)


def check_limits(form):
    for field_name, field in text_fields(form).items():
        assert field.max_length and field.max_length <= CEILING, field_name
        if not field.widget.is_hidden:
            assert int(field.widget.attrs.get("maxlength", 0)) == field.max_length, field_name
        model = getattr(getattr(form, "_meta", None), "model", None)
        if model is not None and field_name in {f.name for f in model._meta.get_fields()}:
            column = model._meta.get_field(field_name)
            if getattr(column, "max_length", None):
                assert field.max_length <= column.max_length, field_name


def alongside(field_name):
    """What a field needs beside it to be read at all: a board post's details only count for the
    categories they belong to (others are dropped, HTML included)."""
    for _legend, names, slugs in Post.DETAIL_GROUPS:
        if field_name in names:
            return {"category": ResourceCategory.objects.get(slug=slugs[0]).pk}
    return {}


def check_html_refused(make_form):
    for field_name in text_fields(make_form()):
        form = make_form(data={field_name: HTML, **alongside(field_name)})
        assert not form.is_valid() and field_name in form.errors, field_name


@pytest.mark.parametrize("cls", visitor_forms(), ids=name)
def test_every_visitor_text_field_is_bounded_and_refuses_html(site, form_kwargs, cls):
    kwargs = form_kwargs.get(name(cls), {})
    check_limits(cls(**kwargs))
    check_html_refused(lambda data=None: cls(data, **kwargs))


def test_the_support_request_form_is_bounded_and_refuses_html(site):
    form_class = support_form(site).__class__
    check_limits(form_class())
    check_html_refused(lambda data=None: form_class(data))


def test_registration_attendee_names_refuse_html_on_every_line(site):
    from events.forms import ManageRegistrationForm, RegistrationForm

    for form in (
        RegistrationForm({"attendee_names": "Ana\n<img src=x onerror=alert(1)>"}, event=site.event),
        ManageRegistrationForm({"seats": "2", "attendee_names": "Ana\n<<img src=x onerror=alert(1)//<"}),
    ):
        assert not form.is_valid() and form.has_error("attendee_names", "html")


@pytest.mark.parametrize("field", ["dietary_needs", "accessibility_needs", "attendee_names", "organisation"])
def test_two_million_characters_are_refused_and_nothing_is_saved(client, site, field):
    before = Registration.objects.count()
    data = {
        "contact_name": "Dominique",
        "email": "longue@example.org",
        "organisation": "Organisme",
        "seats": "1",
        field: "x" * 2_000_000,
    }
    response = client.post(site.event_path, data)
    assert response.status_code == 400
    assert Registration.objects.count() == before
