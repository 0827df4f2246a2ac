"""The "Mesure" dashboard in the Wagtail admin (/admin/mesure/): the period and filter form, each
section's headline figures, each table with its chart, and the exports (CSV, XLSX) of one table or of
everything, for the same scope. Reading needs `measure.view_dashboard` (the content group, superusers)."""

from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from measure import exports
from measure.figures import sections
from measure.forms import ScopeForm
from website.permissions import permission_required

PERMISSION = "measure.view_dashboard"
FORMATS = ("csv", "xlsx")


@permission_required(PERMISSION)
def dashboard(request):
    form = ScopeForm(request.GET)
    context = {"form": form, "sections": [], "query": ""}
    if form.is_valid():
        scope = form.scope()
        context.update(sections=sections(scope), query=form.query(), scope=scope)
    return TemplateResponse(request, "measure/admin/dashboard.html", context)


def _valid_scope(request, export_format):
    if export_format not in FORMATS:
        raise Http404
    form = ScopeForm(request.GET)
    return form if form.is_valid() else None


def _filename(scope, key=""):
    return "-".join(filter(None, ["mesure", key, scope.first_day.isoformat(), scope.last_day.isoformat()]))


@permission_required(PERMISSION)
def export_all(request, export_format):
    form = _valid_scope(request, export_format)
    if form is None:  # the dashboard shows the errors next to the fields
        return redirect(f"{reverse('measure_dashboard:index')}?{request.GET.urlencode()}")
    scope = form.scope()
    names = [
        (form.fields[name].label, dict(form.fields[name].choices).get(getattr(scope, name), ""))
        for name in ("region", "category", "organisation_kind")
    ]
    return exports.dashboard_export(
        sections(scope), exports.scope_rows(scope, names), export_format, _filename(scope)
    )


@permission_required(PERMISSION)
def export_table(request, export_format, key):
    form = _valid_scope(request, export_format)
    if form is None:
        return redirect(f"{reverse('measure_dashboard:index')}?{request.GET.urlencode()}")
    scope = form.scope()
    found = next((t for s in sections(scope) for t in s.tables if t.key == key), None)
    if found is None:
        raise Http404(_("Ce tableau n'existe pas."))
    return exports.table_export(found, export_format, _filename(scope, key))
