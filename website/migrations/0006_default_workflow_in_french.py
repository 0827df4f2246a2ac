"""Wagtail's default workflow and task ("Moderators approval") get a French name that our catalogue
translates in the English admin (website/workflows.py). Names an administrator chose are left alone."""

from django.db import migrations

OLD, NEW = "Moderators approval", "Approbation de la modération"


def rename(apps, schema_editor, old=OLD, new=NEW):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=old).update(name=new)
    apps.get_model("wagtailcore", "Task").objects.filter(name=old).update(name=new)


def restore(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0005_navigation_english_labels"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(rename, restore)]
