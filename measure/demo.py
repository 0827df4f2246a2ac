"""Demo impact page at /impact/ (/en/impact/ through its English alias), featuring the demo's case
studies, linked from the footer. Idempotent."""

from wagtail.models import Site

from measure.models import FeaturedCaseStudy, ImpactPage
from website.demo import child_page
from website.i18n import in_default_locale
from website.models import CaseStudyPage, HomePage, NavigationSettings

INTRO = (
    "<p>Ce que la mutualisation a permis dans la région au cours des douze derniers mois : annonces, "
    "formations partagées, accompagnements et économies déclarées par les organismes.</p>"
)


def seed(stdout):
    home = in_default_locale(HomePage.objects).get()
    page = child_page(home, ImpactPage, "impact", title="Impact", intro=INTRO)
    if not page.featured_case_studies.exists():
        stories = in_default_locale(CaseStudyPage.objects.live()).order_by("path")[:2]
        page.featured_case_studies = [FeaturedCaseStudy(case_study=story) for story in stories]
        page.save_revision().publish()
    add_footer_link(page)
    stdout.write("Mesure : page d'impact prête (/impact/).")


def add_footer_link(page):
    nav = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    if not any(item.value.get("page") and item.value["page"].pk == page.pk for item in nav.footer_links):
        nav.footer_links.append(
            ("link", {"label": "Notre impact", "label_en": "Our impact", "page": page, "url": ""})
        )
        nav.save()
