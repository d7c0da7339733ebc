import time

from django.core.management.base import BaseCommand, CommandError

from projects.synthetic import Refused, counts, generate


class Command(BaseCommand):
    help = (
        "Write N synthetic projects (with organisations, places, target groups, outcomes, "
        "decisions and search index) built from the real records' vocabulary, into the "
        "configured database. Synthetic slugs begin with synt- and every synthetic record cites "
        "the source document “synthetic”. See docs/synthetic-data.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, required=True, help="How many projects.")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same records.")
        parser.add_argument(
            "--organisations",
            type=int,
            help="How many organisations (default: one per 20 projects, 200 to 50,000).",
        )
        parser.add_argument(
            "--alongside-real",
            action="store_true",
            help="Add synthetic records next to the projects already in the database.",
        )
        parser.add_argument(
            "--replace-synthetic",
            action="store_true",
            help="Delete the synthetic records of earlier runs first.",
        )
        parser.add_argument("--chunk-size", type=int, default=5000, help="Projects per COPY round.")
        parser.add_argument(
            "--processes",
            type=int,
            help="Processes generating chunks (default: one per core). The records are the same.",
        )

    def handle(
        self,
        *args,
        projects,
        seed,
        organisations,
        alongside_real,
        replace_synthetic,
        chunk_size,
        processes,
        verbosity,
        **options,
    ):
        if projects < 1:
            raise CommandError("--projects must be at least 1.")
        if processes is not None and processes < 1:
            raise CommandError("--processes must be at least 1.")
        say = self.stdout.write if verbosity else (lambda line: None)
        say(f"Generating {projects:,} synthetic projects (seed {seed})…")
        try:
            report = generate(
                projects,
                seed=seed,
                alongside_real=alongside_real,
                replace_synthetic=replace_synthetic,
                chunk_size=chunk_size,
                processes=processes,
                organisations=organisations,
                progress=say,
            )
        except Refused as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - report.started
        for phase, seconds in report.phases.items():
            say(f"  {phase}: {seconds:.1f} s")
        say("Rows written:")
        for table, written in sorted(report.written.items()):
            say(f"  {table}: {written:,}")
        say("Rows now in the tables:")
        for table, found in counts().items():
            say(f"  {table}: {found:,}")
        say(self.style.SUCCESS(f"Done in {elapsed:.1f} s."))
