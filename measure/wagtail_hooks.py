"""The "Mesure" dashboard in the admin: its addresses, its menu item and its summary panel on the
admin home, each only for users with `measure.view_dashboard`."""

from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.ui.components import Component

from measure import admin_views
from measure.figures import board_section, events_section, reach_section
from measure.scope import Scope
from website.permissions import PermissionMenuItem

# The headline figures the home panel shows: (section, positions of its headlines).
PANEL_FIGURES = ((board_section, (0, 3, 4)), (events_section, (1, 9)), (reach_section, (0,)))


@hooks.register("register_admin_urls")
def measure_admin_urls():
    urls = [
        path("", admin_views.dashboard, name="index"),
        path("export/<str:export_format>/", admin_views.export_all, name="export"),
        path("export/<str:export_format>/<slug:key>/", admin_views.export_table, name="export_table"),
    ]
    return [path("mesure/", include((urls, "measure_dashboard"), namespace="measure_dashboard"))]


@hooks.register("register_admin_menu_item")
def measure_menu_item():
    return PermissionMenuItem(
        pgettext_lazy("tableau de bord", "Mesure"),
        reverse("measure_dashboard:index"),
        name="measure",
        icon_name="table",
        order=260,
        permission=admin_views.PERMISSION,
    )


@hooks.register("register_permissions")
def measure_permission():
    return Permission.objects.filter(content_type__app_label="measure", codename="view_dashboard")


class MeasurePanel(Component):
    """A few headline figures of the last twelve months, and the way to the dashboard."""

    order = 70

    def render_html(self, parent_context=None):
        scope = Scope.last_twelve_months()
        headlines = [
            section.headlines[i]
            for make, positions in PANEL_FIGURES
            for section in [make(scope)]
            for i in positions
        ]
        return render_to_string(
            "measure/admin/home_panel.html",
            {"headlines": headlines, "scope": scope, "url": reverse("measure_dashboard:index")},
        )


@hooks.register("construct_homepage_panels")
def add_measure_panel(request, panels):
    if request.user.has_perm(admin_views.PERMISSION):
        panels.append(MeasurePanel())
