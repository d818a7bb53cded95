# Postcodes are looked up only by equality, so the "_like" index PostgreSQL adds for a character
# primary key (for LIKE and startswith) would never be used, and every postcode import would
# rebuild it (teams/postcode_table.py copies the live table's indexes). No other database makes
# one; DROP INDEX IF EXISTS is a no-op there. It is a migration of its own because PostgreSQL's
# schema editor creates that index at the very end of the migration that creates the table.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS teams_postcode_postcode_fbbfa425_like",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
