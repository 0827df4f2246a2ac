"""The benchmark data set, written with bulk_create (no admin, no signals), kept between runs.

`python -m bench.data seed SCALE [SUBSCRIBERS]` adds what is missing to the database of $DATABASE_URL:
1,000 board posts, 200 events and 50 newsletter issues at scale 1 (a tenth of that at 0.1), and
SUBSCRIBERS confirmed subscribers. `python -m bench.data queries PATH...` prints, as JSON, how many SQL
queries one anonymous request to each path runs (after one warm-up request).
Run by bench/run.py with the production settings it sets up.
"""

import datetime
import json
import sys
import uuid

SIZES = {"posts": 1000, "events": 200, "issues": 50}
MARK = "bench-"  # slug prefix of every generated row
WORDS = (
    "transport local salle formation camionnette bénévoles comptabilité entreposage cuisine partage "
    "mutualisation réseau atelier projecteur livraison repas région organisme coopérative ressources"
).split()


def text(i, words):
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(words)).capitalize() + "."


def vacuum():
    """VACUUM ANALYZE the bench database once a run has emptied what the previous one left, before the timed
    window, so that every run starts alike (half a second). This machine's PostgreSQL runs without
    autovacuum: the rows each run deleted or updated stayed for later runs to step over (10,420 dead
    registrations after a few dozen runs), and the registration figure fell from run to run (35.5/s
    before a VACUUM ANALYZE, 52.5/s right after, same code)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def add_pages(parent, pages):
    """Insert `pages` (unsaved instances of one Page subclass) under `parent`: their Page rows in one
    statement (treebeard paths computed here), then one raw insert each for the subclass's own table.
    No revisions, no English aliases."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from wagtail.models import Page

    if not pages:
        return
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(type(pages[0]))
    for n, page in enumerate(pages, start=step + 1):
        page.path = Page._get_path(parent.path, parent.depth + 1, n)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.translation_key = uuid.uuid4()
        page.content_type = content_type
        page.draft_title = page.title
        page.live = True
        page.first_published_at = page.last_published_at = now
    fields = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
    with transaction.atomic():
        rows = Page.objects.bulk_create([Page(**{f: getattr(p, f) for f in fields}) for p in pages])
        for page, row in zip(pages, rows, strict=True):
            page.pk = page.id = page.page_ptr_id = row.pk
            page.save_base(raw=True, force_insert=True)  # the subclass's table only (as loaddata does)
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def seed_posts(count):
    from django.utils import timezone

    from bulletin.models import Post
    from website.models import Region, ResourceCategory

    have = Post.objects.filter(slug__startswith=MARK).count()
    categories, regions = list(ResourceCategory.objects.all()), list(Region.objects.all())
    today = timezone.localdate()
    posts = [
        Post(
            kind=Post.Kind.values[i % 3],
            title=f"{text(i, 5)[:-1]} {i}",
            slug=f"{MARK}annonce-{i}",
            description=" ".join(text(i + k, 12) for k in range(5)),
            category=categories[i % len(categories)],
            organisation=f"Organisme {i % 97} (fictif)",
            contact_name=f"Personne {i}",
            contact_email=f"annonce{i}@example.org",
            expires_on=today + datetime.timedelta(days=30 + i % 60),
            state=Post.State.PUBLISHED,
            published_at=timezone.now() - datetime.timedelta(hours=i),
        )
        for i in range(have, count)
    ]
    created = Post.objects.bulk_create(posts)
    through = Post.regions.through
    through.objects.bulk_create(
        [through(post_id=post.pk, region_id=regions[k % len(regions)].pk) for k, post in enumerate(created)]
    )
    return len(created)


def seed_events(count):
    from django.utils import timezone

    from events.models import EventIndexPage, EventKind, EventPage
    from website.i18n import in_default_locale
    from website.models import Region

    index = in_default_locale(EventIndexPage.objects).get()
    have = EventPage.objects.filter(slug__startswith=MARK).count()
    kinds, regions = list(EventKind.objects.all()), list(Region.objects.all())
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    pages = []
    for i in range(have, count):
        begins = start + datetime.timedelta(days=1 + i % 180, hours=i % 8)
        pages.append(
            EventPage(
                title=f"{text(i, 4)[:-1]} {i}",
                slug=f"{MARK}evenement-{i}",
                kind=kinds[i % len(kinds)],
                start=begins,
                end=begins + datetime.timedelta(hours=3),
                summary=text(i, 20),
                description=[{"type": "paragraph", "value": f"<p>{text(i, 60)}</p>"}],
                venue=f"Salle {i % 13}",
                region=regions[i % len(regions)],
                capacity=20 + i % 80,
            )
        )
    add_pages(index, pages)
    return len(pages)


def issue_body(paragraphs):
    """An issue about the size of a real one: text with links, the board's and the events' blocks."""
    body = [{"type": "heading", "value": {"text": "Le mot de l'équipe", "level": "h2"}}]
    for k in range(paragraphs):
        link = f'<a href="https://maillon.example/babillard/?categorie=transport&amp;p={k}">{text(k, 3)}</a>'
        body.append({"type": "text", "value": f"<p>{text(k, 40)} {link} {text(k + 1, 30)}</p>"})
    body.append({"type": "latest_posts", "value": {"title": "Nouveau au babillard", "limit": 10}})
    body.append({"type": "upcoming_events", "value": {"title": "Prochains événements", "limit": 10}})
    return body


def seed_issues(count):
    from newsletter.models import NewsletterArchivePage, NewsletterIssuePage, Topic
    from website.i18n import in_default_locale

    archive = in_default_locale(NewsletterArchivePage.objects).get()
    have = NewsletterIssuePage.objects.filter(slug__startswith=MARK).count()
    pages = [
        NewsletterIssuePage(
            title=f"Infolettre {i}",
            slug=f"{MARK}numero-{i}",
            subject=f"{text(i, 6)[:-1]} ({i})",
            preheader=text(i, 10),
            body=issue_body(4),
        )
        for i in range(have, count)
    ]
    add_pages(archive, pages)
    topic = Topic.objects.get(slug="generale")
    for page in NewsletterIssuePage.objects.filter(slug__startswith=MARK, topics=None):
        page.topics.add(topic)
    return len(pages)


def seed_subscribers(count):
    from django.utils import timezone

    from newsletter.models import Subscriber, Topic

    topic, _ = Topic.objects.get_or_create(
        slug="bench", defaults={"name": "Banc d'essai", "name_en": "Bench"}
    )
    have = Subscriber.objects.filter(email__startswith=MARK).count()
    created = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"{MARK}{i:06d}@example.org",
                first_name=f"Abonné {i}",
                language="en" if i % 5 == 0 else "fr-ca",
                state=Subscriber.State.CONFIRMED,
                confirmed_at=timezone.now(),
            )
            for i in range(have, count)
        ],
        batch_size=5000,
    )
    through = Subscriber.topics.through
    through.objects.bulk_create(
        [through(subscriber_id=s.pk, topic_id=topic.pk) for s in created], batch_size=5000
    )
    return len(created)


def seed(scale, subscribers=0):
    from io import StringIO

    from django.core.management import call_command

    from website.models import HomePage

    if not HomePage.objects.exists():
        call_command("seed_demo", stdout=StringIO())
    added = {
        "posts": seed_posts(round(SIZES["posts"] * scale)),
        "events": seed_events(round(SIZES["events"] * scale)),
        "issues": seed_issues(round(SIZES["issues"] * scale)),
        "subscribers": seed_subscribers(subscribers),
    }
    if any(added[name] for name in SIZES):
        call_command("update_index", verbosity=0)
    return added


def resolve(path):
    """A path of bench/pages.py, with {post} and {event} replaced by generated ones of this database."""
    if "{post}" in path:
        from bulletin.models import Post

        return Post.objects.get(slug=f"{MARK}annonce-0").get_absolute_url()
    if "{event}" in path:
        from events.models import EventPage

        return EventPage.objects.get(slug=f"{MARK}evenement-0").url
    return path


def count_queries(paths):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, counts = Client(), {}
    # A cookie of its own keeps this client out of the stored whole pages (website/page_cache.py): the
    # count is what a rendered page costs (a visitor with a session, the first one after a change).
    client.cookies["bench"] = "rendered"
    for path in paths:
        url = resolve(path)
        client.get(url)  # warm-up: first-request caches
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
        counts[path] = len(queries)
    return counts


def main(argv):
    import django

    django.setup()
    if argv[0] == "seed":
        print(json.dumps(seed(float(argv[1]), int(argv[2]) if len(argv) > 2 else 0)))
    elif argv[0] == "queries":
        print(json.dumps(count_queries(argv[1:])))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
