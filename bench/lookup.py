"""Benchmark: public dossier lookup over HTTP with 1,000,000 dossiers (`make bench`, issue 4).

Builds a fresh database (bench/common.py) with the reference data and BENCH_DOSSIERS generated
submitted dossiers (bench/dataset.py, default 1,000,000), writes a file of real (code, identity)
pairs with about 10 % wrong pairs, then starts `gunicorn dichvucong.wsgi -w 2` with production
settings and measures with wrk (bench/lookup.lua), after a warm-up, for BENCH_SECONDS at
BENCH_CONNECTIONS connections:

- the endpoint: GET /tra-cuu/?MHS=<code>&SGT=<identity> (the national portal's link; the same view
  and code path as the form's POST, without the CSRF token);
- the baseline: GET /bench/lookup-bare/?MHS=…&SGT=…, a bare Django view doing the same single
  indexed query and the identity comparison, served by the same gunicorn (bench/bare_urls.py through
  bench/settings.py).

The goal (issue 4): endpoint throughput ≥ 0.4× the baseline's, endpoint p95 ≤ 50 ms. Every answer
must be 200: right pairs show the status, wrong pairs the generic message. LOOKUP_MAX_PER_HOUR is
set very high so the per-IP limit (one client address here) does not turn the run into 429s.
Writes bench/results/lookup-<vendor>.json.
"""

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (bench/common.py)
import dataset  # noqa: E402  (bench/dataset.py)
from common import RESULTS, ROOT  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
ROUNDS = int(os.environ.get("BENCH_LOOKUP_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PAIRS = int(os.environ.get("BENCH_PAIRS", "100000"))
WRONG_SHARE = 0.10
LOOKUP_LIMIT = "1000000000"
ENDPOINTS = {"bare": "/bench/lookup-bare/", "lookup": "/tra-cuu/"}


def pairs_write(data: dict, path: Path) -> dict:
    """Random (code, identity) pairs: 90 % right (85 % by personal ID, 5 % by phone as people type
    it, 0912…), 10 % wrong (half a real code with someone else's ID, half a code that does not exist)."""
    rng = random.Random(4)
    people, codes = data["people"], data["codes"]
    counts = {"right_id": 0, "right_phone": 0, "wrong_identity": 0, "unknown_code": 0}
    lines = []
    for _ in range(min(PAIRS, len(codes) * 2)):
        code, applicant = codes[rng.randrange(len(codes))]
        _pk, personal_id, phone = people[applicant]
        draw = rng.random()
        if draw < WRONG_SHARE / 2:
            kind, identity = "wrong_identity", people[(applicant + 1) % len(people)][1]
        elif draw < WRONG_SHARE:
            kind, identity = "unknown_code", personal_id
            code = code[:-4] + "9" + code[-3:]  # sequence numbers never reach 9000 a day here
        elif draw < WRONG_SHARE + 0.05:
            kind, identity = "right_phone", "0" + phone[3:]
        else:
            kind, identity = "right_id", personal_id
        counts[kind] += 1
        lines.append(f"{code}\t{identity}\n")
    path.write_text("".join(lines))
    return counts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own loopback server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def gunicorn_start(bench_url: str | None, port: int, log: Path) -> subprocess.Popen:
    env = common.production_env(
        bench_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        ALLOWED_HOSTS="127.0.0.1",
        LOOKUP_MAX_PER_HOUR=LOOKUP_LIMIT,
        PYTHONPATH=str(ROOT),
    )
    command = [sys.executable, "-m", "gunicorn", "dichvucong.wsgi", "-w", str(WORKERS)]
    command += ["-b", f"127.0.0.1:{port}", "--chdir", str(ROOT)]
    process = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log}")
        try:
            if get(f"http://127.0.0.1:{port}/health/")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"gunicorn did not answer; see {log}")


def sanity_check(base: str, data: dict) -> None:
    """Both endpoints answer a right pair with the status and a wrong pair with the generic answer."""
    code, applicant = data["codes"][len(data["codes"]) // 2]
    personal_id = data["people"][applicant][1]
    wrong = data["people"][(applicant + 1) % len(data["people"])][1]
    status, body = get(f"{base}/tra-cuu/?MHS={code}&SGT={personal_id}")
    assert status == 200 and 'id="result-title"' in body and code in body, (status, body[:500])
    status, body = get(f"{base}/tra-cuu/?MHS={code}&SGT={wrong}")
    assert status == 200 and "notice-warn" in body and 'id="result-title"' not in body, status
    assert get(f"{base}/bench/lookup-bare/?MHS={code}&SGT={personal_id}") == (200, "found")
    assert get(f"{base}/bench/lookup-bare/?MHS={code}&SGT={wrong}") == (200, "not found")


def wrk(base: str, path: str, pairs: Path, seconds: int) -> dict:
    env = dict(os.environ, BENCH_PAIRS=str(pairs), BENCH_PATH=path)
    command = ["wrk", "-t", "1", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency"]
    command += ["--timeout", "5s", "-s", str(ROOT / "bench" / "lookup.lua"), base + path]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["requests_per_s"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    for key in ("p50", "p90", "p95", "p99"):
        result[f"{key}_ms"] = round(result["latency_us"][key] / 1000, 1)
    result["wrk_output"] = output
    return result


def median_run(runs: list[dict]) -> dict:
    """The endpoint's figures over the rounds: the median of each (throughput, percentiles)."""
    figures = {"requests": sum(r["requests"] for r in runs), "rounds_requests_per_s": []}
    for key in ("requests_per_s", "p50_ms", "p90_ms", "p95_ms", "p99_ms"):
        figures[key] = round(statistics.median(r[key] for r in runs), 1)
    figures["rounds_requests_per_s"] = [r["requests_per_s"] for r in runs]
    figures["rounds_p95_ms"] = [r["p95_ms"] for r in runs]
    figures["found"] = sum(r["found"] for r in runs)
    figures["not_found"] = sum(r["not_found"] for r in runs)
    return figures


def main():
    database_url = os.environ.get("DATABASE_URL") or None
    started = time.perf_counter()
    bench_url = common.setup_django(database_url, ALLOWED_HOSTS="127.0.0.1")
    from django.db import connection

    common.load_reference()
    reference_s = time.perf_counter() - started
    start = time.perf_counter()
    data = dataset.dataset_generate()
    generation_s = time.perf_counter() - start
    vendor = connection.vendor
    machine = common.machine()
    print(
        f"{vendor}: reference data {reference_s:.0f} s; {data['citizens']:,} citizens, {data['dossiers']:,} "
        f"dossiers, {data['events']:,} events in {generation_s:.0f} s {data['timings']}",
        flush=True,
    )
    pairs_path = RESULTS / f"lookup-pairs-{vendor}.tsv"
    pair_counts = pairs_write(data, pairs_path)
    connection.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = gunicorn_start(bench_url, port, RESULTS / f"lookup-gunicorn-{vendor}.log")
    runs: dict[str, list[dict]] = {name: [] for name in ENDPOINTS}
    try:
        sanity_check(base, data)
        for path in ENDPOINTS.values():  # warm-up: templates, plans, caches, pages
            wrk(base, path, pairs_path, WARMUP_SECONDS)
        # Alternating rounds, so that a slower minute of a shared machine touches both endpoints.
        for round_number in range(1, ROUNDS + 1):
            for name, path in ENDPOINTS.items():
                run = wrk(base, path, pairs_path, SECONDS)
                runs[name].append(run)
                print(
                    f"  round {round_number} {name}: {run['requests_per_s']} req/s, p50 {run['p50_ms']} ms, "
                    f"p95 {run['p95_ms']} ms, p99 {run['p99_ms']} ms",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    common.drop_bench_database(database_url)

    bare, lookup = median_run(runs["bare"]), median_run(runs["lookup"])
    ratios = [
        lk["requests_per_s"] / br["requests_per_s"]
        for br, lk in zip(runs["bare"], runs["lookup"], strict=True)
    ]
    ratio = statistics.median(ratios)
    result = {
        "vendor": vendor,
        "machine": machine,
        "dossiers": data["dossiers"],
        "events": data["events"],
        "citizens": data["citizens"],
        "generation_s": round(generation_s, 1),
        "generation_timings": data["timings"],
        "gunicorn_workers": WORKERS,
        "connections": CONNECTIONS,
        "seconds": SECONDS,
        "rounds": ROUNDS,
        "warmup_seconds": WARMUP_SECONDS,
        "pairs": pair_counts,
        "bare": bare,
        "lookup": lookup,
        "ratio_throughput": round(ratio, 2),
        "rounds_ratio": [round(r, 3) for r in ratios],
        "goal_ratio_ge_0_4": ratio >= 0.4,
        "goal_p95_le_50ms": lookup["p95_ms"] <= 50,
        "wrk_output_last_round": {name: runs[name][-1]["wrk_output"] for name in ENDPOINTS},
    }
    (RESULTS / f"lookup-{vendor}.json").write_text(json.dumps(result, indent=2))
    print(
        f"| {vendor} | {data['dossiers']:,} | {CONNECTIONS} | {lookup['requests_per_s']} | "
        f"{lookup['p50_ms']} | {lookup['p95_ms']} | {lookup['p99_ms']} | {bare['requests_per_s']} | "
        f"{bare['p50_ms']} | {bare['p95_ms']} | {ratio:.2f}× | "
        f"{'met' if result['goal_ratio_ge_0_4'] else 'NOT met'} | "
        f"{'met' if result['goal_p95_le_50ms'] else 'NOT met'} |"
    )
    # Zero errors: every answer a 200, and the share of found answers what the pairs file holds.
    expected_found = 1 - (pair_counts["wrong_identity"] + pair_counts["unknown_code"]) / sum(
        pair_counts.values()
    )
    for name, endpoint_runs in runs.items():
        for run in endpoint_runs:
            errors = run["errors"]
            assert sum(errors.values()) == 0 and run["other"] == 0, (name, errors, run["other"])
            share = run["found"] / run["requests"]
            assert abs(share - expected_found) < 0.03, (name, share, expected_found)


if __name__ == "__main__":
    main()
