"""A/B of two gateway WARs on Payara Micro, tracing on, interleaved A B A B in one run (the machine drifts; rounds
cancel it): saturation (0 ms upstream, 64 connections), latency at the 10 ms upstream (32 connections) and the time to
the first streamed chunk (serial streams).
Reuses run.py's nginx mock, gateway start and wrk wrapper. Build each WAR first (./mvnw -DskipTests package).

    python3 bench/ab.py before.war after.war [--rounds 2] [--jit-warmup 60]
"""
import argparse
import os
import shutil
import statistics
import tempfile

import run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--jit-warmup", type=int, default=60)
    args = parser.parse_args()
    target = os.path.join(run.ROOT, "target/llm-gateway.war")
    kept = tempfile.mktemp(suffix=".war")
    shutil.copy(target, kept)
    scratch = tempfile.mkdtemp(prefix="gateway-ab-")
    stop_mock = run.start_mock(scratch)
    results = {name: {"rps": [], "p50": [], "p99": [], "ttft": []} for name in ("before", "after")}
    try:
        direct = run.wrk(f"http://127.0.0.1:{run.MOCK_PORT}/d10/v1/chat/completions", "bench", 10, 32)
        direct_ttft = run.streams("127.0.0.1", run.MOCK_PORT, "/d0/v1/chat/completions", "bench", 30)["ttft"]
        for _ in range(args.rounds):
            for name, war in (("before", args.before), ("after", args.after)):
                shutil.copy(war, target)
                with run.Gateway("payara", True):
                    url = f"http://127.0.0.1:{run.GATEWAY_PORT}/v1/chat/completions"
                    run.wrk(url, "bench0", args.jit_warmup, 64)
                    results[name]["rps"] += [run.wrk(url, "bench0", 10, 64)["rps"] for _ in range(3)]
                    run.wrk(url, "bench10", 10, 32)
                    for _ in range(3):
                        point = run.wrk(url, "bench10", 10, 32)
                        results[name]["p50"].append(point["p50"] / 1000)
                        results[name]["p99"].append(point["p99"] / 1000)
                    run.wrk(url, "bench0", 10, 64, stream=True)
                    results[name]["ttft"].append(run.streams("127.0.0.1", run.GATEWAY_PORT, "/v1/chat/completions", "bench0", 30)["ttft"])
    finally:
        stop_mock()
        shutil.copy(kept, target)
    print(f"direct, 10 ms upstream: p50 {direct['p50'] / 1000:.2f} ms, p99 {direct['p99'] / 1000:.2f} ms; time to first chunk {direct_ttft:.2f} ms")
    for name, r in results.items():
        print(f"{name}: saturation median {statistics.median(r['rps']):.0f} req/s (runs {[round(x) for x in r['rps']]}); "
              f"10 ms upstream p50 {statistics.median(r['p50']):.2f} ms, p99 {statistics.median(r['p99']):.2f} ms; "
              f"added time to first chunk {statistics.median(r['ttft']) - direct_ttft:.2f} ms")


if __name__ == "__main__":
    main()
