"""Settings of the lookup benchmark's gunicorn: the project's own, plus the bench-only URL of the bare
baseline view (bench/bare_urls.py). Selected with DJANGO_SETTINGS_MODULE=bench.settings by
bench/lookup.py only; the project never imports anything from bench/."""

from dichvucong.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
