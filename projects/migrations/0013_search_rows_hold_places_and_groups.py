"""Give each search row its project's region and target group ids, GIN-indexed, so that a search
within them intersects two indexes of one table (docs/adr/0005-scale.md).

The UPDATE writes a new version of every row, a page each: the table and its text index end up
twice their size (at 10,000 projects 70 -> 140 MB and 15 -> 33 MB), and the search pages were
slower until they were rewritten (two benchmark runs each: the search page 42-45 ms at p95
against 25-30 after, the common word 53-56 against 36-41). VACUUM FULL rewrites them compact,
as migration 0009 did; it holds the table's exclusive lock while it runs and cannot run in a
transaction, hence atomic = False.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

TABLE = "projects_projectsearch"
BACKFILL = f"""
    UPDATE {TABLE} AS search SET
        regions = ARRAY(
            SELECT link.region_id FROM projects_project_regions AS link
            WHERE link.project_id = search.project_id ORDER BY link.region_id),
        target_groups = ARRAY(
            SELECT link.targetgroup_id FROM projects_project_target_groups AS link
            WHERE link.project_id = search.project_id ORDER BY link.targetgroup_id)
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("projects", "0012_name_order_index_holds_filter_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectsearch",
            name="regions",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(),
                default=list,
                help_text="Ids of the project's regions, for searching within regions.",
                verbose_name="regions",
            ),
        ),
        migrations.AddField(
            model_name="projectsearch",
            name="target_groups",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(),
                default=list,
                help_text="Ids of the project's target groups, for searching within them.",
                verbose_name="target groups",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.RunSQL(f"VACUUM FULL {TABLE}", migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="projectsearch",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["regions"], name="project_search_regions_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="projectsearch",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["target_groups"], name="project_search_groups_idx"
            ),
        ),
    ]
