"""One lifecycle word across the project: an event's and a registration's `status` is now `state`
(the board's posts, the outbox and the newsletter's sends already say `state`). Data is kept; the
registrations' index on (event, state, created_at) is rebuilt under its new name, and the event pages'
revisions say `state` too (the editor opens the latest revision: a key it no longer knows would show
the default, and a cancelled event would be published as scheduled again)."""

from django.db import migrations, models


def rename_key(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="events", model="eventpage").first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type=content_type).iterator():
        if old in revision.content:
            revision.content[new] = revision.content.pop(old)
            revision.save(update_fields=["content"])


def forwards(apps, schema_editor):
    rename_key(apps, "status", "state")


def backwards(apps, schema_editor):
    rename_key(apps, "state", "status")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_registration_seats_requested"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="registration", name="events_regi_event_i_436663_idx"),
        migrations.RenameField(model_name="eventpage", old_name="status", new_name="state"),
        migrations.RenameField(model_name="registration", old_name="status", new_name="state"),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(
                fields=["event", "state", "created_at"], name="events_regi_event_i_d8d3d5_idx"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
