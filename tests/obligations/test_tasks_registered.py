"""The web process knows the recompute task by name without a worker having imported it
(issue 10's fuzzing found every write answered 500 after commit without a broker)."""

import os
import subprocess
import sys

from django.conf import settings


def test_a_fresh_django_process_has_the_recompute_task_registered() -> None:
    code = (
        "import django; django.setup(); from mineban.celery import app; "
        "print('obligations.tasks.recompute_state' in app.tasks)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mineban.settings", "DEBUG": "1"}
    found = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert found.stdout.strip().splitlines()[-1] == "True", found.stderr
