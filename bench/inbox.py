"""Benchmark: the back-office inbox and the deadline scan with 1,000,000 dossiers (`make bench`, issue 5).

Builds a fresh database (bench/common.py) with the reference data and BENCH_DOSSIERS generated
dossiers (bench/dataset.py, default 1,000,000) spread over every online offering — about 3,400
receiving centres and their competent agencies — of which BENCH_HOT_OPEN (default 100,000) are open
dossiers of one busy agency, the People's Committee of Xã Thượng Hồng (10993.ubnd), due from two
months ago to two months ahead, on its desk or on its centre's (10993.ttpvhcc).

Then, in this process with production settings (DEBUG off, cached templates, full middleware; the
Django test client, as bench/search.py), a specialist of the busy agency, signed in with a verified
second factor and that agency active, opens the inbox: every bucket tab, pages 1, 2 and 50 of the
whole desk, and a search by dossier code — BENCH_ROUNDS rounds each. The **baseline** is the raw SQL
of the same first page (the desk's dossiers by due date, 20 rows, with the joined names), on the same
connection. Then the deadline scan: the selection of due rows over the whole database (timed, with its
query plan from `processing_scan_deadlines --explain`) and the alerting, one transaction per dossier,
timed on BENCH_ALERT_SAMPLE (2,000) overdue dossiers, the first and the second time of the day.

The goal (issue 5): inbox p95 ≤ 100 ms on SQLite and PostgreSQL; the scan touches only due rows.
Writes bench/results/inbox-<vendor>.json.
"""

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (bench/common.py)
import dataset  # noqa: E402  (bench/dataset.py)
from common import RESULTS, percentile  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
HOT_OPEN = int(os.environ.get("BENCH_HOT_OPEN", "100000"))
HOT_AGENCY = "10993.ubnd"
ALERT_SAMPLE = int(os.environ.get("BENCH_ALERT_SAMPLE", "2000"))
PAGE_SIZE = 20


def specialist_client(agency):
    """A test client signed in as a specialist of `agency`, second factor verified, agency active."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dichvucong.accounts.models import StaffMembership, StaffRole, User
    from dichvucong.accounts.selectors import ACTIVE_AGENCY_SESSION_KEY

    user = User.objects.create_user("bench.chuyenvien", password=None, full_name="Chuyên Viên Đo")
    StaffMembership.objects.create(user=user, agency=agency, role=StaffRole.SPECIALIST)
    device = TOTPDevice.objects.create(user=user, name="totp", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session[ACTIVE_AGENCY_SESSION_KEY] = agency.pk
    session["is_official"] = True
    session.save()
    return client, user


def raw_first_page(agency_id: int, desk_states: list[str]):
    """The first page of the desk as one hand-written query: what the database must do at least."""
    from django.db import connection

    states = ", ".join(f"'{s}'" for s in sorted(desk_states))
    sql = (
        "SELECT d.id, d.code, d.state, d.due_date, d.submitted_at, u.full_name, v.name "
        "FROM dossiers_dossier d JOIN accounts_user u ON u.id = d.applicant_id "
        "JOIN catalog_procedureversion v ON v.id = d.version_id "
        f"WHERE d.handling_agency_id = %s AND d.state IN ({states}) "
        f"ORDER BY d.due_date, d.id LIMIT {PAGE_SIZE}"
    )

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, [agency_id])
            return cursor.fetchall()

    return run


def timed(fn, rounds: int) -> list[float]:
    fn()  # warm: templates, plans, caches
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "max_ms": round(max(samples), 1),
    }


def main():
    database_url = os.environ.get("DATABASE_URL") or None
    common.setup_django(database_url, ALLOWED_HOSTS="testserver,127.0.0.1")
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from dichvucong.directory.models import Agency
    from dichvucong.dossiers.models import Dossier
    from dichvucong.dossiers.workflow import DESK_STATES
    from dichvucong.processing.selectors import Bucket

    common.load_reference()
    start = time.perf_counter()
    data = dataset.dataset_generate(hot_agency_code=HOT_AGENCY, hot_open=HOT_OPEN)
    generation_s = time.perf_counter() - start
    vendor = connection.vendor
    agency = Agency.objects.get(code=HOT_AGENCY)
    on_desk = Dossier.objects.filter(handling_agency=agency, state__in=DESK_STATES).count()
    agencies = Dossier.objects.values("reception_agency").distinct().count()
    print(
        f"{vendor}: {data['dossiers']:,} dossiers over {agencies:,} receiving agencies "
        f"in {generation_s:.0f} s; {on_desk:,} on the desk of {agency.name}",
        flush=True,
    )

    client, _user = specialist_client(agency)
    inbox = reverse("processing:inbox")
    some_code = Dossier.objects.filter(handling_agency=agency).values_list("code", flat=True).first()

    def page(params):
        def run():
            response = client.get(inbox, params)
            assert response.status_code == 200, (params, response.status_code)
            return response

        return run

    from dichvucong.processing.views import inbox as inbox_views

    bucket_param = getattr(inbox_views, "BUCKET_PARAM", "loc")
    bucket_values = getattr(inbox_views, "BUCKET_SLUGS", {b: b for b in Bucket.ALL_BUCKETS})
    cases = {f"tab {bucket}": {bucket_param: bucket_values[bucket]} for bucket in Bucket.ALL_BUCKETS}
    cases["all, page 2"] = {bucket_param: bucket_values[Bucket.ALL], "page": 2}
    cases["all, page 50"] = {bucket_param: bucket_values[Bucket.ALL], "page": 50}
    cases["search by code"] = {"q": some_code}
    results, everything = {}, []
    for name, params in cases.items():
        samples = timed(page(params), ROUNDS)
        everything += samples
        results[name] = summary(samples)
        print(f"  {name}: p50 {results[name]['p50_ms']} ms, p95 {results[name]['p95_ms']} ms", flush=True)
    raw = summary(timed(raw_first_page(agency.pk, list(DESK_STATES)), ROUNDS * len(cases)))
    overall = summary(everything)
    print(
        f"  inbox overall: p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms; "
        f"raw SQL p50 {raw['p50_ms']} ms"
    )

    # The deadline scan in two parts: selecting the due rows over the whole database (what must not
    # scan every dossier), then alerting — one transaction per dossier — timed on a sample; a first
    # full run alerts every due dossier once, later runs of the day skip them.
    from django.utils import timezone

    from dichvucong.processing.services import deadline_alerts as alerts

    now = timezone.now()
    start = time.perf_counter()
    due_soon, overdue = alerts.deadline_querysets(now)
    due_soon_ids = list(due_soon.values_list("pk", flat=True))
    overdue_ids = list(overdue.values_list("pk", flat=True))
    select_s = time.perf_counter() - start
    sample = overdue_ids[:ALERT_SAMPLE]
    start = time.perf_counter()
    for dossier_id in sample:
        alerts._alert(dossier_id, alerts.OVERDUE, now=now, days_left=None)
    alert_s = time.perf_counter() - start
    per_alert_ms = alert_s / max(1, len(sample)) * 1000
    start = time.perf_counter()
    for dossier_id in sample:  # the same day again: already alerted, nothing sent
        alerts._alert(dossier_id, alerts.OVERDUE, now=now, days_left=None)
    repeat_ms = (time.perf_counter() - start) / max(1, len(sample)) * 1000
    plan = io.StringIO()
    call_command("processing_scan_deadlines", "--explain", stdout=plan)
    due_rows = len(due_soon_ids) + len(overdue_ids)
    print(
        f"  deadline scan: selected {len(due_soon_ids):,} due soon + {len(overdue_ids):,} overdue of "
        f"{data['dossiers']:,} in {select_s:.2f} s; alerting {per_alert_ms:.1f} ms per dossier "
        f"({len(sample):,} sampled; already alerted today: {repeat_ms:.1f} ms)",
        flush=True,
    )
    print(plan.getvalue(), flush=True)

    result = {
        "vendor": vendor,
        "machine": common.machine(),
        "dossiers": data["dossiers"],
        "receiving_agencies": agencies,
        "busy_agency": HOT_AGENCY,
        "busy_agency_desk": on_desk,
        "generation_s": round(generation_s, 1),
        "rounds": ROUNDS,
        "pages": results,
        "inbox_overall": overall,
        "raw_first_page": raw,
        "ratio_p50": round(overall["p50_ms"] / raw["p50_ms"], 1) if raw["p50_ms"] else None,
        "goal_p95_le_100ms": overall["p95_ms"] <= 100,
        "scan_select_s": round(select_s, 2),
        "scan_due_rows": {"due_soon": len(due_soon_ids), "overdue": len(overdue_ids)},
        "scan_alert_ms_per_dossier": round(per_alert_ms, 2),
        "scan_alert_sample": len(sample),
        "scan_repeat_ms_per_dossier": round(repeat_ms, 2),
        "scan_first_run_estimate_s": round(select_s + due_rows * per_alert_ms / 1000, 1),
        "scan_plan": plan.getvalue(),
    }
    (RESULTS / f"inbox-{vendor}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(
        f"| {vendor} | {data['dossiers']:,} | {on_desk:,} | {overall['p50_ms']} | {overall['p95_ms']} | "
        f"{max(r['p95_ms'] for r in results.values())} | {raw['p50_ms']} | {select_s:.2f} s | "
        f"{per_alert_ms:.1f} ms | "
        f"{'met' if result['goal_p95_le_100ms'] else 'NOT met'} |"
    )
    connection.close()
    common.drop_bench_database(database_url)


if __name__ == "__main__":
    main()
