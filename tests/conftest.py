import os
import sys
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.signals import post_migrate
from django.test import TransactionTestCase
from django.utils import translation
from pytest_django.plugin import blocking_manager_key
from wagtail.contrib.forms.utils import get_form_types

from events import emails as event_emails
from tests import factories
from tests.support import database, demo_snapshot
from tests.support.browser import SharedContext, records_artifacts
from tests.support.smtp import SMTPSink
from tests.support.worker import CeleryWorker, purge_test_queue, wait_for_dismissed
from tests.walks.coverage import COVERAGE
from website import cache as fail_open_cache
from website import page_routes, queueing

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _forget_form_types(**kwargs):
    """A flushed database (after each transactional test) gets its content types back under new ids.
    Wagtail remembers the form page types' content types for the life of the process (an lru_cache in
    wagtail.contrib.forms.utils, harmless in production where ids never change); with stale ids its
    form-submission screens are refused to everyone, a superuser included."""
    get_form_types.cache_clear()


post_migrate.connect(_forget_form_types, dispatch_uid="tests.forget_form_types")
# On SQLite, each flush after the first puts back a copy of what the first left (tests/support/database.py).
TransactionTestCase._fixture_teardown = database.flush_from_copy(TransactionTestCase._fixture_teardown)


@pytest.hookimpl(tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    """Before Hypothesis's own summary, which imports all of Hypothesis (a second of CPU, at the very end
    of each process, the xdist controller's included) to ask whether it wrote observability files: a
    process that never imported Hypothesis wrote none, and says so without loading it."""
    if "hypothesis" not in sys.modules:
        sys.modules.setdefault("hypothesis.internal.observability", SimpleNamespace(_WROTE_TO=()))
    if COVERAGE:
        terminalreporter.section("walks: crawler coverage")
        for line in COVERAGE:
            terminalreporter.write_line(line)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    """Before the session's fixtures end (the test database goes with them), every Celery worker a test
    dismissed has finished its shutdown. Under pytest-xdist, a worker process hands what its crawls
    covered to the controller."""
    wait_for_dismissed()
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["walks_coverage"] = list(COVERAGE)


def _commits(item):
    """Whether a test commits for real (pytest-django then flushes the database after it)."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    return bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or (
        "transactional_db" in fixtures or "live_server" in fixtures
    )


def _uses_db(item):
    return (
        bool(item.get_closest_marker("django_db"))
        or "db" in getattr(item, "fixturenames", [])
        or _commits(item)
    )


def _run_order(item):
    """0: tests without the database; 1: those that roll back; 2: those that commit without a browser
    (real workers, concurrency, faults), that mail through a real Celery worker (the session's or their
    own) or that walk the whole site (tests/walks) or throw hundreds of inputs at it (tests/fuzz): the
    longest, several seconds to minutes each; 3: the other committing ones, browser tests of a second
    or so."""
    if not _uses_db(item):
        return 0
    if not _commits(item):
        return 1
    fixtures = set(item.fixturenames)
    long = {"celery_worker", "smtp"} & fixtures or not {"page", "browser"} & fixtures
    return 2 if long or item.nodeid.startswith(("tests/walks/", "tests/fuzz/")) else 3


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The order of the run, after pytest-django's (rolled back, then committing, then no database): the
    tests without a database first (they run anywhere), then the rolled-back ones, and only then those
    that commit, which flush the database and take with it what the migrations put there (Wagtail's root
    page, root collection, default locale); among these, the long ones first (`_run_order`).
    Under pytest-xdist tests are handed to the processes in this order as they come free, so the run ends
    on short tests and both processes finish within a second or so of each other, instead of one running
    a four-second test alone at the end.

    Under `--dist loadgroup` (the Makefile's TEST_WORKERS) each test is also given a group: its module's,
    with those that commit in a second group of their own. With pytest 9.2 and pytest-xdist 3.8.0 they do
    not reach the scheduler (xdist writes the group into `Item._nodeid`, which pytest 9 no longer reads):
    tests are handed out one by one (README). The groups are named where the tests are collected: in each
    worker process, where pytest-xdist has set `dist` to "no" and says "loadgroup" in `option.loadgroup`."""
    items.sort(key=_run_order)
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        module = item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(module + ("|commits" if _commits(item) else "")))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist, in the controller: a worker process is done."""
    COVERAGE.extend(getattr(node, "workeroutput", {}).get("walks_coverage", []))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    """pytest-xdist, in the controller, before it starts the worker processes: their test databases,
    migrated once and copied (tests/support/database.py)."""
    config.stash[_WORKERS] = len(specs)
    keep = bool(config.getvalue("reuse_db") and not config.getvalue("create_db"))
    with config.stash[blocking_manager_key].unblock():
        database.prepare_worker_databases(len(specs), keepdb=keep)


def pytest_unconfigure(config):
    """In the controller, at the end of a run that does not keep its databases (no --reuse-db)."""
    if _WORKERS in config.stash and not config.getvalue("reuse_db"):
        with config.stash[blocking_manager_key].unblock():
            database.destroy_worker_databases(config.stash[_WORKERS])


_WORKERS = pytest.StashKey[int]()


def _cloned(config):
    """Whether this is an xdist worker whose test database the controller has prepared."""
    return hasattr(config, "workerinput") and bool(os.environ.get(database.CLONED))


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_blocker):
    """--reuse-db; or an xdist worker's copied database (the controller drops it at the end); or, in one
    process, the migrated database kept by an earlier run (tests/support/database.py), dropped at the end."""
    if request.config.getvalue("reuse_db") or _cloned(request.config):
        return True
    name = connection.creation._get_test_db_name()
    with django_db_blocker.unblock():
        if not database.restore_migrated(name):
            return False
    request.addfinalizer(lambda: database.drop_sqlite(name))
    return True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_keepdb, django_db_createdb, django_db_blocker, request):
    """pytest-django's, then a database it has just migrated is kept for the next runs, and its rows are
    remembered as the base the demo is seeded over."""
    with django_db_blocker.unblock():
        if (django_db_createdb or not django_db_keepdb) and not _cloned(request.config):
            database.keep_migrated(connection.settings_dict["NAME"])
        demo_snapshot.remember_base()  # what the demo is seeded over (tests/support/demo_snapshot.py)


@pytest.fixture(scope="session")
def django_db_createdb(request, django_db_modify_db_settings, django_db_blocker):
    """--create-db, or --reuse-db on a database the last session left flushed (created again, or copied
    from the migrated one a run kept)."""
    if _cloned(request.config):
        return False
    if request.config.getvalue("create_db"):
        return True
    if not request.config.getvalue("reuse_db"):
        return False
    name = connection.creation._get_test_db_name()
    with django_db_blocker.unblock():
        if database.is_migrated(name):
            return False
        # Flushed or absent: the migrated copy a run kept, if any (tests/support/database.py).
        return not database.restore_migrated(name) and database.reused_database_was_flushed()


@pytest.fixture(autouse=True)
def _clean_cache():
    # Each test starts in the default language, whatever an earlier test of the process activated.
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
    yield
    cache.clear()
    # Where addresses led in this test's database (website/page_routes.py) says nothing of the next's.
    page_routes._routes.clear()
    # An outage simulated by one test is over for the next (website/cache.py, website/queueing.py).
    fail_open_cache._down_until.clear()
    queueing._paused_until = 0.0


@pytest.fixture(autouse=True)
def _event_emails_when_the_test_transaction_never_commits(monkeypatch):
    """The emails of a registration's change are queued once its transaction commits (events/emails.py).
    In a test whose transaction is the test case's and never commits (`db`), they are queued at once,
    as if each change committed, so the outbox holds them as in production; tests that commit for real
    (`transaction=True`: tests/events/test_lock_work.py) check that they wait for the commit."""

    def on_commit(func, using=None, robust=False):
        blocks = connection.atomic_blocks
        if blocks and getattr(blocks[0], "_from_testcase", False):
            func()
        else:
            transaction.on_commit(func, using=using, robust=robust)

    monkeypatch.setattr(event_emails, "on_commit", on_commit)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def _shared_browser_context(browser, browser_context_args):
    shared = SharedContext(browser, **browser_context_args)
    yield shared
    shared.close()


@pytest.fixture
def context(request):
    """The browser context of pytest-playwright's `page`: the process's shared one, emptied after the
    test (tests/support/browser.py); a context of the test's own when it records a trace, a video or
    screenshots."""
    if records_artifacts(request.config):
        yield request.getfixturevalue("new_context")()
        return
    shared = request.getfixturevalue("_shared_browser_context")
    yield shared.context
    shared.empty()


@pytest.fixture(scope="session")
def smtp_server():
    sink = SMTPSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def smtp(smtp_server, settings):
    """Django in this process sends to the loopback SMTP server; the inbox starts empty."""
    smtp_server.clear()
    smtp_server.refuse_with = smtp_server.refuse_recipient = None
    smtp_server.pipelining = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    yield smtp_server
    smtp_server.refuse_with = smtp_server.refuse_recipient = None
    smtp_server.pipelining = True


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, smtp_server):
    """One real worker for the session, on the test database, mailing the loopback SMTP server."""
    with django_db_blocker.unblock():
        purge_test_queue()
        worker = CeleryWorker(email_url=smtp_server.url).start()
    yield worker
    worker.stop()


@pytest.fixture
def demo(transactional_db):
    """The demo content, committed so that a live server or a worker process sees it. Only where the
    demo itself is under test (browser journeys, the quick start): other tests build what they need
    with `tests/factories.py`. Seeded once per process, then put back by SQL (tests/support/demo_snapshot.py)."""
    demo_snapshot.load_demo()


@pytest.fixture(scope="module")
def _demo_for_module(django_db_setup, django_db_blocker):
    """The demo content for one module. On SQLite, committed from a copy (seeded the first time in the
    process) and the database put back as the module found it at its end (tests/support/demo_snapshot.py);
    on PostgreSQL, seeded inside a transaction rolled back at the module's end."""
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            with demo_snapshot.demo_for_module():
                yield
            return
        with transaction.atomic():
            call_command("seed_demo", stdout=open(os.devnull, "w"))
            yield
            transaction.set_rollback(True)


@pytest.fixture
def demo_db(_demo_for_module, db):
    """The demo content, for tests that read it; what a test changes is rolled back (each test runs in
    a savepoint). Seeded once per module, for `db` tests only: pytest-django runs them before every
    transactional test, so the module's transaction is over before a live server or a worker starts."""


@pytest.fixture
def event_index(db):
    """The events listing, on a site with its home page and reference data (the demo's if loaded)."""
    return factories.event_index()


@pytest.fixture
def make_event(event_index):
    """`make_event(**fields)`: a published event under the events index (tests/factories.py)."""
    return factories.EventMaker(event_index)


@pytest.fixture
def register():
    """`register(event, seats=1, organisation=None, **fields)`: a registration through the service."""
    return factories.Registrar()


@pytest.fixture
def page_cache_on(settings):
    """Whole public pages stored (the tests' settings store none), as in production."""
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (the new cache version), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
