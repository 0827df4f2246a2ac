from django import template

from website import privacy, site_chrome

register = template.Library()


@register.simple_tag(takes_context=True)
def privacy_policy_url(context):
    """The privacy policy's address in the reader's language ("" if the site has none), from the site's
    chrome (website/site_chrome.py): the footer and every form on the page ask for it."""
    request = context.get("request")
    if request is None:
        return privacy.privacy_policy_url()
    return site_chrome.for_request(request)["privacy_policy_url"]
