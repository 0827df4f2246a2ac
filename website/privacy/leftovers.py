"""What is left: a generic scan of every model, so that a model added later without its source shows up."""

from django.apps import apps
from django.db import models

from website.privacy.helpers import spellings

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def leftovers(*needles):
    """[(model label, field name, pk)] for every row of every model whose text or JSON holds a needle.
    Slow (a scan of every text column); for tests and for the check after an erasure."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for model_field in meta.local_fields:
            if not isinstance(model_field, TEXT_FIELDS):
                continue
            query = models.Q()
            for needle in needles:
                for variant in spellings(needle):
                    query |= models.Q(**{f"{model_field.name}__icontains": variant})
            for pk in model._default_manager.filter(query).values_list("pk", flat=True):
                found.append((meta.label, model_field.name, pk))
    return found
