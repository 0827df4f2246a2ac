import importlib

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Site

from website.demo import translate_navigation
from website.i18n import sync_page_tree
from website.permissions import ensure_groups

# Each app that has demo content exposes demo.seed(stdout); they run in this order.
DEMO_APPS = ["website", "bulletin", "events", "newsletter", "measure"]


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (en français). Relancer la commande ne crée pas de doublons."

    def handle(self, *args, **options):
        with transaction.atomic():
            for app in DEMO_APPS:
                try:
                    demo = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                demo.seed(self.stdout)
            # Every app has added its menu link: give the menu its English labels.
            translate_navigation(Site.objects.get(is_default_site=True))
            # The English tree mirrors the French one (aliases), as the admin does for new pages.
            sync_page_tree()
            # Page rights of the named groups go on the pages just created (events index, archive…).
            ensure_groups()
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
