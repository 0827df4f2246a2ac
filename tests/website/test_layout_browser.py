"""The layout in a real Chromium, on a desktop (1280 px) and a phone (390 px): the site's name on one
line on a desktop, no select whose chosen text is cut off, nothing wider than the screen."""

import pytest

pytestmark = pytest.mark.browser

PAGES = ["/", "/babillard/", "/evenements/", "/en/evenements/", "/babillard/publier/", "/accompagnement/"]

MEASURE = """() => {
  const brand = document.querySelector('.navbar-brand');
  const lineHeight = parseFloat(getComputedStyle(brand).lineHeight);
  const clipped = [];
  for (const select of document.querySelectorAll('select:not([multiple])')) {
    if (!select.offsetParent) continue;  // hidden (a category's own fields)
    const style = getComputedStyle(select);
    const context = document.createElement('canvas').getContext('2d');
    context.font = style.font;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (const option of select.options) {
      if (context.measureText(option.text).width > room) clipped.push(`${select.name}: ${option.text}`);
    }
  }
  return {
    brandLines: Math.round(brand.getBoundingClientRect().height / lineHeight),
    clipped,
    width: document.documentElement.scrollWidth,
  };
}"""


@pytest.mark.parametrize("width, brand_lines", [(1280, 1), (390, 2)])
def test_site_name_and_select_choices_fit(page, live_server, demo, width, brand_lines):
    page.set_viewport_size({"width": width, "height": 800})
    for url in PAGES:
        page.goto(live_server.url + url)
        measured = page.evaluate(MEASURE)
        # "Réseau régional de mutualisation (démo)" wrapped to four lines on a desktop.
        assert measured["brandLines"] <= brand_lines, (url, measured)
        assert measured["clipped"] == [], (url, measured)
        assert measured["width"] <= width, (url, measured)
