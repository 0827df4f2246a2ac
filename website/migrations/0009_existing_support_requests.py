"""Every support request already received gets its follow-up, with the status "nouvelle"."""

from django.db import migrations


def language_of(code, default):
    return "en" if (code or "").lower().startswith("en") else default


def open_existing(apps, schema_editor):
    SupportRequestPage = apps.get_model("website", "SupportRequestPage")
    FormSubmission = apps.get_model("wagtailforms", "FormSubmission")
    SupportRequest = apps.get_model("website", "SupportRequest")
    Region = apps.get_model("website", "Region")
    regions = {}
    for region in Region.objects.all():
        for name in (region.name, region.name_en):
            if name:
                regions.setdefault(name.casefold(), region)
    # Values, not instances: the historical page class keeps Wagtail's FormMixin, whose __init__ needs
    # attributes a historical model does not have (an upgrade with support pages failed here).
    pages = dict(SupportRequestPage.objects.values_list("pk", "locale__language_code"))
    submissions = FormSubmission.objects.filter(page_id__in=pages, support_request__isnull=True)
    SupportRequest.objects.bulk_create(
        SupportRequest(
            submission=submission,
            language=language_of(pages[submission.page_id], "fr-ca"),
            region=next(
                (
                    regions[value.strip().casefold()]
                    for value in (submission.form_data or {}).values()
                    if isinstance(value, str) and value.strip().casefold() in regions
                ),
                None,
            ),
            submitted_at=submission.submit_time,
        )
        for submission in submissions.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("website", "0008_support_requests")]

    operations = [migrations.RunPython(open_existing, migrations.RunPython.noop)]
