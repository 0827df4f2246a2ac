"""Data migrations that link the organisation names typed before the registry existed.

Each app's migration calls `link_typed_names` on its own model (historical models: no `save()` rules,
so the key and the slug are computed here). Names with the same matching key become one organisation
(the first spelling met, oldest record first), so the obvious duplicates are merged on the way; the
organisations created are unverified, for editors to review.
"""

from website.organisation_names import clean_name, is_organisation_question, normalise, slug_for


class Registry:
    """Organisations by matching key, created as needed, for one migration run."""

    def __init__(self, apps):
        self.organisations = apps.get_model("website", "Organisation")
        aliases = apps.get_model("website", "OrganisationAlias")
        self.ids = dict(aliases.objects.values_list("key", "organisation_id"))
        # Names win over aliases, and the oldest organisation over a later one with the same key.
        for key, pk in self.organisations.objects.order_by("-pk").values_list("key", "pk"):
            self.ids[key] = pk

    def id_for(self, typed):
        name = clean_name(typed)
        key = normalise(name)
        if not key:
            return None
        if key not in self.ids:
            taken = self.organisations.objects.filter
            slug = slug_for(name, lambda s: taken(slug=s).exists())
            self.ids[key] = self.organisations.objects.create(name=name, key=key, slug=slug).pk
        return self.ids[key]


def link_typed_names(
    apps, app_label, model_name, text_field="organisation", link_field="member_organisation"
):
    """Link every record of `app_label.model_name` that has a typed name and no organisation yet."""
    model = apps.get_model(app_label, model_name)
    registry = Registry(apps)
    unlinked = model.objects.filter(**{f"{link_field}__isnull": True}).exclude(**{text_field: ""})
    by_organisation = {}
    for pk, typed in unlinked.order_by("pk").values_list("pk", text_field).iterator():
        organisation_id = registry.id_for(typed)
        if organisation_id:
            by_organisation.setdefault(organisation_id, []).append(pk)
    for organisation_id, pks in by_organisation.items():
        model.objects.filter(pk__in=pks).update(**{f"{link_field}_id": organisation_id})


def linker(app_label, model_name, text_field="organisation", link_field="member_organisation"):
    """A RunPython function for one model (and one of its typed names)."""

    def run(apps, schema_editor):
        link_typed_names(apps, app_label, model_name, text_field, link_field)

    return run


def link_support_requests(apps, schema_editor):
    """Each support request's answer to its form's organisation question, linked like the rest."""
    fields = apps.get_model("website", "SupportFormField")
    submissions = apps.get_model("wagtailforms", "FormSubmission")
    links = apps.get_model("website", "SupportRequestOrganisation")
    question = {}
    for field in fields.objects.order_by("page_id", "sort_order", "pk"):
        if field.page_id not in question and is_organisation_question(field.clean_name, field.field_type):
            question[field.page_id] = field.clean_name
    registry = Registry(apps)
    for submission in submissions.objects.filter(page_id__in=question).order_by("pk").iterator():
        typed = (submission.form_data or {}).get(question[submission.page_id])
        if isinstance(typed, str) and clean_name(typed):
            links.objects.get_or_create(
                submission_id=submission.pk,
                defaults={
                    "organisation": clean_name(typed),
                    "member_organisation_id": registry.id_for(typed),
                },
            )
