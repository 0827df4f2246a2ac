"""Editors' screens: sending an issue (test, now, scheduled, pause/resume/cancel, live progress),
importing subscribers, exporting one subscriber's consent ledger."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format, time_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.views.pages.utils import get_breadcrumbs_items_for_page

from newsletter import audience, emails, sending, subscriber_csv
from newsletter.forms import ImportForm
from newsletter.models import NewsletterIssuePage, Send, Subscriber
from website.i18n import canonical
from website.permissions import permission_required


class TestSendForm(forms.Form):
    addresses = forms.CharField(label=gettext_lazy("Adresses (séparées par des virgules)"), max_length=1000)
    language = forms.ChoiceField(
        label=gettext_lazy("Langue de la copie"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )

    def clean_addresses(self):
        addresses = [
            a.strip() for a in self.cleaned_data["addresses"].replace(";", ",").split(",") if a.strip()
        ]
        field = forms.EmailField()
        for address in addresses:
            field.clean(address)
        if not addresses or len(addresses) > 10:
            raise forms.ValidationError(_("Entre une et dix adresses."))
        return addresses


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=gettext_lazy("Date et heure d'envoi"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def clean_when(self):
        when = self.cleaned_data["when"]
        if when <= timezone.now():
            raise forms.ValidationError(_("Choisissez un moment dans le futur."))
        return when


def editable_issue(request, pk):
    # Sends belong to the source issue: the Envoyer button of its English alias leads to the same screen.
    issue = canonical(get_object_or_404(NewsletterIssuePage, pk=pk))
    if not issue.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return issue


def moment(value):
    """ "27 novembre 2026 à 11 h 43" in French, "Nov. 27, 2026 at 11:43 a.m." in English."""
    value = timezone.localtime(value)
    return _("%(date)s à %(time)s") % {
        "date": date_format(value, "DATE_FORMAT"),
        "time": time_format(value, "TIME_FORMAT"),
    }


def rate_label(rate):
    """ "0,1 message/s" in French (singular below two), "0.1 messages/s" in English (plural but for one)."""
    singular = rate < 2 if get_language().startswith("fr") else rate == 1
    text = _("%(rate)s message/s") if singular else _("%(rate)s messages/s")
    return text % {"rate": number_format(rate, decimal_pos=0 if float(rate).is_integer() else 1)}


def progress_display(progress):
    """The progress figures as the editor reads them, in the admin's language."""
    figures = {
        name: number_format(progress[name], force_grouping=True) for name in ("sent", "failed", "remaining")
    }
    return {
        **figures,
        "state_label": progress["state_label"],
        "rate": rate_label(progress["rate_per_second"]),
    }


def screen(request, issue, title, template, **context):
    """An editor's screen about one issue: its title in the header, the page tree in the breadcrumb."""
    trail = [{"url": reverse("newsletter_admin:issue", args=[issue.pk]), "label": _("Envoyer")}]
    if title != _("Envoyer"):
        trail.append({"url": request.path, "label": title})
    return TemplateResponse(
        request,
        template,
        {
            "issue": issue,
            "title": title,
            "header_title": f"{title} — {issue.title}",
            "header_icon": "mail",
            "breadcrumbs_items": [*get_breadcrumbs_items_for_page(issue, request.user), *trail],
            "edit_url": reverse("wagtailadmin_pages:edit", args=[issue.pk]),
            "audience": sending.recipients_left(issue).count(),
            "audience_summary": audience.summary(issue),
            **context,
        },
    )


@permission_required("newsletter.send_issue")
def issue_send(request, pk, test_form=None, schedule_form=None):
    issue = editable_issue(request, pk)
    sends = []
    for send in issue.sends.all():
        progress = sending.progress(send)
        sends.append({"send": send, "progress": progress, "display": progress_display(progress)})
    open_or_done = any(s["send"].state in (*sending.OPEN_STATES, Send.State.DONE) for s in sends)
    return screen(
        request,
        issue,
        _("Envoyer"),
        "newsletter/admin/issue_send.html",
        sends=[{**s, "scheduled": moment(s["send"].scheduled_at)} for s in sends],
        can_start=issue.live and not open_or_done,
        open_states=list(sending.OPEN_STATES),
        test_form=test_form or TestSendForm(initial={"addresses": request.user.email}),
        schedule_form=schedule_form or ScheduleForm(),
    )


@permission_required("newsletter.send_issue")
@require_POST
def send_test(request, pk):
    issue = editable_issue(request, pk)
    form = TestSendForm(request.POST)
    if not form.is_valid():
        return issue_send(request, pk, test_form=form)
    count = emails.issue_test_copies(
        issue.specific, form.cleaned_data["addresses"], form.cleaned_data["language"]
    )
    messages.success(
        request,
        ngettext(
            "Envoi de test fait : une copie à %(count)s adresse.",
            "Envoi de test fait : une copie à chacune des %(count)s adresses.",
            count,
        )
        % {"count": count},
    )
    return redirect("newsletter_admin:issue", pk=issue.pk)


@permission_required("newsletter.send_issue")
@require_http_methods(["GET", "POST"])
def send_now(request, pk):
    """A second step before sending to everyone: the POST of this screen's button starts the send."""
    issue = editable_issue(request, pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            sending.start(issue, user=request.user)
        except sending.SendRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Envoi commencé."))
        return redirect("newsletter_admin:issue", pk=issue.pk)
    return screen(request, issue, _("Envoyer maintenant"), "newsletter/admin/confirm_send.html")


@permission_required("newsletter.send_issue")
@require_POST
def schedule(request, pk):
    issue = editable_issue(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return issue_send(request, pk, schedule_form=form)
    try:
        send = sending.start(issue, user=request.user, when=form.cleaned_data["when"])
    except sending.SendRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Envoi planifié le %(when)s.") % {"when": moment(send.scheduled_at)})
    return redirect("newsletter_admin:issue", pk=issue.pk)


def control(action):
    @permission_required("newsletter.send_issue")
    @require_POST
    def view(request, send_pk):
        send = get_object_or_404(Send, pk=send_pk)
        editable_issue(request, send.issue_id)
        action(send)
        return redirect("newsletter_admin:issue", pk=send.issue_id)

    return view


pause = control(sending.pause)
resume = control(sending.resume)
cancel = control(sending.cancel)


@permission_required("newsletter.send_issue")
def progress(request, send_pk):
    send = get_object_or_404(Send, pk=send_pk)
    editable_issue(request, send.issue_id)
    figures = sending.progress(send)
    return JsonResponse({**figures, "display": progress_display(figures)})


@permission_required("newsletter.import_subscribers")
def import_subscribers(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            imported, errors = subscriber_csv.import_subscribers(
                data["file"],
                kind=data["kind"],
                source_note=data["source"],
                skip_invalid=data["skip_invalid"],
                user=request.user,
            )
        except forms.ValidationError as exc:
            form.add_error("file", exc)
        else:
            result = {"imported": imported, "errors": errors, "skipped": data["skip_invalid"]}
    return TemplateResponse(request, "newsletter/admin/import.html", {"form": form, "result": result})


@permission_required("newsletter.view_consentrecord")
def ledger(request, pk):
    subscriber = get_object_or_404(Subscriber, pk=pk)
    response = HttpResponse(subscriber_csv.ledger_csv(subscriber), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registre-consentement-{subscriber.pk}.csv"'
    return response
