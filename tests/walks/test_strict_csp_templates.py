"""Public pages run under a Content-Security-Policy without 'unsafe-inline' styles: a style="" attribute in a
page template is blocked by the browser (and reported in its console). Emails are not under the policy."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EMAIL_FOLDERS = {"email", "emails"}


def test_no_page_template_uses_a_style_attribute():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        if EMAIL_FOLDERS & set(template.relative_to(TEMPLATES).parts):
            continue
        text = re.sub(r"{% comment %}.*?{% endcomment %}", "", template.read_text(), flags=re.DOTALL)
        if re.search(r"<[^>]*\sstyle=", text):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []
