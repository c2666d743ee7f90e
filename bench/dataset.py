"""Generated citizens and submitted dossiers for the lookup and submission benchmarks.

`dataset_generate()` writes, after the reference data (units, agencies, catalogue, offerings):
- BENCH_CITIZENS citizens (default 50,000) with valid personal IDs (province, century and gender
  digits, year of birth), unique mobile numbers in E.164, and unusable passwords ("!" prefix, what
  `set_unusable_password` stores: no hashing);
- BENCH_DOSSIERS submitted dossiers (default 1,000,000) over the online offerings and the last 365
  days (mostly office hours), in submission order, with codes in the real format
  (`dossier_code_format`: receiving agency, local day, daily sequence), a state mix that depends on
  their age, the matching timestamps, and one or two DossierEvent rows each (the submission, and the
  transition into the current state) — the timeline the public lookup reads;
- the DossierCodeSequence row of every agency and day, as submissions would have left them.

Rows go in with the database's bulk path, not the ORM: executemany on SQLite, COPY on PostgreSQL,
with the secondary indexes and constraints of the two big tables dropped during the load and
recreated from their own definitions afterwards (the schema ends up exactly as migrated; foreign keys
are validated when they are recreated on PostgreSQL, by `PRAGMA foreign_key_check` on SQLite). Then
ANALYZE (VACUUM ANALYZE on PostgreSQL, so the first reads do not set hint bits), a checkpoint and a
sync, so that the load's dirty pages are not written out during the measurements.
"""

import datetime as dt
import json
import os
import random
import time
import uuid
from contextlib import contextmanager

CITIZENS = int(os.environ.get("BENCH_CITIZENS", "50000"))
DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "1000000"))
DAYS = 365
CHUNK = 50_000
SEED = 20261201
LOCAL_OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh, no daylight saving time

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Đức", "Hữu", "Quốc", "Thu", "Hoài", "Gia", "Bảo"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khánh", "Lan", "Linh"]
GIVEN += ["Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn"]
# Mobile prefixes (after +84) that libphonenumber accepts as Vietnamese mobile numbers.
PHONE_PREFIXES = ["32", "33", "34", "35", "36", "37", "38", "39", "70", "76", "77", "78", "79"]
PHONE_PREFIXES += ["81", "82", "83", "84", "85", "86", "88", "90", "91", "93", "94", "96", "97", "98"]

# The states of dossiers by age, and the transition that led into each (bench-only approximations of
# the back office's paths; see dossiers/tests/factories.py).
RECENT_STATES = {
    "submitted": 10,
    "received": 15,
    "in_progress": 33,
    "supplement_requested": 8,
    "awaiting_payment": 5,
    "awaiting_approval": 10,
    "result_ready": 8,
    "returned": 7,
    "refused": 2,
    "withdrawn": 2,
}
OLD_STATES = {
    "returned": 80,
    "result_ready": 5,
    "in_progress": 3,
    "refused": 4,
    "stopped": 3,
    "withdrawn": 5,
}
INTO = {  # state: (action, from_state, actor_role)
    "received": ("receive", "submitted", "receptionist"),
    "in_progress": ("forward", "received", "receptionist"),
    "supplement_requested": ("request_supplement", "in_progress", "specialist"),
    "awaiting_payment": ("request_payment", "in_progress", "specialist"),
    "awaiting_approval": ("submit_for_approval", "in_progress", "specialist"),
    "result_ready": ("approve", "awaiting_approval", "approver"),
    "returned": ("return_result", "result_ready", "receptionist"),
    "refused": ("refuse", "submitted", "receptionist"),
    "stopped": ("stop", "in_progress", "specialist"),
    "withdrawn": ("withdraw", "received", "applicant"),
}
FINISHED = {"result_ready", "returned", "refused", "stopped"}
# Where the dossier sits in the back office (processing: the desk of `handling_agency`): the receiving
# centre before processing and for the return, the competent agency while it is processed.
AT_RECEPTION = {"received", "result_ready", "returned"}
AT_COMPETENT = {"in_progress", "supplement_requested", "awaiting_payment", "awaiting_approval", "stopped"}
# The open dossiers of the busy agency of the inbox benchmark (bench/inbox.py), by state.
HOT_STATES = {
    "received": 10,
    "in_progress": 50,
    "supplement_requested": 10,
    "awaiting_payment": 5,
    "awaiting_approval": 15,
    "result_ready": 10,
}

# Every column of Dossier, each given by dossier_rows (checked against the model: a new column must be
# given a value here, not left to chance).
DOSSIER_COLUMNS = [
    "id",
    "public_id",
    "code",
    "applicant_id",
    "organization_id",
    "procedure_id",
    "version_id",
    "offering_id",
    "competent_agency_id",
    "reception_agency_id",
    "channel",
    "service_level",
    "state",
    "state_before_supplement",
    "lock_version",
    "form_data",
    "delivery",
    "delivery_address",
    "declaration_accepted_at",
    "created_at",
    "updated_at",
    "submitted_at",
    "received_at",
    "due_date",
    "finished_at",
    "returned_at",
    "withdrawn_at",
    "draft_warned_at",
    "handling_agency_id",
    "assigned_to_id",
    "clock_paused_at",
    "counted_late",
    "outcome",
    "amount_due",
    "paid_at",
    "stopped_at",
]
EVENT_COLUMNS = [
    "id",
    "dossier_id",
    "action",
    "from_state",
    "to_state",
    "actor_id",
    "actor_role",
    "note",
    "detail",
    "created_at",
]
SEQUENCE_COLUMNS = ["agency_identifier", "day", "last_number"]


def personal_id(rng: random.Random, provinces: list[str], taken: set[str]) -> tuple[str, dt.date, str]:
    """A structurally valid personal ID (province of birth, century and gender, year) and its owner's
    birth date and gender."""
    while True:
        year = rng.randint(1950, 2007)
        gender = rng.choice(("male", "female"))
        century = (0 if year < 2000 else 2) + (1 if gender == "female" else 0)
        number = f"{rng.choice(provinces)}{century}{year % 100:02d}{rng.randrange(1_000_000):06d}"
        if number not in taken:
            taken.add(number)
            return number, dt.date(year, rng.randint(1, 12), rng.randint(1, 28)), gender


def citizens_generate(count: int, rng: random.Random) -> list[tuple[int, str, str]]:
    """`count` citizens; returns (id, personal_id, phone) of each."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.utils import timezone

    from dichvucong.accounts.models import AssuranceLevel, User
    from dichvucong.core.identifiers import BIRTH_PROVINCE_CODES, personal_id_clean, phone_clean
    from dichvucong.directory.models import AdministrativeUnit

    provinces = sorted(BIRTH_PROVINCE_CODES)
    communes = list(
        AdministrativeUnit.objects.filter(parent__isnull=False).values_list("pk", "parent_id")[:2000]
    )
    taken_ids: set[str] = set()
    taken_phones: set[str] = set()
    now = timezone.now()
    users = []
    for i in range(count):
        number, birth_date, gender = personal_id(rng, provinces, taken_ids)
        while True:
            phone = f"+84{rng.choice(PHONE_PREFIXES)}{rng.randrange(10_000_000):07d}"
            if phone not in taken_phones:
                taken_phones.add(phone)
                break
        if i < 50:  # the generator's rules are the project's rules
            assert personal_id_clean(number, birth_date=birth_date, gender=gender) == number
            assert phone_clean(phone) == phone
        commune_id, province_id = rng.choice(communes) if communes else (None, None)
        users.append(
            User(
                username=number,
                password=f"{UNUSABLE_PASSWORD_PREFIX}{rng.getrandbits(160):040x}",
                full_name=f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                personal_id=number,
                birth_date=birth_date,
                gender=gender,
                phone=phone,
                phone_verified_at=now,
                email=f"cd{i}@example.vn" if i % 3 == 0 else "",
                address_province_id=province_id,
                address_commune_id=commune_id,
                address_street=f"Số {rng.randint(1, 300)}, thôn {rng.randint(1, 12)}",
                assurance_level=AssuranceLevel.LEVEL_2,
                date_joined=now,
            )
        )
    User.objects.bulk_create(users, batch_size=5000)
    return list(
        User.objects.filter(personal_id__in=taken_ids)
        .order_by("pk")
        .values_list("pk", "personal_id", "phone")
    )


def _weighted(rng: random.Random, table: dict[str, int]):
    states, weights = list(table), list(table.values())
    cumulative = [sum(weights[: i + 1]) for i in range(len(weights))]
    return lambda: rng.choices(states, cum_weights=cumulative)[0]


def _stamp_formatter(vendor: str):
    """Datetimes as the database's text input: naive UTC on SQLite (Django's storage), +00 on PostgreSQL."""
    suffix = "+00" if vendor == "postgresql" else ""
    epoch = dt.datetime(1970, 1, 1)

    def stamp(seconds: float | None) -> str | None:
        if seconds is None:
            return None
        return (epoch + dt.timedelta(seconds=seconds)).isoformat(" ") + suffix

    return stamp


def dossier_rows(
    count: int,
    rng: random.Random,
    citizens: list[tuple[int, str, str]],
    vendor: str,
    *,
    hot_agency_code: str | None = None,
    hot_open: int = 0,
) -> tuple[list[tuple], list[tuple], dict, list[tuple[str, int]]]:
    """(dossier rows, event rows, {(identifier, day): last number}, [(code, applicant index)]).

    With `hot_agency_code`, `hot_open` of the dossiers are open ones of that agency's offerings (it is
    their competent agency; they sit on its desk or on its receiving centre's), due any day from two
    months ago to two months ahead: the inbox benchmark's busy agency."""
    from django.utils import timezone

    from dichvucong.catalog.models import Offering
    from dichvucong.dossiers.codes import dossier_code_format

    offerings = list(
        Offering.objects.filter(online=True, is_active=True, procedure__current_version__isnull=False)
        .order_by("pk")
        .values_list(
            "pk",
            "procedure_id",
            "procedure__current_version_id",
            "agency_id",
            "reception_agency_id",
            "reception_agency__identifier",
            "service_level",
        )
    )
    hot_offerings, hot = [], set()
    if hot_agency_code:
        hot_offerings = [o for o in offerings if o[3] == _agency_id(hot_agency_code)]
        assert hot_offerings, f"no online offering of {hot_agency_code}"
        hot = set(rng.sample(range(1, count + 1), hot_open))
    hot_state = _weighted(rng, HOT_STATES)
    now = timezone.now().timestamp()
    today_local = int((now + LOCAL_OFFSET) // 86400)
    first_day = today_local - DAYS  # up to yesterday: today belongs to the submission benchmark
    day_dates = {d: dt.date(1970, 1, 1) + dt.timedelta(days=d) for d in range(first_day, today_local)}
    # Submission instants, in order: 85 % within office hours (07:30–17:00 local), the rest any time.
    instants = []
    for _ in range(count):
        day = rng.randrange(first_day, today_local)
        if rng.random() < 0.85:
            local = day * 86400 + 27000 + rng.random() * 34200
        else:
            local = day * 86400 + rng.random() * 86400
        instants.append(local - LOCAL_OFFSET)
    instants.sort()

    stamp = _stamp_formatter(vendor)
    recent_state, old_state = _weighted(rng, RECENT_STATES), _weighted(rng, OLD_STATES)
    sequences: dict[tuple[str, int], int] = {}
    dossiers, events, codes = [], [], []
    event_id = 0
    submit_detail = json.dumps({"channel": 2})
    for index, submitted in enumerate(instants, start=1):
        is_hot = index in hot
        offering = rng.choice(hot_offerings if is_hot else offerings)
        offering_id, procedure_id, version_id, agency_id, reception_id, identifier, service_level = offering
        day = int((submitted + LOCAL_OFFSET) // 86400)
        key = (identifier, day)
        number = sequences.get(key, 0) + 1
        sequences[key] = number
        code = dossier_code_format(agency_identifier=identifier, day=day_dates[day], number=number)
        applicant = rng.randrange(len(citizens))
        applicant_id, applicant_pid, applicant_phone = citizens[applicant]
        age_days = (now - submitted) / 86400
        state = hot_state() if is_hot else old_state() if age_days > 45 else recent_state()
        created = submitted - rng.uniform(120, 3600)
        received = due = finished = returned = withdrawn = None
        last = submitted
        if state not in ("submitted", "refused"):
            received = min(now, submitted + rng.uniform(1800, 2 * 86400))
            due = received + rng.randint(5, 20) * 86400
            if is_hot:  # spread over −60 … +60 days from now: overdue, due soon and later ones
                due = now + rng.uniform(-60, 60) * 86400
            last = received
            if state != "received":
                last = min(now, received + rng.random() * min(30 * 86400, max(0.0, now - received)))
        elif state == "refused":
            last = min(now, submitted + rng.uniform(1800, 86400))
        if state in FINISHED:
            finished = last
        if state == "returned":
            returned = last
        if state == "withdrawn":
            withdrawn = last
        delivery = rng.choices(("online", "desk", "post"), weights=(50, 35, 15))[0]
        form = {
            "requester_full_name": "Người nộp",
            "requester_id_number": applicant_pid,
            "requester_phone": "0" + applicant_phone[3:],
        }
        event_id += 1
        events.append(
            (
                event_id,
                index,
                "submit",
                "draft",
                "submitted",
                applicant_id,
                "applicant",
                "",
                submit_detail,
                stamp(submitted),
            )
        )
        if state != "submitted":
            action, from_state, role = INTO[state]
            event_id += 1
            events.append(
                (
                    event_id,
                    index,
                    action,
                    from_state,
                    state,
                    applicant_id if role == "applicant" else None,
                    role,
                    "",
                    "{}",
                    stamp(last),
                )
            )
        dossiers.append(
            (
                index,
                uuid.UUID(int=rng.getrandbits(128), version=4).hex,
                code,
                applicant_id,
                None,
                procedure_id,
                version_id,
                offering_id,
                agency_id,
                reception_id,
                2,
                service_level,
                state,
                "in_progress" if state == "supplement_requested" else "",
                1 if state == "submitted" else 2,
                json.dumps(form, ensure_ascii=False),
                delivery,
                json.dumps({"street": "Số 1"} if delivery == "post" else {}),
                stamp(submitted),
                stamp(created),
                stamp(last),
                stamp(submitted),
                stamp(received),
                stamp(due),
                stamp(finished),
                stamp(returned),
                stamp(withdrawn),
                None,
                reception_id if state in AT_RECEPTION else agency_id if state in AT_COMPETENT else None,
                None,
                stamp(last) if state == "supplement_requested" else None,
                False,
                "granted" if state in ("result_ready", "returned") else "",
                None,
                None,
                stamp(last) if state == "stopped" else None,
            )
        )
        codes.append((code, applicant))
    return dossiers, events, {(i, day_dates[d]): n for (i, d), n in sequences.items()}, codes


def _agency_id(code: str) -> int:
    from dichvucong.directory.models import Agency

    return Agency.objects.only("pk").get(code=code).pk


@contextmanager
def secondary_indexes_dropped(tables: list[str]):
    """Drop the tables' secondary indexes (and, on PostgreSQL, their constraints other than the
    primary key) and recreate them from their own stored definitions afterwards."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            constraints, indexes = [], []
            for table in tables:
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype <> 'p' ORDER BY contype DESC, conname",
                    [table],
                )
                constraints += [(table, name, definition) for name, definition in cursor.fetchall()]
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                    "AND tablename = %s AND indexname NOT IN "
                    "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                    [table, table],
                )
                indexes += cursor.fetchall()
            for table, name, _definition in constraints:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            yield
            for _name, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in constraints:  # unique, then foreign keys, then checks
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        else:
            placeholders = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({placeholders})",
                tables,
            )
            indexes = cursor.fetchall()
            for name, _sql in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            yield
            for _name, sql in indexes:
                cursor.execute(sql)


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    from django.db import connection

    column_list = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            values = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({column_list}) VALUES ({values})', rows)


def dataset_generate(
    *,
    citizens: int = CITIZENS,
    dossiers: int = DOSSIERS,
    hot_agency_code: str | None = None,
    hot_open: int = 0,
) -> dict:
    """Citizens, dossiers, events and code sequences (after `common.load_reference()`); returns the
    counts, the timings and the material the benchmarks need (citizens, codes)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from dichvucong.dossiers.models import Dossier, DossierCodeSequence, DossierEvent

    # The insert names its columns, so only the set matters: every column of the model gets a value.
    assert {f.column for f in Dossier._meta.concrete_fields} == set(DOSSIER_COLUMNS), "Dossier changed"
    assert [f.column for f in DossierEvent._meta.concrete_fields] == EVENT_COLUMNS, "DossierEvent changed"
    rng = random.Random(SEED)
    timings = {}
    start = time.perf_counter()
    people = citizens_generate(citizens, rng)
    timings["citizens_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    dossier_data, event_data, sequences, codes = dossier_rows(
        dossiers, rng, people, connection.vendor, hot_agency_code=hot_agency_code, hot_open=hot_open
    )
    timings["rows_built_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    tables = [Dossier._meta.db_table, DossierEvent._meta.db_table]
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            # Checked below with foreign_key_check; the load itself needs no journal safety.
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -2000000")
    with transaction.atomic():
        if not sqlite:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        with secondary_indexes_dropped(tables):
            for offset in range(0, len(dossier_data), CHUNK):
                _insert(tables[0], DOSSIER_COLUMNS, dossier_data[offset : offset + CHUNK])
            for offset in range(0, len(event_data), CHUNK):
                _insert(tables[1], EVENT_COLUMNS, event_data[offset : offset + CHUNK])
            timings["copied_s"] = round(time.perf_counter() - start, 1)
        _insert(
            DossierCodeSequence._meta.db_table,
            SEQUENCE_COLUMNS,
            [(identifier, day.isoformat(), number) for (identifier, day), number in sequences.items()],
        )
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Dossier, DossierEvent]):
                cursor.execute(statement)
    if sqlite:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'PRAGMA foreign_key_check("{table}")')  # what the load skipped
                problems = cursor.fetchall()
                assert not problems, problems[:5]
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
    timings["loaded_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if sqlite else "VACUUM ANALYZE")
    timings["analyze_s"] = round(time.perf_counter() - start, 1)

    # The load leaves gigabytes of dirty pages (PostgreSQL's buffers, the kernel's page cache) that would
    # be written out during the measurements, delaying every fsync of the submissions: flush them now,
    # as a database that has been running for a while would have.
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)" if sqlite else "CHECKPOINT")
    os.sync()
    timings["flushed_s"] = round(time.perf_counter() - start, 1)
    return {
        "citizens": len(people),
        "dossiers": len(dossier_data),
        "events": len(event_data),
        "code_sequences": len(sequences),
        "timings": timings,
        "people": people,
        "codes": codes,
    }
