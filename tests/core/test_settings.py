"""Configuration comes from the environment; production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Hq2mV9pLr4Ks8Wd1Fz6Ny3Bt5Gc0Je-Ua2Ri7Oo9Pe4Sl8Mh1Xk6Qv3Zw5Yd0Cn",
    "ALLOWED_HOSTS": "ordi.example.org",
    "SITE_URL": "https://ordi.example.org",
    "STATIC_MANIFEST": "1",
    "HTTPS": "",
}


def run_manage(*args, env):
    # A test environment's own switches (a browser test's async flag) must not leak into the
    # production check.
    leaked = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k not in leaked}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_in_production_is_refused_with_a_clear_message():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "required whenever DEBUG is off" in result.stderr


def test_debug_mode_runs_without_a_secret_key():
    result = run_manage("check", env={"DEBUG": "1", "SECRET_KEY": ""})
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_postgresql():
    code = (
        "from django.conf import settings; "
        "db = settings.DATABASES['default']; print(db['ENGINE'], db['NAME'])"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/ordi"}
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "ordi"]


def test_default_database_is_the_sqlite_file_in_the_project_folder():
    code = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    result = run_manage("shell", "--no-imports", "-c", code, env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(ROOT / "db.sqlite3")
