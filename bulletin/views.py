"""The babillard's public pages. One view per action; the rules are in bulletin.services, and what a
post's state allows (what a page offers) in bulletin.transitions."""

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bulletin import links, services
from bulletin.forms import (
    AlertForm,
    ClosePostForm,
    ContactForm,
    PostEditForm,
    PostFilterForm,
    PostForm,
    ReportForm,
)
from bulletin.models import Post
from bulletin.transitions import CLOSE, EDIT, GONE, RENEW, TransitionError, can
from website import prefill
from website.http import client_ip, invalid_link
from website.tokens import link_target

PAGE_SIZE = 20


def message_page(request, title, text):
    return render(request, "bulletin/message.html", {"title": title, "text": text})


with_managed_post = link_target(links.post_for_management, invalid_link)


@require_GET
def post_list(request):
    filters = PostFilterForm(request.GET)
    posts = filters.filter(Post.objects.published().for_listing())
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bulletin/post_list.html", {"filters": filters, "posts": page})


def confirmation_url(post):
    """Where a form on the post page lands after it worked: the top of the content, where base.html
    shows the message. An explicit fragment, because a redirect without one keeps the form's
    ("#titre-contact"), which would scroll past the message to an empty form."""
    return post.get_absolute_url() + "#contenu"


def _detail_context(post, contact_form=None, report_form=None):
    matches = list(services.matches_for(post)[:6])
    return {
        "post": post,
        "contact_form": contact_form or ContactForm(),
        "report_form": report_form or ReportForm(),
        "matches": matches,
        "similar": services.similar_posts(post, exclude=[m.pk for m in matches]),
    }


def public_post(view):
    """Resolve the `pk` of a public post for `view`. A post that was public and is no more (closed,
    expired) or was refused answers 410 with a page saying so; hidden and unpublished posts are 404."""

    @functools.wraps(view)
    def wrapper(request, pk, **kwargs):
        post = get_object_or_404(Post.objects.for_listing(), pk=pk)
        if post.state in GONE:
            return render(request, "bulletin/post_gone.html", {"post": post}, status=410)
        if not post.is_public:
            raise Http404
        return view(request, post, **kwargs)

    return wrapper


@require_GET
@public_post
def post_detail(request, post, slug):
    if slug != post.slug:
        return redirect(post, permanent=True)
    return render(request, "bulletin/post_detail.html", _detail_context(post))


@require_POST
@public_post
def post_contact(request, post):
    form = ContactForm(request.POST)
    if form.accepted(request, "bulletin-contact"):
        services.relay_message(post, **form.cleaned_data)
        messages.success(request, _("Votre message a été transmis. La personne vous répondra directement."))
        return redirect(confirmation_url(post))
    status = form.refusal_status
    return render(
        request, "bulletin/post_detail.html", _detail_context(post, contact_form=form), status=status
    )


@require_POST
@public_post
def post_report(request, post):
    form = ReportForm(request.POST)
    if form.accepted(request, "bulletin-report"):
        data = form.cleaned_data
        if services.report_post(post, data["email"], data["reason"], data["details"], ip=client_ip(request)):
            messages.success(
                request,
                _(
                    "Merci, l'équipe est avisée. Pour que votre signalement compte, confirmez-le par le "
                    "lien que nous venons d'envoyer à votre adresse."
                ),
            )
        else:
            messages.info(request, _("Vous avez déjà signalé cette annonce; l'équipe en est avisée."))
        return redirect(confirmation_url(post))
    status = form.refusal_status
    return render(
        request, "bulletin/post_detail.html", _detail_context(post, report_form=form), status=status
    )


@require_http_methods(["GET", "POST"])
def report_confirm(request, token):
    report = links.report_from_token(token)
    if report is None:
        return invalid_link(request)
    if request.method == "GET":
        return confirm_page(
            request,
            _("Confirmer votre signalement"),
            _("Confirmez votre signalement de l'annonce « %(title)s ».") % {"title": report.post.title},
            _("Confirmer mon signalement"),
        )
    if services.confirm_report(report):
        text = _(
            "Merci, votre signalement est confirmé. L'annonce est retirée du babillard en attendant la "
            "décision de l'équipe."
        )
    else:
        text = _("Merci, votre signalement est confirmé. L'équipe l'examinera.")
    return message_page(request, _("Signalement confirmé"), text)


@require_http_methods(["GET", "POST"])
def post_submit(request):
    known = prefill.initial(request, contact_name="name", organisation="organisation", contact_email="email")
    form = PostForm(request.POST or None, request.FILES or None, initial=known)
    if request.method == "POST":
        if form.accepted(request, "bulletin-submit"):
            post = form.save(commit=False)
            services.submit_post(post, form.cleaned_data["regions"])
            return redirect("bulletin:post_submitted")
        status = form.refusal_status
    else:
        status = 200
    response = render(request, "bulletin/post_form.html", {"form": form}, status=status)
    return prefill.keep_private(request, response)


@require_GET
def post_submitted(request):
    return message_page(
        request,
        _("Vérifiez vos courriels"),
        _(
            "Nous vous avons envoyé un lien pour confirmer votre adresse. Votre annonce sera examinée par "
            "l'équipe dès que vous l'aurez confirmée."
        ),
    )


def confirm_page(request, title, text, button):
    """What a confirmation link shows on GET: mail scanners follow links, so only the button confirms."""
    return render(request, "bulletin/confirm.html", {"title": title, "text": text, "button": button})


@require_http_methods(["GET", "POST"])
def post_confirm(request, token):
    post = links.post_for_confirmation(token)
    if post is None:
        return invalid_link(request)
    if request.method == "GET":
        return confirm_page(
            request,
            _("Confirmer votre annonce"),
            _("Confirmez votre adresse pour envoyer l'annonce « %(title)s » à l'équipe de modération.")
            % {"title": post.title},
            _("Confirmer mon adresse"),
        )
    services.confirm_post(post)
    return message_page(
        request,
        _("Adresse confirmée"),
        _(
            "Merci! Votre annonce est maintenant en attente de modération. Vous recevrez un courriel dès "
            "qu'elle sera publiée."
        ),
    )


def _manage_context(post, token, edit_form=None, close_form=None):
    return {
        "post": post,
        "token": token,
        "edit_form": edit_form or PostEditForm(instance=post),
        "close_form": close_form or ClosePostForm(),
        "can_edit": can(post, EDIT),
        "can_renew": can(post, RENEW),
        "can_close": can(post, CLOSE),
    }


@require_http_methods(["GET", "POST"])
@with_managed_post
def post_manage(request, token, post):
    if request.method == "GET":
        return render(request, "bulletin/post_manage.html", _manage_context(post, token))
    form = PostEditForm(request.POST, request.FILES, instance=post)
    if not can(post, EDIT):
        raise Http404
    if form.accepted(request, "bulletin-manage"):
        try:
            back_to_review = services.update_post(post, form)
        except TransitionError:
            refuse(request, post, _("Cette annonce ne peut plus être modifiée."))
            return redirect("bulletin:post_manage", token=token)
        if back_to_review:
            messages.success(
                request,
                _(
                    "Annonce modifiée. Elle est retirée du babillard le temps que l'équipe la vérifie; "
                    "vous recevrez un courriel dès qu'elle sera de nouveau en ligne."
                ),
            )
        else:
            messages.success(request, _("Annonce modifiée."))
        return redirect("bulletin:post_manage", token=token)
    post.refresh_from_db()
    status = form.refusal_status
    return render(
        request, "bulletin/post_manage.html", _manage_context(post, token, edit_form=form), status=status
    )


def refuse(request, post, text):
    """Say that the action was refused, and why: the state the post is in (which the table refuses)."""
    post.refresh_from_db()
    why = _("Son état : « %(state)s ».") % {"state": post.get_state_display()}
    messages.error(request, f"{text} {why}")


@require_POST
@with_managed_post
def post_renew(request, token, post):
    try:
        services.renew_post(post)
    except TransitionError:
        refuse(request, post, _("Cette annonce ne peut plus être renouvelée."))
    else:
        messages.success(
            request,
            _("Annonce renouvelée jusqu'au %(date)s.") % {"date": date_format(post.expires_on)},
        )
    return redirect("bulletin:post_manage", token=token)


@require_POST
@with_managed_post
def post_close(request, token, post):
    form = ClosePostForm(request.POST)
    if form.is_valid():
        try:
            services.close_post(post, **form.cleaned_data)
        except TransitionError:
            refuse(request, post, _("Cette annonce ne peut plus être fermée."))
        else:
            messages.success(request, _("Annonce fermée. Merci d'avoir partagé le résultat!"))
        return redirect("bulletin:post_manage", token=token)
    return render(
        request, "bulletin/post_manage.html", _manage_context(post, token, close_form=form), status=400
    )


@require_http_methods(["GET", "POST"])
def alert_subscribe(request):
    form = AlertForm(request.POST or None, initial=request.GET.dict() if request.method == "GET" else None)
    if request.method == "POST":
        if form.accepted(request, "bulletin-alert"):
            data = form.cleaned_data
            services.subscribe_alert(
                data["email"], data["kind"], data["category"], data["region"], client_ip(request)
            )
            return message_page(
                request,
                _("Vérifiez vos courriels"),
                _("Si l'adresse est valide, vous recevrez un lien pour confirmer votre alerte."),
            )
        status = form.refusal_status
    else:
        status = 200
    return render(request, "bulletin/alert_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def alert_confirm(request, token):
    subscription = links.subscription_from_token(token, "alert.confirm")
    if subscription is None:
        return invalid_link(request)
    if request.method == "GET":
        return confirm_page(
            request,
            _("Confirmer votre alerte"),
            _("Confirmez que l'adresse %(email)s veut recevoir les nouvelles annonces du babillard.")
            % {"email": subscription.email},
            _("Confirmer mon alerte"),
        )
    services.confirm_alert(subscription)
    return message_page(
        request,
        _("Alerte confirmée"),
        _("Vous recevrez un courriel par jour au plus, seulement s'il y a de nouvelles annonces pour vous."),
    )


@csrf_exempt  # RFC 8058 one-click unsubscribe: mail clients POST without a cookie or token
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request, token):
    subscription = links.subscription_from_token(token, "alert.unsubscribe")
    if subscription is None:
        return invalid_link(request)
    if request.method == "POST":
        services.unsubscribe_alert(subscription)
        return message_page(
            request, _("Désabonnement confirmé"), _("Vous ne recevrez plus cette alerte du babillard.")
        )
    return render(request, "bulletin/alert_unsubscribe.html", {"subscription": subscription})
