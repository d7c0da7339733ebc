"""A search's sample is found in an index of the sample's search documents alone.

Each sample level gets a partial GIN index, so that the matches of a word in the 0.1 % sample
are read from an index of a thousand documents, not picked out of every match (a word in 2.6 %
of a million projects: 0.3 ms instead of 7 ms, each time a page counts or reads its sample).

The planner only picks these indexes when it knows how few rows `mod(project_id, 1000) < n`
leaves. The dropped B-tree index on that expression gave it the statistics; a statistics
object on the expression gives them now. Without them it took a third of the table and
checked the text match on a thousand rows (38 ms). See docs/adr/0005-scale.md.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.math
import django.db.models.lookups
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_filter_sample_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="projectsearch",
            name="project_search_sample_idx",
        ),
        migrations.AddIndex(
            model_name="projectsearch",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(
                    django.db.models.lookups.LessThan(
                        django.db.models.functions.math.Mod(
                            "project_id", 1000, output_field=models.BigIntegerField()
                        ),
                        100,
                    )
                ),
                fields=["document"],
                name="project_search_sample_100_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="projectsearch",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(
                    django.db.models.lookups.LessThan(
                        django.db.models.functions.math.Mod(
                            "project_id", 1000, output_field=models.BigIntegerField()
                        ),
                        10,
                    )
                ),
                fields=["document"],
                name="project_search_sample_10_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="projectsearch",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(
                    django.db.models.lookups.LessThan(
                        django.db.models.functions.math.Mod(
                            "project_id", 1000, output_field=models.BigIntegerField()
                        ),
                        1,
                    )
                ),
                fields=["document"],
                name="project_search_sample_1_idx",
            ),
        ),
        migrations.RunSQL(
            "CREATE STATISTICS project_search_sample_stats ON (mod(project_id, 1000::bigint)) "
            "FROM projects_projectsearch; ANALYZE projects_projectsearch",
            "DROP STATISTICS project_search_sample_stats",
        ),
    ]
