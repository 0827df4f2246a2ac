"""One page creation at a time under a parent, and a publish that arrives after an autosave publishes the
autosaved draft instead of failing.

Wagtail 8 autosaves the create form (a JSON POST to the create view, `WAGTAIL_AUTOSAVE_INTERVAL`): the
first autosave creates the page as a draft, and only when its answer arrives does the browser switch the
form to the new page's edit view. An editor who clicks "Publier" while that first autosave is in flight
sends a second POST to the create view with the same slug. Both passed form validation (neither saw the
other's page) and the second one failed in `add_child` (ValidationError "slug already in use": a 500 on
the editor's screen), or, if it came a moment later, showed the create form again with a slug error while
the draft sat in the tree.

This middleware takes a row lock on the parent page for the whole create request, so two creations under
one parent run one after the other; then, when the same editor's own draft with that slug was created in
the last few minutes and never published, the request is handed to that draft's edit view: the publish
(or a later autosave) applies to the draft, and no second page is made. Any other clash is left to
Wagtail's form validation, which answers with the usual slug error next to the field.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import Page

CREATE_VIEW = "wagtailadmin_pages:add"
# A draft this recent, by this editor, with the slug being created, is the one an autosave just made.
AUTOSAVED_WITHIN = datetime.timedelta(minutes=10)


def autosaved_draft(request, parent_page_id, app_label, model):
    """The editor's own never-published page of this type under this parent with the slug the form
    posts, created by an autosave moments ago; None otherwise."""
    slug = (request.POST.get("slug") or "").strip()
    if not slug or not request.user.is_authenticated:
        return None
    parent = Page.objects.filter(pk=parent_page_id).first()
    if parent is None:
        return None
    return (
        parent.get_children()
        .filter(
            slug=slug,
            content_type__app_label=app_label,
            content_type__model=model,
            owner=request.user,
            live=False,
            first_published_at__isnull=True,
            latest_revision_created_at__gte=timezone.now() - AUTOSAVED_WITHIN,
        )
        .first()
    )


class SerialPageCreationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name != CREATE_VIEW:
            return None
        parent_page_id = view_kwargs.get("parent_page_id")
        with transaction.atomic():
            # Held until this request's page is saved: the next creation under the parent sees it.
            list(Page.objects.select_for_update().filter(pk=parent_page_id).values_list("pk", flat=True))
            draft = autosaved_draft(
                request,
                parent_page_id,
                view_kwargs.get("content_type_app_name"),
                view_kwargs.get("content_type_model_name"),
            )
            if draft is not None:
                return EditView.as_view()(request, page_id=draft.pk)
            return view_func(request, *view_args, **view_kwargs)
