"""Keep a project's search row in one heap page, its search vector not in TOAST.

A vector is about 6 KB, and PostgreSQL moves a column out of its row into TOAST once the row
passes 2 KB: reading a vector took three more page reads through the TOAST index. A search
reads the vectors of the first 1,000 matches it finds, twice (to find them, then to rank
them): at 10,000 projects the statement of a common word's rows took 10.3 ms, 7.5 with the
vectors in their rows, and the search page's count 2.3, 0.9. Only a row that does not fit a
page (a vector over about 8 KB) still goes to TOAST. See docs/adr/0005-scale.md.

VACUUM FULL rewrites the rows already written, which the setting alone would leave as they
are; it cannot run in a transaction, hence atomic = False.
"""

from django.db import migrations

TABLE = "projects_projectsearch"
# The largest target PostgreSQL accepts: a row is toasted only when it would not fit a page.
ROW_IN_ONE_PAGE = 8160


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("projects", "0008_link_sample_indexes")]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE {TABLE} SET (toast_tuple_target = {ROW_IN_ONE_PAGE})",
            f"ALTER TABLE {TABLE} RESET (toast_tuple_target)",
        ),
        migrations.RunSQL(f"VACUUM FULL {TABLE}", f"VACUUM FULL {TABLE}"),
    ]
