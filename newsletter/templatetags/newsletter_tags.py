from django import template

register = template.Library()


@register.filter
def call_items(block, value):
    """Items of a newsletter block that is filled from the other apps (board posts, events)."""
    return block.items(value)
