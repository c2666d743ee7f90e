"""Production settings (DEBUG off) are secure by default: checked in a separate process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update({"DVC_TESTING": "0", "DJANGO_SETTINGS_MODULE": "dichvucong.settings"}, **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k7#Qz2!vR9@pL4$wX8^mN1&bT6*eY3(uJ5)hG0-sD2_fA7+cV9=iO4",
        ALLOWED_HOSTS="dichvucong.example.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="dichvucong.example.vn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_default_database_is_sqlite_under_var_in_wal_mode_with_immediate_transactions(tmp_path):
    script = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['NAME']); "
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = _manage("shell", "-c", script, DEBUG="true", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    journal, name, mode = result.stdout.split()[-3:]
    assert (journal, name, mode) == ("wal", str(tmp_path / "dichvucong.sqlite3"), "IMMEDIATE")
