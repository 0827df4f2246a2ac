"""The email's text part shows rich text as a reader of plain text needs it (it was the HTML with its
tags stripped: paragraphs and list items ran together and links lost their address)."""

import pytest
from wagtail.models import Page
from wagtail.rich_text import RichText

from newsletter import rendering
from newsletter.templatetags.newsletter_tags import plain_text
from website.i18n import absolute_url

pytestmark = pytest.mark.django_db

SOURCE = (
    '<h2 data-block-key="a">Mutualiser</h2><p data-block-key="b">Un <b>camion</b>  partagé.<br/>Deux lignes.</p>'
    '<ul><li data-block-key="c">des salles</li><li data-block-key="d">du <a href="/babillard/">matériel</a></li>'
    '</ul><p data-block-key="e"><a href="https://exemple.org/">https://exemple.org/</a></p>'
)


def test_paragraphs_lists_and_links_keep_their_shape():
    assert plain_text(RichText(SOURCE)) == (
        "Mutualiser\n\nUn camion partagé.\nDeux lignes.\n\n- des salles\n"
        f"- du matériel ({absolute_url('/babillard/')})\n\nhttps://exemple.org/"
    )


def test_a_page_link_gets_the_pages_absolute_address(demo_db):
    page = Page.objects.live().filter(depth=3).first().specific
    text = plain_text(RichText(f'<p>Voir <a linktype="page" id="{page.pk}">la page</a>.</p>'))
    assert text == f"Voir la page ({absolute_url(page.url)})."


def test_the_issue_text_part_separates_paragraphs(issue):
    issue.body.append(
        ("text", '<p data-block-key="x">Premier paragraphe.</p><p data-block-key="y">Second.</p>')
    )
    text = "".join(rendering.render_issue(issue, "fr-ca").text)
    assert "Premier paragraphe.\n\nSecond." in text
