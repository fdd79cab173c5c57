"""The production shape (docker-compose.yml, Dockerfile) starts in the right order.

No container engine runs in CI, so ``docker compose config`` cannot validate the file there
(.ci/run runs it when one is present); this checks what the start-up depends on.
"""

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_the_compose_file_names_only_known_top_level_keys_and_service_keys() -> None:
    compose = _compose()
    assert set(compose) <= {"x-app", "services", "volumes"}
    allowed = {"image", "build", "restart", "environment", "depends_on", "command", "ports",
               "volumes", "healthcheck", "pull_policy"}  # fmt: skip
    for name, service in compose["services"].items():
        assert set(service) <= allowed, name
        assert "image" in service, name
        for volume in service.get("volumes", []):
            assert volume.split(":", 1)[0] in compose["volumes"], (name, volume)


def test_web_worker_and_beat_wait_for_the_one_shot_migrate_service() -> None:
    services = _compose()["services"]
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["healthcheck"] == {"disable": True}
    assert "migrate --noinput" in " ".join(services["migrate"]["command"])
    assert "load_reference_data" in " ".join(services["migrate"]["command"])
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["db"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
    assert "migrate" not in " ".join(services["web"]["command"])


def test_the_image_is_built_once_and_reused() -> None:
    services = _compose()["services"]
    assert [name for name, service in services.items() if "build" in service] == ["migrate"]
    image = services["migrate"]["image"]
    assert all(services[name]["image"] == image for name in ("web", "worker", "beat"))
    assert all(services[name]["pull_policy"] == "never" for name in ("web", "worker", "beat"))


def test_every_long_running_service_has_a_healthcheck_and_the_database_one_uses_tcp() -> None:
    services = _compose()["services"]
    for name in ("db", "redis", "web", "worker", "beat"):
        assert services[name]["healthcheck"]["test"], name
    assert "pg_isready -h 127.0.0.1" in " ".join(services["db"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        assert services[name]["healthcheck"]["test"][-2:] == ["healthcheck", name]


def test_the_database_password_travels_apart_from_the_url() -> None:
    environment = _compose()["services"]["web"]["environment"]
    assert "@" in environment["DATABASE_URL"]
    assert ":" not in environment["DATABASE_URL"].split("//", 1)[1].split("@", 1)[0]
    assert environment["DATABASE_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_beat_keeps_its_schedule_on_a_volume_and_logs_are_json() -> None:
    services = _compose()["services"]
    assert services["beat"]["volumes"] == ["beatschedule:/beat"]
    assert "/beat/celerybeat-schedule" in services["beat"]["command"]
    assert all(services[name]["environment"]["LOG_FORMAT"] == "json" for name in ("web", "worker", "beat"))


def test_the_dockerfile_leaves_the_code_to_root_and_checks_health() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY . ." in dockerfile
    assert "--chown" not in dockerfile
    assert "USER mineban" in dockerfile
    assert 'CMD ["python", "manage.py", "healthcheck", "web"]' in dockerfile
