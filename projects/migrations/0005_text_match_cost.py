"""Tell the planner what `tsvector @@ tsquery` costs on a table row.

A project's search vector is kilobytes in TOAST: matching it on a row decompresses it (about
7.5 µs), while the GIN index answers the same match without reading a vector. PostgreSQL costs
the operator like an integer comparison, so at 100,000 projects it chose a sequential scan
that decompressed every vector (380 ms for a word no project holds) over the index (0.04 ms).
A cost of 300 (cpu_operator_cost units, about the real ratio) makes it prefer the index
wherever the index can answer. See docs/adr/0005-scale.md.

Changing a built-in function needs a superuser. Without one the migration says so and goes on:
the portal works, slower; a superuser can run the statement later.
"""

from django.db import migrations

FUNCTION = "ts_match_vq(tsvector, tsquery)"
STATEMENT = f"ALTER FUNCTION {FUNCTION} COST %s"
MATCH_COST = 300
DEFAULT_COST = 1


def set_cost(cost):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            (superuser,) = cursor.fetchone()
            if superuser:
                cursor.execute(STATEMENT % cost)
            else:
                print(
                    f"\n  Not a superuser: run `{STATEMENT % cost}` as one, or searches on a "
                    "large database read every search document (docs/adr/0005-scale.md)."
                )

    return run


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_scale_indexes")]

    operations = [migrations.RunPython(set_cost(MATCH_COST), set_cost(DEFAULT_COST))]
