"""The post's own edit screen in the Wagtail admin: its real state in the status panel, and the
moderation decisions (publish, reject with a reason) where the moderation email leads."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.ui.side_panels import StatusSidePanel
from wagtail.snippets.views.snippets import EditView, InspectView

from bulletin import services
from bulletin.models import Post
from bulletin.transitions import APPROVE, REJECT, TransitionError, can


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif du refus (envoyé à l'auteur)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


class PostStatusSidePanel(StatusSidePanel):
    """Wagtail's status panel says "Live" for any model without draft states; a post says its state."""

    def get_status_templates(self, context):
        templates = super().get_status_templates(context)
        return ["bulletin/admin/post_status.html", *templates[1:]]


class PostEditView(EditView):
    approve_url_name = None
    reject_url_name = None

    def get_side_panels(self):
        panels = super().get_side_panels()
        for panel in panels:
            if isinstance(panel, StatusSidePanel):
                # Same panel and arguments as Wagtail's; only the status line differs.
                panel.__class__ = type("PostStatus", (PostStatusSidePanel, type(panel)), {})
        return panels

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.object
        confirmed = [report for report in post.reports.all() if report.confirmed_at]
        context["moderation"] = {
            "can_approve": can(post, APPROVE),
            "can_reject": can(post, REJECT),
            "approve_url": reverse(self.approve_url_name, args=[post.pk]),
            "reject_url": reverse(self.reject_url_name, args=[post.pk]),
            "reject_form": RejectForm(),
            "reports": post.reports.count(),
            "confirmed_reports": confirmed,
        }
        return context


class ModerationView(View):
    """One moderation decision on one post, then back to its edit screen with a message."""

    http_method_names = ["post"]
    permission_policy = None
    edit_url_name = None

    def post(self, request, pk):
        post = get_object_or_404(Post, pk=pk)
        if not self.permission_policy.user_has_permission_for_instance(request.user, "change", post):
            raise PermissionDenied
        try:
            self.decide(request, post)
        except TransitionError:
            messages.error(request, _("Cette annonce a changé d'état entre-temps : rien n'a été fait."))
        return redirect(self.edit_url_name, post.pk)


class ApprovePostView(ModerationView):
    def decide(self, request, post):
        services.approve_post(post, user=request.user)
        messages.success(request, _("Annonce « %(title)s » publiée; son auteur est avisé.") % {"title": post})


class RejectPostView(ModerationView):
    def decide(self, request, post):
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Indiquez le motif du refus : il est envoyé à l'auteur."))
            return
        services.reject_post(post, form.cleaned_data["reason"], user=request.user)
        messages.success(
            request, _("Annonce « %(title)s » refusée; son auteur a reçu le motif.") % {"title": post}
        )


class BoardInspectView(InspectView):
    """Dates in local time and the reader's format; an empty value is a dash, not "None"."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "—"
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return date_format(value, "DATE_FORMAT")
        return value
