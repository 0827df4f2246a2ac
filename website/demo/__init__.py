"""Demo content for the information axis, in French, paraphrasing the article the project grew from.

Idempotent: every object is looked up by a stable key (slug, title, username) before it is created.
Other apps' demos build on `child_page`, `paragraph` and `heading`; `seed_demo` calls `seed` first,
then the apps' own, then `translate_navigation`.
"""

from django.conf import settings
from wagtail.models import Collection, Locale

from website.demo.editor import DEMO_EDITOR, seed_editor
from website.demo.navigation import seed_settings, translate_navigation
from website.demo.organisations import add_directory_link, seed_organisations
from website.demo.pages import (
    child_page,
    heading,
    paragraph,
    seed_about,
    seed_case_studies,
    seed_home,
    seed_library,
    seed_support_form,
)
from website.demo.privacy_policy import seed_privacy_policy
from website.demo.reference import seed_categories, seed_regions

__all__ = ["DEMO_EDITOR", "child_page", "heading", "paragraph", "seed", "translate_navigation"]


def seed(stdout):
    regions = seed_regions()
    categories = seed_categories()
    seed_organisations(regions)
    # Both exist after migrate; a test database flushed between tests may have lost them.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code="en")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = seed_home()
    about = seed_about(home)
    stories = seed_case_studies(home, regions, categories)
    library = seed_library(home, categories)
    support = seed_support_form(home)
    seed_privacy_policy(home)
    seed_settings(home.get_site(), [about, stories, library, support])
    add_directory_link()
    user_created = seed_editor()
    stdout.write(
        f"Compte de démonstration : identifiant « {DEMO_EDITOR[0]} », mot de passe « {DEMO_EDITOR[1]} »"
        + (" (créé)" if user_created else "")
    )
