"""What virtual keys and their limits cost: Payara Micro, tracing on, the ledger on PostgreSQL in both modes, a
configured gateway key (no limits: "configured") against a virtual key with a limit of every kind and a team limit
("limited": requests per second/minute/day, tokens per minute/day, spend per day/month/total, all too large to refuse),
interleaved rounds in one run: saturation (0 ms upstream, 64 connections) and p50/p99 at the 10 ms upstream (32
connections). Every call of the limited key takes one request and its estimate from eight limits and its team's, and
settles the estimate once it ended; the slices come from PostgreSQL.
Build first: ./mvnw -DskipTests package (the WAR, payara-micro.jar and postgresql.jar under target/).

    python3 bench/keys.py [--rounds 2] [--jit-warmup 40]
"""
import argparse
import hashlib
import json
import shutil
import statistics
import tempfile
import time
import urllib.request

import ledger
import run

ADMIN_KEY = "bench-admin-key-5b1e07"
CONFIGURED_KEY = "bench-configured-key-8d2c4a"
BIG = 1_000_000_000_000


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def request(method, path, body=None, key=ADMIN_KEY):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
    with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{run.GATEWAY_PORT}{path}", data, headers, method=method), timeout=10) as answer:
        return json.loads(answer.read())


def post_with_key(url, model="bench"):
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": "hi"}]}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, {"Content-Type": "application/json",
                                                                         "Authorization": f"Bearer {CONFIGURED_KEY}"}), timeout=5) as answer:
            return answer.status == 200
    except Exception:
        return False


def limited_key():
    """A virtual key with a limit of every kind and a team's, none of which refuses in the run."""
    run.wait_for(lambda: ledger.metric("gateway_limits_up") == 1.0, 60, "the virtual keys")
    request("PUT", "/admin/v1/teams/bench-team", {"limits": {"requests_per_minute": BIG}})
    limits = {"requests_per_second": BIG, "requests_per_minute": BIG, "requests_per_day": BIG, "tokens_per_minute": BIG, "tokens_per_day": BIG,
              "budget_per_day": BIG, "budget_per_month": BIG, "budget_total": BIG}
    return request("POST", "/admin/v1/keys", {"name": f"bench-{time.time_ns()}", "team": "bench-team", "limits": limits})["key"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--jit-warmup", type=int, default=40)
    args = parser.parse_args()
    run.post = post_with_key  # readiness: the API needs a key in both modes
    scratch = tempfile.mkdtemp(prefix="gateway-keys-")
    stop_mock = run.start_mock(scratch)
    postgres = ledger.Postgres(scratch)
    env = dict(ledger.ledger_on(), GATEWAY_ADMIN_KEY_SHA256=sha256(ADMIN_KEY), GATEWAY_AUTH_KEYS="bench",
               GATEWAY_AUTH_KEY_BENCH_SHA256=sha256(CONFIGURED_KEY), GATEWAY_PRICE_BENCH10_INPUT="2.5", GATEWAY_PRICE_BENCH10_OUTPUT="10",
               GATEWAY_PRICE_BENCH0_INPUT="2.5", GATEWAY_PRICE_BENCH0_OUTPUT="10")
    modes = ("configured", "limited")
    results = {name: {"rps": [], "p50": [], "p99": [], "errors": 0} for name in modes}
    try:
        direct = run.wrk(f"http://127.0.0.1:{run.MOCK_PORT}/d10/v1/chat/completions", "bench", 10, 32)
        for _ in range(args.rounds):
            for name in modes:
                with run.Gateway("payara", True, env=env, payara_args=ledger.PAYARA_ARGS):
                    key = CONFIGURED_KEY if name == "configured" else limited_key()
                    run.os.environ["BENCH_HEADERS"] = f"Authorization: Bearer {key}"
                    url = f"http://127.0.0.1:{run.GATEWAY_PORT}/v1/chat/completions"
                    run.wrk(url, "bench0", args.jit_warmup, 64)
                    for _ in range(3):
                        point = run.wrk(url, "bench0", 10, 64)
                        results[name]["rps"].append(point["rps"])
                        results[name]["errors"] += point["errors"]
                    run.wrk(url, "bench10", 10, 32)
                    for _ in range(3):
                        point = run.wrk(url, "bench10", 10, 32)
                        results[name]["p50"].append(point["p50"] / 1000)
                        results[name]["p99"].append(point["p99"] / 1000)
                        results[name]["errors"] += point["errors"]
    finally:
        postgres.stop()
        stop_mock()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"direct, 10 ms upstream: p50 {direct['p50'] / 1000:.2f} ms, p99 {direct['p99'] / 1000:.2f} ms")
    for name, r in results.items():
        print(f"{name}: saturation median {statistics.median(r['rps']):.0f} req/s (runs {[round(x) for x in r['rps']]}); "
              f"10 ms upstream p50 {statistics.median(r['p50']):.3f} ms (runs {[round(x, 3) for x in r['p50']]}), "
              f"p99 {statistics.median(r['p99']):.2f} ms; errors {r['errors']}")
    off, on = results["configured"], results["limited"]
    print(f"limited/configured: saturation {statistics.median(on['rps']) / statistics.median(off['rps']):.3f}; "
          f"p50 added {statistics.median(on['p50']) - statistics.median(off['p50']):+.3f} ms, p99 added {statistics.median(on['p99']) - statistics.median(off['p99']):+.2f} ms")


if __name__ == "__main__":
    main()
