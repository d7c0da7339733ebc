"""gunicorn.conf.py: what it does to each worker beyond gunicorn's own settings."""

import gc
import importlib.util

from django.conf import settings


def test_the_loaded_application_is_frozen_before_a_worker_is_forked():
    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", settings.BASE_DIR / "gunicorn.conf.py"
    )
    gunicorn_conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gunicorn_conf)
    frozen_before = gc.get_freeze_count()
    try:
        gunicorn_conf.pre_fork(server=None, worker=None)
        # Django and the portal's modules at least
        assert gc.get_freeze_count() > frozen_before + 10_000
    finally:
        gc.unfreeze()
