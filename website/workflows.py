"""Wagtail's moderation workflow, named in the admin's language.

Workflow and task names are data: Wagtail's migration 0048 names its default ones after the group
("Moderators approval") and every screen shows them as stored, so the French admin read "Soumettre à
Moderators approval". Our migration website 0006 renames that default workflow and task to
`DEFAULT_NAME` (French, like the rest of the data); `display_name` gives a stored name in the admin's
language when our catalogue knows it. The "Submit to …" buttons of the page editor use it (Wagtail 8
has no hook for translating these names elsewhere: lists of workflows, history and status panels show
the stored French name).
"""

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from wagtail.admin.action_menu import SubmitForModerationMenuItem

WAGTAIL_DEFAULT_NAME = "Moderators approval"
DEFAULT_NAME = gettext_noop("Approbation de la modération")


def display_name(name):
    """A workflow or task name in the admin's language (as stored when our catalogue lacks it)."""
    return gettext(name) if name else name


class NamedSubmitMenuItem(SubmitForModerationMenuItem):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        state = page.current_workflow_state if page else None
        if state and state.status == state.STATUS_NEEDS_CHANGES:
            context["label"] = _("Soumettre de nouveau à « %(task)s »") % {
                "task": display_name(state.current_task_state.task.name)
            }
        else:
            workflow = (page if page and page.pk else context["parent_page"]).get_workflow()
            if workflow:
                context["label"] = _("Soumettre à « %(workflow)s »") % {
                    "workflow": display_name(workflow.name)
                }
        return context


def name_submit_buttons(menu_items, request, context):
    """construct_page_action_menu: Wagtail's "Submit to {workflow}" item, with the translated name."""
    for index, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[index] = NamedSubmitMenuItem(order=item.order)
