"""The regions' project counts read a sample of the projects' links to regions and to
municipalities, through an index on the sample key of each link table (projects.overview).
Without them, estimating every region's count read each link: seconds at a million projects.
The link tables are Django's own for the many-to-many fields, so the indexes are SQL here."""

from django.db import migrations

LINK_TABLES = ["projects_project_regions", "projects_project_municipalities"]


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_search_sample_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {table}_sample_idx ON {table} ((mod(project_id, 1000)))",
            f"DROP INDEX {table}_sample_idx",
        )
        for table in LINK_TABLES
    ]
