"""Benchmark: how fast one process renders and sends a newsletter issue over SMTP.

Runs the real pipeline functions (prepare, then send_batch until done) in-process against an aiosmtpd
server on loopback, on a throw-away SQLite database. Prints messages per second and the baseline.
Usage: make bench   (or: .venv/bin/python bench/newsletter_throughput.py [recipients])
"""

import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RECIPIENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
BASELINE = (
    "aiosmtpd caps near 400 msg/s on these machines (DESIGN.md), and here it runs in the same process "
    "(same GIL), so this figure is a floor; first measurement, 2026-11-26: 132 msg/s on SQLite"
)


def main():
    from tests.support.smtp import SMTPSink

    sink = SMTPSink().start()
    workdir = tempfile.mkdtemp(prefix="maillon-bench-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="website.settings.test",
        DATABASE_URL=f"sqlite:///{workdir}/bench.sqlite3",
        EMAIL_URL=sink.url,
        MEDIA_ROOT=f"{workdir}/media",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from newsletter import sending
    from newsletter.models import NewsletterIssuePage, Send, Subscriber, Topic
    from website.i18n import in_default_locale

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    topic = Topic.objects.get(slug="generale")
    Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"bench{i:06d}@example.org", status="confirmed", confirmed_at=timezone.now())
            for i in range(RECIPIENTS)
        ]
    )
    through = Subscriber.topics.through
    through.objects.bulk_create(
        [
            through(subscriber_id=pk, topic_id=topic.pk)
            for pk in Subscriber.objects.filter(email__startswith="bench").values_list("pk", flat=True)
        ]
    )
    issue = in_default_locale(NewsletterIssuePage.objects).get(slug="novembre-2026")
    send = Send.objects.create(issue=issue)
    started = time.perf_counter()
    sending.Send.objects.filter(pk=send.pk)  # warm the ORM
    prepared = sending.prepare(send.pk)
    prepared_at = time.perf_counter()
    sent = 0
    while True:
        batch = sending.send_batch(send.pk, worker="bench")
        if not batch:
            break
        sent += batch
    finished = time.perf_counter()
    sink.stop()
    assert len(sink.messages) == sent == prepared, (len(sink.messages), sent, prepared)
    print(
        f"newsletter: snapshot of {prepared} recipients in {prepared_at - started:.2f} s; "
        f"sent {sent} in {finished - prepared_at:.1f} s = {sent / (finished - prepared_at):.0f} msg/s (one process)"
    )
    print(f"baseline: {BASELINE}")


if __name__ == "__main__":
    main()
