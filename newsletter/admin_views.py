"""Editors' screens: sending an issue (test, now, scheduled, pause/resume/cancel, live progress),
importing subscribers, exporting one subscriber's consent ledger."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from newsletter import sending, services
from newsletter.forms import ImportForm
from newsletter.models import NewsletterIssuePage, Send, Subscriber
from website.permissions import permission_required


class TestSendForm(forms.Form):
    addresses = forms.CharField(label=gettext_lazy("Adresses (séparées par des virgules)"), max_length=1000)

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
    issue = get_object_or_404(NewsletterIssuePage, pk=pk)
    if not issue.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return issue


@permission_required("newsletter.send_issue")
def issue_send(request, pk, test_form=None, schedule_form=None):
    issue = editable_issue(request, pk)
    sends = list(issue.sends.all())
    return TemplateResponse(
        request,
        "newsletter/admin/issue_send.html",
        {
            "issue": issue,
            "audience": sending.audience(issue).count(),
            "sends": [(send, sending.progress(send)) for send in sends],
            "has_active": any(
                s.state in (Send.State.SCHEDULED, Send.State.PREPARING, Send.State.SENDING, Send.State.PAUSED)
                for s in sends
            ),
            "test_form": test_form or TestSendForm(initial={"addresses": request.user.email}),
            "schedule_form": schedule_form or ScheduleForm(),
        },
    )


@permission_required("newsletter.send_issue")
@require_POST
def send_test(request, pk):
    issue = editable_issue(request, pk)
    form = TestSendForm(request.POST)
    if not form.is_valid():
        return issue_send(request, pk, test_form=form)
    sending.send_test(issue.specific, form.cleaned_data["addresses"])
    messages.success(request, _("Envoi de test fait."))
    return redirect("newsletter_admin:issue", pk=issue.pk)


@permission_required("newsletter.send_issue")
@require_POST
def send_now(request, pk):
    issue = editable_issue(request, pk)
    if not issue.live:
        messages.error(request, _("Publiez le numéro avant de l'envoyer."))
    else:
        sending.start(issue, user=request.user)
        messages.success(request, _("Envoi commencé."))
    return redirect("newsletter_admin:issue", pk=issue.pk)


@permission_required("newsletter.send_issue")
@require_POST
def schedule(request, pk):
    issue = editable_issue(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return issue_send(request, pk, schedule_form=form)
    sending.start(issue, user=request.user, when=form.cleaned_data["when"])
    messages.success(request, _("Envoi planifié."))
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
    return JsonResponse(sending.progress(send))


@permission_required("newsletter.import_subscribers")
def import_subscribers(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            imported, errors = services.import_subscribers(
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
    response = HttpResponse(services.ledger_csv(subscriber), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registre-consentement-{subscriber.pk}.csv"'
    return response
