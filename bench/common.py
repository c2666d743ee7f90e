"""What the benchmarks share: a fresh bench database, production settings, reference data, percentiles.

Each benchmark builds its own database from nothing: a SQLite file under bench/results/var/ by default;
with DATABASE_URL set, a separate PostgreSQL database named <name>_bench on the same server (created
here, dropped by `drop_bench_database`). Nothing here is imported by the project.
"""

import contextlib
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
VAR = RESULTS / "var"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The environment of a production process (DEBUG off, a secret key, HTTPS redirect off because the
# benchmarks speak plain HTTP on the loopback).
PRODUCTION_ENV = {
    "DVC_TESTING": "0",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-" + "x" * 50,
    "SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "WARNING",
}


def postgres_admin(database_url: str, *statements: str) -> str:
    """Run statements on the server's `postgres` database; {bench} is the quoted bench database name."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(database_url)
    bench_name = f"{config['NAME']}_bench"
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        for statement in statements:
            admin.execute(statement.format(bench=f'"{bench_name}"'))
    return bench_name


def fresh_database(database_url: str | None) -> str | None:
    """An empty bench database; returns its DATABASE_URL (None: the SQLite file under VAR)."""
    VAR.mkdir(parents=True, exist_ok=True)
    if database_url:
        bench_name = postgres_admin(
            database_url, "DROP DATABASE IF EXISTS {bench} WITH (FORCE)", "CREATE DATABASE {bench}"
        )
        return database_url.rsplit("/", 1)[0] + "/" + bench_name
    for suffix in ("", "-wal", "-shm"):
        (VAR / f"dichvucong.sqlite3{suffix}").unlink(missing_ok=True)
    return None


def drop_bench_database(database_url: str | None) -> None:
    """Drop the PostgreSQL bench database (kept with BENCH_KEEP=1); the SQLite file stays for a look."""
    if database_url and not os.environ.get("BENCH_KEEP"):
        postgres_admin(database_url, "DROP DATABASE IF EXISTS {bench} WITH (FORCE)")


def production_env(bench_url: str | None, **extra: str) -> dict[str, str]:
    """os.environ for a process of the portal on the bench database, with production settings."""
    env = dict(os.environ, **PRODUCTION_ENV, VAR_DIR=str(VAR), **extra)
    if bench_url:
        env["DATABASE_URL"] = bench_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def setup_django(database_url: str | None, **extra_env: str) -> str | None:
    """A fresh bench database, then Django set up in this process against it with production settings.
    Returns the bench database's URL (None on SQLite)."""
    bench_url = fresh_database(database_url)
    env = production_env(bench_url, **extra_env)
    env["DJANGO_SETTINGS_MODULE"] = extra_env.get("DJANGO_SETTINGS_MODULE", "dichvucong.settings")
    os.environ.update(env)
    if not bench_url:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    return bench_url


def load_reference(*, catalogue_offerings: bool = True) -> None:
    """Migrate, collect static files (production manifest) and load the reference data."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("directory_load_units", verbosity=0)
    call_command("directory_generate_agencies", verbosity=0)
    call_command("catalog_load", verbosity=0)
    if catalogue_offerings:
        call_command("catalog_generate_offerings", verbosity=0)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def clear_media() -> None:
    """Remove the files an earlier run stored under the bench VAR_DIR."""
    shutil.rmtree(VAR / "media", ignore_errors=True)


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank on the sorted samples (the same rule as bench/search.py has always used)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def machine() -> dict:
    """What the figures were measured on."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    info = {
        "cpu": cpu or platform.processor(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["postgresql"] = cursor.fetchone()[0]
    with contextlib.suppress(OSError):
        info["wrk"] = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return info
