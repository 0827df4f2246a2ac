"""Who may do what in the admin: the groups Maillon ships, and the guard of every custom admin view.

Editing or publishing a page never opens personal data. Registrations, waiting lists, attendance,
subscribers, the consent ledger, form submissions and the newsletter's send screen each need a model
permission that only the named groups below hold (and superusers). Wagtail's own *Editors* and
*Moderators* groups keep their page rights and get none of these.

The groups are created, and given what they need, by `ensure_groups()`: after every `migrate` (a
`post_migrate` handler) and by `seed_demo`. It only adds what is declared here, so it is safe to run
again; a permission an administrator adds to a shipped group stays, one removed from it comes back on
the next `migrate` (make a group of your own to grant less). Page rights are given on the pages of the
named types that exist at that moment: after adding a second events index, run `migrate` again (or grant
the rights in Paramètres → Groupes).

Apps are named here by label (project configuration, like INSTALLED_APPS): `website` imports none of
them.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from wagtail.admin.menu import MenuItem
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

BOARD_MODERATION = "Modération du babillard"
EVENTS = "Événements et inscriptions"
NEWSLETTER = "Infolettre"
CONTENT = "Contenu"
PRIVACY = "Responsable de la vie privée"
SUPPORT_REQUESTS = "Demandes d'accompagnement"

VIEW_SUBMISSIONS = "wagtailforms.view_formsubmission"
DELETE_SUBMISSIONS = "wagtailforms.delete_formsubmission"

PAGE_EDITING = ["add", "change", "publish", "lock", "unlock"]
IMAGES_AND_DOCUMENTS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]


def crud(label, *actions):
    app_label, model = label.split(".")
    return [f"{app_label}.{action}_{model}" for action in actions]


@dataclass
class GroupSpec:
    name: str
    permissions: list = field(default_factory=list)
    # page type ("app_label.ModelName", or "" for the root of the tree) -> Wagtail page actions
    pages: dict = field(default_factory=dict)
    # root-collection rights for images and documents ("wagtailimages.choose_image", …)
    collections: list = field(default_factory=list)


GROUPS = [
    GroupSpec(
        BOARD_MODERATION,
        permissions=[
            *crud("bulletin.post", "add", "change", "delete", "view"),
            *crud("bulletin.report", "view", "delete"),
            *crud("bulletin.contactmessage", "view"),
            *crud("bulletin.alertsubscription", "view"),
        ],
        collections=["wagtailimages.add_image", "wagtailimages.choose_image"],
    ),
    GroupSpec(
        EVENTS,
        permissions=[
            *crud("events.registration", "add", "change", "view"),
            "events.email_registrants",
            *crud("events.eventkind", "add", "change", "view"),
        ],
        pages={"events.EventIndexPage": PAGE_EDITING},
        collections=IMAGES_AND_DOCUMENTS,
    ),
    GroupSpec(
        NEWSLETTER,
        permissions=[
            *crud("newsletter.subscriber", "add", "change", "view"),
            "newsletter.import_subscribers",
            *crud("newsletter.consentrecord", "view"),
            *crud("newsletter.send", "view"),
            "newsletter.send_issue",
            *crud("newsletter.topic", "add", "change", "view"),
        ],
        pages={"newsletter.NewsletterArchivePage": PAGE_EDITING},
        collections=IMAGES_AND_DOCUMENTS,
    ),
    GroupSpec(
        CONTENT,
        permissions=[
            *crud("website.region", "add", "change", "view"),
            *crud("website.resourcecategory", "add", "change", "view"),
            *crud("website.organisation", "add", "change", "delete", "view"),
            *crud("website.organisationcontact", "add", "change", "delete", "view"),
            *crud("website.profileproposal", "change", "view"),
            "website.change_organisationsettings",
            "website.change_navigationsettings",
            *crud("wagtailredirects.redirect", "add", "change", "delete"),
            "simple_translation.submit_translation",
            # The network's figures (aggregates only, no personal data): measure/admin_views.py.
            "measure.view_dashboard",
        ],
        pages={"": PAGE_EDITING},
        collections=[
            *IMAGES_AND_DOCUMENTS,
            "wagtailimages.delete_image",
            "wagtaildocs.delete_document",
        ],
    ),
    GroupSpec(
        SUPPORT_REQUESTS,
        permissions=[
            VIEW_SUBMISSIONS,
            DELETE_SUBMISSIONS,
            # Follow each request to its result: website/accompaniment_admin.py.
            *crud("website.supportrequest", "view", "change"),
        ],
        # Wagtail lists a form's submissions to those who may edit the form page.
        pages={"website.SupportRequestPage": ["change"]},
    ),
    GroupSpec(
        PRIVACY,
        permissions=[
            *crud("bulletin.post", "view"),
            *crud("bulletin.report", "view"),
            *crud("bulletin.contactmessage", "view"),
            *crud("bulletin.alertsubscription", "view"),
            *crud("events.registration", "view"),
            *crud("newsletter.subscriber", "view"),
            *crud("newsletter.consentrecord", "view"),
            *crud("website.organisationcontact", "view"),
            *crud("website.profileproposal", "view"),
            VIEW_SUBMISSIONS,
            DELETE_SUBMISSIONS,
            *crud("website.supportrequest", "view"),
            # Find, export and erase what a person left (Law 25): website/privacy_admin.py.
            "website.manage_personal_data",
        ],
        pages={"website.SupportRequestPage": ["change"]},
    ),
]
for _spec in GROUPS:
    _spec.permissions.insert(0, "wagtailadmin.access_admin")


def permission_required(*perms, post=()):
    """Guard for a custom admin view: the user needs every permission in `perms`, and for a POST also
    those in `post`. Wagtail turns the PermissionDenied into its "no permission" redirect (403 for
    fetch requests), before the view body runs."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            needed = perms + tuple(post) if request.method == "POST" else perms
            if not request.user.has_perms(needed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.required_permissions = perms
        return guarded

    return decorator


class PermissionMenuItem(MenuItem):
    """An admin menu item shown only to users who hold `permission`."""

    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


def _permissions(dotted_names):
    """{"app_label.codename": Permission} for those that exist, in one query."""
    codenames = {dotted.split(".")[1] for dotted in dotted_names}
    found = Permission.objects.filter(codename__in=codenames).select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}": p for p in found}


def _pages_of_type(label):
    if not label:
        root = Page.get_first_root_node()
        return [root] if root else []
    app_label, model_name = label.split(".")
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return []
    return list(model.objects.all())


def ensure_groups():
    """Create the named groups and give each what GROUPS declares (never removes anything).
    Declared permissions whose app is not installed are skipped. Returns the groups by name."""
    page_actions = {
        f"wagtailcore.{action}_page" for spec in GROUPS for a in spec.pages.values() for action in a
    }
    permissions = _permissions(
        {dotted for spec in GROUPS for dotted in spec.permissions + spec.collections} | page_actions
    )
    root_collection = Collection.get_first_root_node()
    groups, page_rights, collection_rights = {}, [], []
    for spec in GROUPS:
        group, _ = Group.objects.get_or_create(name=spec.name)
        groups[spec.name] = group
        group.permissions.add(*(permissions[d] for d in spec.permissions if d in permissions))
        for label, actions in spec.pages.items():
            for page in _pages_of_type(label):
                page_rights += [
                    GroupPagePermission(
                        group=group, page=page, permission=permissions[f"wagtailcore.{a}_page"]
                    )
                    for a in actions
                ]
        if root_collection is not None:
            collection_rights += [
                GroupCollectionPermission(group=group, collection=root_collection, permission=permissions[d])
                for d in spec.collections
                if d in permissions
            ]
    # Both tables have a unique constraint on (group, page or collection, permission).
    GroupPagePermission.objects.bulk_create(page_rights, ignore_conflicts=True)
    GroupCollectionPermission.objects.bulk_create(collection_rights, ignore_conflicts=True)
    return groups
