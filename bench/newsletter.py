"""Newsletter sending: from "send" to the last message accepted by smtp-sink, through the real pipeline (a
Celery worker with two processes). Baseline: two plain smtplib processes sending one pre-built message
of the same size to the same sink. Deliveries are counted per address at the sink: none may be missing
or doubled."""

import multiprocessing
import smtplib
import time
from collections import Counter

from bench.run import figure, log, problem

PREFIX = "bench-"  # generated subscribers (bench.data.seed_subscribers)
BASELINE_PREFIX = "baseline-"
TARGET_HTML = 18_000  # bytes of HTML in a realistic issue


def bench_issue(recipients):
    """An issue of realistic size for the first `recipients` generated subscribers, with no send yet."""
    from bench.data import MARK, add_pages, issue_body, vacuum
    from newsletter.models import (
        Delivery,
        NewsletterArchivePage,
        NewsletterIssuePage,
        Send,
        Subscriber,
        Topic,
    )
    from website.i18n import in_default_locale

    topic, _ = Topic.objects.get_or_create(
        slug=f"bench-{recipients}", defaults={"name": f"Banc d'essai {recipients}", "name_en": "Bench"}
    )
    if topic.subscribers.count() != recipients:
        ids = Subscriber.objects.filter(email__startswith=MARK).order_by("email").values_list("pk", flat=True)
        ids = list(ids[:recipients])
        if len(ids) < recipients:
            raise SystemExit(f"only {len(ids)} generated subscribers for {recipients}: run bench.data seed")
        topic.subscribers.set(ids)
    slug = f"{MARK}envoi-{recipients}"
    issue = NewsletterIssuePage.objects.filter(slug=slug).first()
    if issue is None:
        sizes = [html_size(issue_body(n)) for n in (4, 8)]  # grows linearly with the paragraphs
        paragraphs = max(4, 4 + round((TARGET_HTML - sizes[0]) * 4 / max(1, sizes[1] - sizes[0])))
        issue = NewsletterIssuePage(
            title=f"Banc d'essai ({recipients})",
            slug=slug,
            subject="Mutualisation : les nouvelles du réseau (banc d'essai)",
            preheader="Les nouveautés du babillard et les prochaines formations.",
            body=issue_body(paragraphs),
        )
        add_pages(in_default_locale(NewsletterArchivePage.objects).get(), [issue])
        issue.topics.set([topic])
    Delivery.objects.filter(issue=issue).delete()
    Send.objects.filter(issue=issue).delete()
    vacuum()
    return NewsletterIssuePage.objects.get(pk=issue.pk)


def html_size(body):
    from newsletter.models import NewsletterIssuePage
    from newsletter.rendering import render_issue

    probe = NewsletterIssuePage(title="probe", slug="probe", subject="Banc d'essai", body=body)
    return len("".join(render_issue(probe, "fr-ca").html))


def plain_sender(port, message, recipients, times):
    connection = smtplib.SMTP("127.0.0.1", port)
    began = time.monotonic()
    for address in recipients:
        connection.sendmail("ne-pas-repondre@maillon.example", [address], message)
    times.put((began, time.monotonic()))
    connection.quit()


def baseline(sink, message, count):
    """Messages per second of two smtplib processes sharing `count` messages."""
    context = multiprocessing.get_context("fork")
    times = context.Queue()
    addresses = [f"{BASELINE_PREFIX}{i}@example.org" for i in range(count)]
    processes = [
        context.Process(target=plain_sender, args=(sink.port, message, addresses[k::2], times))
        for k in range(2)
    ]
    offset = sink.mark()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    if any(process.exitcode for process in processes):
        raise SystemExit("the baseline's smtplib processes failed (see above)")
    spans = [times.get(timeout=10) for _ in processes]
    wait_for(sink, offset, BASELINE_PREFIX, count, 30)
    return count / (max(end for _, end in spans) - min(start for start, _ in spans))


def wait_for(sink, offset, prefix, count, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and sink.sink.poll() is None:
        found = sink.recipients_since(offset, prefix)
        if len(found) >= count:
            return found
        time.sleep(0.05)
    return sink.recipients_since(offset, prefix)


def run(stack, sink, sizes):
    from django.db import close_old_connections

    from newsletter import sending
    from newsletter.models import Delivery

    recipients = sizes["subscribers"]
    issue = bench_issue(recipients)
    offset = sink.mark()
    began = time.monotonic()
    sending.start(issue)
    found = wait_for(sink, offset, PREFIX, recipients, timeout=120 + recipients / 20)
    elapsed = time.monotonic() - began
    time.sleep(1)  # late duplicates, if any
    found = sink.recipients_since(offset, PREFIX)
    counts = Counter(found)
    missing = recipients - len(counts)
    duplicated = sum(n - 1 for n in counts.values())
    peak = stack.worker_peak_rss_mb()
    close_old_connections()
    delivery = Delivery.objects.filter(issue=issue).select_related("subscriber").first()
    rendered = sending.rendered_for_send(delivery.send_id, issue.pk, delivery.language)
    message = sending.build_message(delivery, rendered, None, issue).message().as_bytes()
    ceiling = baseline(sink, message, recipients)
    result = figure(
        "newsletter_send",
        round(recipients / elapsed, 1),
        "messages/s",
        round(ceiling, 1),
        recipients=recipients,
        missing=missing,
        duplicated=duplicated,
        worker_peak_rss_mb=peak,
        worker_processes=2,
        message_bytes=len(message),
        html_bytes=len("".join(rendered.html)),
        seconds=round(elapsed, 1),
    )
    if missing or duplicated:
        states = Counter(Delivery.objects.filter(issue=issue).values_list("state", flat=True))
        log(f"  deliveries in the database: {dict(states)}")
        problem(f"newsletter: {missing} deliveries missing, {duplicated} duplicated at the sink")
    return [result]
