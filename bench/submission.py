"""Benchmark: submitting dossiers with two 1 MB attachments (`make bench`, issue 4).

Builds a fresh database (bench/common.py) with the reference data and BENCH_DOSSIERS generated
dossiers (bench/dataset.py, default 1,000,000: the code index, the code sequences and the timeline
are as full as in production), then, in this process with production settings, files
BENCH_SUBMISSIONS dossiers (default 200) per concurrency level (1 and 2 worker threads, each with its
own database connection) the way dossiers/tests/drafts.py does, through the services the wizard's
views call:

    draft_create → draft_save_form (the birth registration e-form) → attachment_upload of a ~1 MB PDF
    (the birth certificate) → attachment_upload of a ~1 MB JPEG (a second document) →
    draft_save_delivery → dossier_submit

Each upload goes through `stored_file_create` (size, libmagic, SHA-256, PDF/JPEG structure checks,
private storage write with fsync under the bench VAR_DIR). Offerings are the birth registration
offerings of random communes; applicants are generated citizens. Reports dossiers per second and
the p50/p95 of the whole sequence and of the submit step alone; every dossier must be submitted
(zero errors), with a unique code and both files on disk. The goal (issue 4): ≥ 20 submissions/s
with attachments, on SQLite and on PostgreSQL. Writes bench/results/submission-<vendor>.json.

On SQLite, writers serialise on IMMEDIATE transactions (expected); two threads of one process also
share the GIL — the figure for 2 workers says how the locks behave, not how a second CPU helps.
"""

import io
import json
import os
import queue
import random
import statistics
import sys
import threading
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (bench/common.py)
import dataset  # noqa: E402  (bench/dataset.py)
from common import RESULTS, VAR, percentile  # noqa: E402

SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "200"))
WARMUP = int(os.environ.get("BENCH_SUBMISSION_WARMUP", "10"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_SUBMISSION_WORKERS", "1,2").split(",")]
FILE_BYTES = 1024 * 1024  # "1 MB" attachments: at least this, at most 5 % more


def sized_image_file(kind: str, target: int = FILE_BYTES) -> bytes:
    """A valid file of about `target` bytes: a photo-like noise image saved as PDF or JPEG (noise does
    not compress, so the size follows the pixel count); the side is searched, the content is seeded."""
    from PIL import Image

    rng = random.Random(f"bench-{kind}")
    low, high = 100, 4000
    best = b""
    while low <= high:
        side = (low + high) // 2
        image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        buffer = io.BytesIO()
        if kind == "pdf":
            image.save(buffer, "PDF", resolution=150)
        else:
            image.save(buffer, "JPEG", quality=90)
        content = buffer.getvalue()
        if len(content) < target:
            low = side + 1
        else:
            best = content
            if len(content) <= target * 1.05:
                break
            high = side - 1
    return best


class Filing:
    """What every dossier of the run needs: the offerings, the two documents, the files' bytes."""

    def __init__(self, people: list[tuple[int, str, str]]):
        from dichvucong.accounts.models import User
        from dichvucong.catalog.models import Offering
        from dichvucong.documents.validation import check_upload
        from dichvucong.dossiers.tests.drafts import BIRTH_FORM

        self.form = BIRTH_FORM
        self.offerings = list(
            Offering.objects.filter(
                procedure__code="1.001193", online=True, is_active=True, service_level="full"
            ).select_related("procedure__current_version", "agency", "reception_agency")
        )
        version = self.offerings[0].procedure.current_version
        self.certificate = version.documents.get(name__startswith="Giấy chứng sinh").pk
        self.second = version.documents.get(name__startswith="Văn bản ủy quyền").pk
        self.users = list(User.objects.filter(pk__in=[pk for pk, _pid, _phone in people[:1000]]))
        self.pdf = sized_image_file("pdf")
        self.jpeg = sized_image_file("jpeg")
        for name, content in (("chung-sinh.pdf", self.pdf), ("uy-quyen.jpg", self.jpeg)):
            check_upload(
                self._upload(name, content), accepted_types=["pdf", "jpeg", "png"], max_bytes=10 << 20
            )

    @staticmethod
    def _upload(name: str, content: bytes):
        from django.core.files.uploadedfile import SimpleUploadedFile

        # What Django gives a view for a 1 MB file: in memory (FILE_UPLOAD_MAX_MEMORY_SIZE is 2 MB).
        return SimpleUploadedFile(name, content, content_type="application/octet-stream")

    def file_one(self, number: int, rng: random.Random) -> dict:
        """Draft → form → two uploads → delivery → submit; returns the timings (ms) and the code."""
        from dichvucong.dossiers.services.drafts import (
            attachment_upload,
            draft_create,
            draft_save_delivery,
            draft_save_form,
        )
        from dichvucong.dossiers.services.submission import dossier_submit

        user = self.users[number % len(self.users)]
        offering = rng.choice(self.offerings)
        start = time.perf_counter()
        dossier = draft_create(user=user, offering=offering)
        draft_save_form(dossier_id=dossier.pk, user=user, raw=self.form)
        uploads_start = time.perf_counter()
        attachment_upload(
            dossier_id=dossier.pk,
            user=user,
            required_document_id=self.certificate,
            uploaded_files=[self._upload("giay-chung-sinh.pdf", self.pdf)],
        )
        attachment_upload(
            dossier_id=dossier.pk,
            user=user,
            required_document_id=self.second,
            uploaded_files=[self._upload("anh-giay-uy-quyen.jpg", self.jpeg)],
        )
        uploads_end = time.perf_counter()
        draft_save_delivery(dossier_id=dossier.pk, user=user, delivery="online")
        submit_start = time.perf_counter()
        submitted, submitted_now = dossier_submit(dossier_id=dossier.pk, user=user, declaration_accepted=True)
        end = time.perf_counter()
        assert submitted_now and submitted.code, (submitted.pk, submitted.state)
        return {
            "id": submitted.pk,
            "code": submitted.code,
            "total_ms": (end - start) * 1000,
            "uploads_ms": (uploads_end - uploads_start) * 1000,
            "submit_ms": (end - submit_start) * 1000,
        }


def run_batch(filing: Filing, *, count: int, workers: int, first: int) -> tuple[list[dict], list[str], float]:
    """`count` dossiers by `workers` threads; returns (timings, errors, wall seconds)."""
    from django.db import connections

    todo: queue.Queue[int] = queue.Queue()
    for number in range(first, first + count):
        todo.put(number)
    results: list[dict] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(index: int):
        rng = random.Random(first * 100 + index)
        try:
            while True:
                try:
                    number = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    result = filing.file_one(number, rng)
                except Exception:  # noqa: BLE001 - every failure is counted and shown
                    with lock:
                        errors.append(traceback.format_exc())
                else:
                    with lock:
                        results.append(result)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors, time.perf_counter() - start


def verify(results: list[dict], filing: Filing) -> None:
    """Each dossier is submitted, with its own code, its two attachments and both files on disk."""
    from django.conf import settings

    from dichvucong.dossiers.models import Attachment, Dossier

    ids = [r["id"] for r in results]
    assert len({r["code"] for r in results}) == len(results), "duplicate codes"
    assert Dossier.objects.filter(pk__in=ids, state="submitted").count() == len(ids)
    attachments = list(Attachment.objects.filter(dossier_id__in=ids).select_related("stored_file"))
    assert len(attachments) == 2 * len(ids), len(attachments)
    sizes = {len(filing.pdf), len(filing.jpeg)}
    for attachment in attachments:
        stored = attachment.stored_file
        assert stored.size in sizes and stored.in_wallet, (stored.pk, stored.size, stored.in_wallet)
        assert (Path(settings.PRIVATE_MEDIA_ROOT) / stored.storage_name).stat().st_size == stored.size


def main():
    database_url = os.environ.get("DATABASE_URL") or None
    common.setup_django(database_url, ALLOWED_HOSTS="127.0.0.1")
    from django.db import connection

    common.clear_media()
    common.load_reference()
    start = time.perf_counter()
    data = dataset.dataset_generate()
    generation_s = time.perf_counter() - start
    vendor = connection.vendor
    print(
        f"{vendor}: {data['citizens']:,} citizens, {data['dossiers']:,} dossiers, {data['events']:,} events "
        f"in {generation_s:.0f} s {data['timings']}",
        flush=True,
    )
    connection.close()  # the generator's connection had its own pragmas; the runs get fresh ones
    filing = Filing(data["people"])
    machine = common.machine()
    print(f"  files: PDF {len(filing.pdf):,} bytes, JPEG {len(filing.jpeg):,} bytes", flush=True)

    levels = []
    first = 0
    for workers in CONCURRENCY:
        _warm, warm_errors, _ = run_batch(filing, count=WARMUP, workers=workers, first=first)
        first += WARMUP
        results, errors, wall = run_batch(filing, count=SUBMISSIONS, workers=workers, first=first)
        first += SUBMISSIONS
        errors += warm_errors
        if not errors:
            verify(results, filing)
        total = [r["total_ms"] for r in results]
        submit = [r["submit_ms"] for r in results]
        uploads = [r["uploads_ms"] for r in results]
        level = {
            "workers": workers,
            "dossiers": len(results),
            "errors": len(errors),
            "wall_s": round(wall, 2),
            "dossiers_per_s": round(len(results) / wall, 1),
            "total_p50_ms": round(statistics.median(total), 1),
            "total_p95_ms": round(percentile(total, 95), 1),
            "uploads_p50_ms": round(statistics.median(uploads), 1),
            "uploads_p95_ms": round(percentile(uploads, 95), 1),
            "submit_p50_ms": round(statistics.median(submit), 1),
            "submit_p95_ms": round(percentile(submit, 95), 1),
            "first_errors": errors[:3],
        }
        level["goal_ge_20_per_s"] = level["dossiers_per_s"] >= 20 and not errors
        levels.append(level)
        print(
            f"| {vendor} | {data['dossiers']:,} | {workers} | {level['dossiers']} | {level['errors']} | "
            f"{level['dossiers_per_s']} | {level['total_p50_ms']} | {level['total_p95_ms']} | "
            f"{level['uploads_p50_ms']} | {level['submit_p50_ms']} | {level['submit_p95_ms']} | "
            f"{'met' if level['goal_ge_20_per_s'] else 'NOT met'} |",
            flush=True,
        )
        for error in errors[:3]:
            print(error, file=sys.stderr)
    result = {
        "vendor": vendor,
        "machine": machine,
        "dossiers_in_database": data["dossiers"],
        "generation_s": round(generation_s, 1),
        "file_bytes": {"pdf": len(filing.pdf), "jpeg": len(filing.jpeg)},
        "storage": str(VAR / "media"),
        "levels": levels,
    }
    (RESULTS / f"submission-{vendor}.json").write_text(json.dumps(result, indent=2))
    connection.close()
    common.drop_bench_database(database_url)
    common.clear_media()
    assert all(level["errors"] == 0 for level in levels), "submissions failed"


if __name__ == "__main__":
    main()
