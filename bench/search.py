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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (bench/common.py, next to this file)
from common import RESULTS, percentile  # noqa: E402

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


def setup_django(database_url: str | None) -> str | None:
    return common.setup_django(database_url, ALLOWED_HOSTS="testserver")


def generate(count: int):
    """The real catalogue, plus `count` generated published procedures with realistic names."""
    from django.db import transaction

    from dichvucong.catalog.models import Field, Procedure, ProcedureVersion
    from dichvucong.core.text import fold

    # Migrations, production static files (manifest), units, agencies and the real catalogue.
    common.load_reference(catalogue_offerings=False)
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
    common.analyze()
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
    connection.close()
    common.drop_bench_database(database_url)


if __name__ == "__main__":
    main()
