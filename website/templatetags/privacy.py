from django import template

from website import privacy

register = template.Library()


@register.simple_tag(takes_context=True)
def privacy_policy_url(context):
    """The privacy policy's address in the reader's language ("" if the site has none), looked up once
    per request: the footer and every form on the page ask for it."""
    request = context.get("request")
    cached = getattr(request, "_privacy_policy_url", None)
    if cached is None:
        cached = privacy.privacy_policy_url()
        if request is not None:
            request._privacy_policy_url = cached
    return cached
