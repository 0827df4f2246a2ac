from django import template

from bulletin.images import VARIANT_WIDTHS, variant_url

register = template.Library()


@register.filter
def image_variant(fieldfile, width):
    """`{{ post.image|image_variant:400 }}`: the image's address at most 400 pixels wide."""
    return variant_url(fieldfile, int(width))


@register.filter
def image_srcset(fieldfile):
    """A srcset of the image's variants and the stored image itself (at most 1,600 pixels wide)."""
    if not fieldfile:
        return ""
    try:
        original = fieldfile.width
    except (OSError, ValueError, TypeError):
        return ""
    if not original:
        return ""
    candidates = [f"{variant_url(fieldfile, w)} {w}w" for w in VARIANT_WIDTHS if w < original]
    return ", ".join([*candidates, f"{fieldfile.url} {original}w"])
