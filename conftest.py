"""Test-suite wiring shared by every app.

- Reference data (units, agencies, catalogue, offerings) is loaded once per test database, with the
  same management commands `make run` uses.
- DVC_STRICT_SKIPS=1 (set by .ci/run) turns every skipped test into a failure, so CI runs everything;
  locally a test that needs a missing system part (chromium, pango) is skipped with its reason.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that thread
# are safe here (one thread per test), see ARCHITECTURE.md "Known gotchas".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

STRICT_SKIPS = os.environ.get("DVC_STRICT_SKIPS") == "1"
CHROMIUM = os.environ.get("DVC_CHROMIUM", "/usr/bin/chromium")


def load_reference_data():
    """Exactly what `make run` loads (Makefile, target `reference`)."""
    for command in (
        "directory_load_units",
        "directory_generate_agencies",
        "catalog_load",
        "catalog_generate_offerings",
    ):
        call_command(command, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reference_data(transactional_db):
    """For transactional tests (live server): the flush after each one empties the database."""
    from dichvucong.catalog.models import Offering

    if not Offering.objects.exists():
        load_reference_data()


@pytest.fixture(autouse=True)
def _vietnamese():
    """Code called outside a request (validators, services) speaks the default language, Vietnamese."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Private storage in a temporary folder: tests never write to var/."""
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    return root


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached PDFs, sidebar lists) so no test sees another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"Skipped tests are failures in CI (DVC_STRICT_SKIPS=1): {reason}"


@pytest.fixture(scope="session")
def pdf_rendering():
    """WeasyPrint needs pango (libpango-1.0-0, libpangoft2-1.0-0) and fonts-noto-core."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        pytest.skip(f"PDF rendering unavailable ({exc}); apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    if not any(
        Path(d).glob("**/NotoSerif-Regular.ttf") for d in ("/usr/share/fonts", "/usr/local/share/fonts")
    ):
        pytest.skip("Noto fonts for Vietnamese PDFs are missing; apt-get install fonts-noto-core")


@pytest.fixture
def admin_client(client, django_user_model):
    """A superuser signed in on the Django admin, past two-factor authentication (required for staff)."""
    from dichvucong.accounts.tests.officials import sign_in_verified

    user = django_user_model.objects.create_superuser("quantri-test", "qt@example.vn", "Quantri@12345!")
    sign_in_verified(client, user)
    return client


# --- Browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A phone-sized page (360 × 760) with a fresh context; CSP is bypassed only so axe can be injected."""
    context = browser.new_context(
        viewport={"width": 360, "height": 760}, bypass_csp=True, accept_downloads=True, locale="vi-VN"
    )
    context.set_default_timeout(15000)
    yield context.new_page()
    context.close()


@pytest.fixture
def assert_accessible():
    """Run axe-core on the current page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, label: str):
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        details = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in bad
        ]
        assert not bad, f"axe-core violations on {label}:\n" + "\n".join(details)

    return check
