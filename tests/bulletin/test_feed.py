"""The RSS feed carries text, never markup a reader would render: posts stored before the no-HTML
rule, or written by editors, included."""

import html.parser
import xml.etree.ElementTree as ET

import pytest

from bulletin.feeds import strip_markup

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<<img src=x onerror=alert(1)//<",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">cliquez</a>',
    "<<svg/onload=alert(1)>",
    "<scr<b>ipt>alert(1)</script>",
    "<!--><img src=x onerror=alert(1)>-->",
    "&lt;img src=x onerror=alert(1)&gt;",
]


class Reader(html.parser.HTMLParser):
    """What a feed reader does with a description: parse it as HTML. It records every element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def rendered_elements(text):
    """The elements a reader builds from `text`, placed in its page as readers do: inside markup of
    its own, whose next ">" completes a tag the text left open."""
    reader = Reader()
    reader.feed(f'<div class="entry">{text}</div><p class="footer">')
    reader.close()
    own = [("div", [("class", "entry")]), ("p", [("class", "footer")])]
    return [element for element in reader.elements if element not in own]


def feed_items(client, path="/babillard/rss/"):
    response = client.get(path)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # the XML layer, as the reader's XML parser sees it
    return [
        {child.tag: child.text or "" for child in item}
        | {"categories": [c.text for c in item.findall("category")]}
        for item in root.iter("item")
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_description_builds_an_element_in_a_reader(client, make_post, payload):
    make_post(title="Camionnette", description=f"Avant {payload} après")
    (item,) = feed_items(client)
    assert rendered_elements(item["description"]) == []
    assert "Avant" in item["description"] and "après" in item["description"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_title_or_category_builds_an_element_in_a_reader(client, make_post, transport, payload):
    transport.name = f"Transport {payload}"
    transport.save()
    make_post(title=f"Offre {payload}"[:120], category=transport)
    (item,) = feed_items(client)
    assert rendered_elements(item["title"]) == []
    for category in item["categories"]:
        assert rendered_elements(category) == []


def test_plain_text_with_angle_brackets_reaches_the_reader_as_text(client, make_post):
    make_post(description="Budget < 500 $ et 3 > 2; R&D")
    (item,) = feed_items(client)
    reader = Reader()
    text = []
    reader.handle_data = text.append
    reader.feed(item["description"])
    reader.close()
    assert "".join(text) == "Budget < 500 $ et 3 > 2; R&D"


def test_strip_markup_removes_tags_and_half_tags():
    assert strip_markup("<<img src=x onerror=alert(1)//<") == "<<"
    assert strip_markup("a <b>gras</b> et a < b") == "a gras et a < b"


def feed_channel(client, path):
    return ET.fromstring(client.get(path).content).find("channel")


def test_each_item_keeps_one_identifier_in_every_language_and_the_feed_links_to_the_readers_board(
    client, make_post
):
    post = make_post()
    french, english = feed_channel(client, "/babillard/rss/"), feed_channel(client, "/en/babillard/rss/")
    # The identifier readers remember a post by: the same as before it was built from the route.
    assert (
        french.find("item/guid").text
        == english.find("item/guid").text
        == f"http://testserver/babillard/{post.pk}/"
    )
    assert french.find("link").text == "http://testserver/babillard/"
    assert english.find("link").text == "http://testserver/en/babillard/"
