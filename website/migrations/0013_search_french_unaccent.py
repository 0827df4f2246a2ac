"""PostgreSQL's search configuration `french_unaccent`: French stemming after removing accents, so
"evenement" finds "événement" (settings: WAGTAILSEARCH_BACKENDS' SEARCH_CONFIG). The `unaccent`
extension ships with PostgreSQL (contrib) and is trusted since PostgreSQL 13, so the database's owner may
create it. Nothing on other databases: SQLite's FTS5 tokenizer already removes diacritics.

Index entries written before this migration were built with `french`: run `manage.py update_index`
after upgrading (README, "Deploying")."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("website", "0012_profile_proposals")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
