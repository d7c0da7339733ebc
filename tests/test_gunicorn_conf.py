"""gunicorn.conf.py: what it does to each worker beyond gunicorn's own settings."""

import gc
import importlib.util
import subprocess
import sys

from django.conf import settings

CONF = settings.BASE_DIR / "gunicorn.conf.py"


def test_the_loaded_application_is_frozen_before_a_worker_is_forked():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    gunicorn_conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gunicorn_conf)
    frozen_before = gc.get_freeze_count()
    try:
        gunicorn_conf.pre_fork(server=None, worker=None)
        # Django and the portal's modules at least
        assert gc.get_freeze_count() > frozen_before + 10_000
    finally:
        gc.unfreeze()


def test_the_master_loads_the_urlconf_and_templates_before_forking_a_worker():
    # In a process of its own, as this one has long imported the URLconf and every view.
    script = f"""
import importlib.util, sys
import django
django.setup()
from django.db import connection
from django.template import engines
spec = importlib.util.spec_from_file_location("gunicorn_conf", {str(CONF)!r})
gunicorn_conf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gunicorn_conf)
loader = engines["django"].engine.template_loaders[0]
before = "esfportal.urls" in sys.modules, len(loader.get_template_cache)
gunicorn_conf.when_ready(server=None)
after = "esfportal.urls" in sys.modules, "drf_spectacular.views" in sys.modules
cached = "projects/project_detail.html" in loader.get_template_cache
# no connection that the forked workers would share
print(before, after, cached, connection.connection is None)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.stdout.split("\n")[0] == "(False, 0) (True, True) True True", result.stderr
