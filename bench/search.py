"""Benchmark: catalogue search over 10,000 generated procedures (`make bench`).

Measures, in-process (Django test client, full middleware and template rendering), the latency of
`GET /thu-tuc/?q=…` for a mix of queries, and the latency of the raw SQL that finds the same candidates
on the same data (the database's own full-text lookup, count and first page). Prints p50/p95 and the
ratio, and writes bench/results/search-<vendor>.json. The goal (issue 2): endpoint p95 ≤ 30 ms.

Database: a fresh SQLite file under bench/results/ by default; with DATABASE_URL set, a separate
PostgreSQL database named <name>_bench on the same server (created and dropped here).
"""

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

PROCEDURES = int(os.environ.get("BENCH_PROCEDURES", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
QUERIES = [
    "dang ky khai sinh",
    "Đăng ký kết hôn",
    "giay phep xay dung",
    "cấp lại",
    "1.001193",
    "1.0012",
    "bao hiem xa hoi",
    "dat dai",
    "chung thuc ban sao tu ban chinh",
    "thu tuc cap giay chung nhan quyen su dung dat lan dau cho ho gia dinh ca nhan",
    "d",
    "zzzz không có",
]
VERBS = [
    "Đăng ký",
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Điều chỉnh",
    "Gia hạn",
    "Thu hồi",
    "Xác nhận",
    "Đính chính",
    "Chuyển đổi",
    "Công nhận",
    "Thẩm định",
    "Phê duyệt",
    "Hủy bỏ",
    "Giải quyết",
]
OBJECTS = [
    "giấy phép xây dựng",
    "giấy khai sinh",
    "giấy chứng nhận quyền sử dụng đất",
    "giấy phép kinh doanh",
    "chứng chỉ hành nghề",
    "thẻ bảo hiểm y tế",
    "sổ bảo hiểm xã hội",
    "giấy phép lái xe",
    "hộ khẩu thường trú",
    "giấy phép môi trường",
    "trợ cấp xã hội",
    "giấy xác nhận tình trạng hôn nhân",
    "giấy phép khai thác khoáng sản",
    "giấy chứng nhận đủ điều kiện an toàn thực phẩm",
    "văn bằng chứng chỉ",
    "giấy phép lao động",
    "hợp đồng chuyển nhượng",
    "quyết định hưởng chế độ",
]
QUALIFIERS = [
    "",
    "",
    "cho tổ chức",
    "cho cá nhân",
    "có yếu tố nước ngoài",
    "tại cấp tỉnh",
    "tại cấp xã",
    "đối với doanh nghiệp nhỏ và vừa",
    "lần đầu",
    "trong trường hợp bị mất, hỏng",
]


def _postgres_admin(database_url: str, *statements: str) -> str:
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


def setup_django(database_url: str | None):
    os.environ["DJANGO_SETTINGS_MODULE"] = "dichvucong.settings"
    os.environ.update(
        {
            "DVC_TESTING": "0",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ["VAR_DIR"] = str(RESULTS / "var")
    if database_url:
        bench_name = _postgres_admin(
            database_url, "DROP DATABASE IF EXISTS {bench}", "CREATE DATABASE {bench}"
        )
        os.environ["DATABASE_URL"] = database_url.rsplit("/", 1)[0] + "/" + bench_name
    else:
        os.environ.pop("DATABASE_URL", None)
        for suffix in ("", "-wal", "-shm"):
            (RESULTS / "var" / f"dichvucong.sqlite3{suffix}").unlink(missing_ok=True)
    (RESULTS / "var").mkdir(exist_ok=True)
    import django

    django.setup()


def generate(count: int):
    """The real catalogue, plus `count` generated published procedures with realistic names."""
    from django.core.management import call_command
    from django.db import transaction

    from dichvucong.catalog.models import Field, Procedure, ProcedureVersion
    from dichvucong.core.text import fold

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production static files (manifest)
    call_command("directory_load_units", verbosity=0)
    call_command("directory_generate_agencies", verbosity=0)
    call_command("catalog_load", verbosity=0)
    fields = list(Field.objects.all())
    rng = random.Random(20261128)
    with transaction.atomic():
        procedures = []
        for i in range(count):
            name = " ".join(filter(None, [rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(QUALIFIERS)]))
            field = rng.choice(fields)
            code = f"{rng.choice('123')}.{100000 + i:06d}"
            procedures.append(
                Procedure(
                    code=code,
                    field=field,
                    name=name,
                    name_folded=fold(name),
                    search_document=fold(f"{code} {code.replace('.', ' ')} {name} {field.name}"),
                    popularity=rng.randint(0, 100),
                    is_commune_level=rng.random() < 0.6,
                    is_province_level=rng.random() < 0.5,
                )
            )
        Procedure.objects.bulk_create(procedures, batch_size=1000)
        versions = ProcedureVersion.objects.bulk_create(
            [
                ProcedureVersion(
                    procedure=p,
                    number=1,
                    status="published",
                    name=p.name,
                    levels=["commune"],
                    applicant_types=["citizen"],
                    steps=["-"],
                    legal_basis=["-"],
                    results=[],
                    service_level="partial",
                    channels=["online"],
                )
                for p in procedures
            ],
            batch_size=1000,
        )
        for procedure, version in zip(procedures, versions, strict=True):
            procedure.current_version = version
        Procedure.objects.bulk_update(procedures, ["current_version"], batch_size=1000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Procedure.objects.count()


def raw_sql(query: str):
    """The minimal database work for the same answer: full-text candidates, their (bounded) count and
    a first page by popularity — without the ranking, the filters' joins, Django or the template."""
    from django.db import connection

    from dichvucong.catalog.search import query_tokens

    tokens = query_tokens(query)
    if connection.vendor == "postgresql":
        where = "search_vector @@ to_tsquery('simple'::regconfig, %s)"
        param = " | ".join(f"{t}:*" for t in tokens)
        source = f"SELECT id FROM catalog_procedure WHERE {where}"
    else:
        param = " OR ".join(f'"{t}"*' for t in tokens)
        source = "SELECT rowid FROM catalog_procedure_fts WHERE catalog_procedure_fts MATCH %s"
    with connection.cursor() as cursor:
        # Bounded like the endpoint's count (CATALOG_SEARCH_MAX_RESULTS + 1).
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM catalog_procedure WHERE id IN ({source}) LIMIT 1001) t",
            [param],
        )
        cursor.fetchone()
        cursor.execute(
            f"SELECT id, code, name FROM catalog_procedure WHERE id IN ({source}) "
            "ORDER BY popularity DESC, code LIMIT 20",
            [param],
        )
        cursor.fetchall()


def measure(fn, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for query in QUERIES:
            start = time.perf_counter()
            fn(query)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    database_url = os.environ.get("DATABASE_URL") or None
    setup_django(database_url)
    from django.db import connection
    from django.test import Client

    total = generate(PROCEDURES)
    client = Client()

    def endpoint(query):
        response = client.get("/thu-tuc/", {"q": query})
        assert response.status_code == 200, response.status_code

    measure(endpoint, 2)  # warm-up: templates, query plans, caches
    measure(raw_sql, 2)
    endpoint_ms = measure(endpoint, ROUNDS)
    raw_ms = measure(raw_sql, ROUNDS)
    result = {
        "vendor": connection.vendor,
        "procedures": total,
        "requests": len(endpoint_ms),
        "endpoint_p50_ms": round(statistics.median(endpoint_ms), 2),
        "endpoint_p95_ms": round(percentile(endpoint_ms, 95), 2),
        "raw_sql_p50_ms": round(statistics.median(raw_ms), 2),
        "raw_sql_p95_ms": round(percentile(raw_ms, 95), 2),
    }
    result["ratio_p50"] = round(result["endpoint_p50_ms"] / result["raw_sql_p50_ms"], 1)
    result["goal_p95_le_30ms"] = result["endpoint_p95_ms"] <= 30
    (RESULTS / f"search-{connection.vendor}.json").write_text(json.dumps(result, indent=2))
    print(
        f"| {result['vendor']} | {total:,} | {result['requests']} | {result['endpoint_p50_ms']} | "
        f"{result['endpoint_p95_ms']} | {result['raw_sql_p50_ms']} | {result['raw_sql_p95_ms']} | "
        f"{result['ratio_p50']}× | {'yes' if result['goal_p95_le_30ms'] else 'NO'} |"
    )
    if database_url and not os.environ.get("BENCH_KEEP"):
        connection.close()
        _postgres_admin(database_url, "DROP DATABASE IF EXISTS {bench} WITH (FORCE)")


if __name__ == "__main__":
    main()
