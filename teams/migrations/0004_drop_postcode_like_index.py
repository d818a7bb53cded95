# The postcode is looked up only by equality, so the "_like" index PostgreSQL gets for a
# character primary key (for LIKE and startswith) is never used, and every postcode import has
# to rebuild it. No other database has it; DROP INDEX IF EXISTS is a no-op there.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0003_postcode_plain_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS teams_postcode_postcode_fbbfa425_like",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
