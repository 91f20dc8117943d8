"""A/B of two gateway WARs on Payara Micro, tracing on, interleaved A B A B in one run (the machine drifts; rounds
cancel it): saturation (0 ms upstream, 64 connections), latency at the 10 ms upstream (32 connections), the time to
the first streamed chunk (serial streams), and the bytes allocated per call at saturation (JFR's heap summaries
around each collection, over the saturation runs).
Reuses run.py's nginx mock, gateway start and wrk wrapper. Build each WAR first (./mvnw -DskipTests package).

    python3 bench/ab.py before.war after.war [--rounds 2] [--jit-warmup 60]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

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
    results = {name: {"rps": [], "p50": [], "p99": [], "ttft": [], "alloc": []} for name in ("before", "after")}
    try:
        direct = run.wrk(f"http://127.0.0.1:{run.MOCK_PORT}/d10/v1/chat/completions", "bench", 10, 32)
        direct_ttft = run.streams("127.0.0.1", run.MOCK_PORT, "/d0/v1/chat/completions", "bench", 30)["ttft"]
        for _ in range(args.rounds):
            for name, war in (("before", args.before), ("after", args.after)):
                shutil.copy(war, target)
                with run.Gateway("payara", True) as gateway:
                    url = f"http://127.0.0.1:{run.GATEWAY_PORT}/v1/chat/completions"
                    run.wrk(url, "bench0", args.jit_warmup, 64)
                    recording = start_recording(gateway.java_pid(), scratch)
                    saturation = [run.wrk(url, "bench0", 10, 64) for _ in range(3)]
                    allocated, seconds = stop_recording(gateway.java_pid(), recording)
                    results[name]["rps"] += [point["rps"] for point in saturation]
                    calls_per_second = sum(point["requests"] for point in saturation) / sum(point["seconds"] for point in saturation)
                    if seconds > 0:
                        results[name]["alloc"].append(allocated / seconds / calls_per_second)
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
              f"added time to first chunk {statistics.median(r['ttft']) - direct_ttft:.2f} ms; "
              f"allocated per call {statistics.median(r['alloc']) / 1024:.1f} KiB (runs {[round(x / 1024, 1) for x in r['alloc']]})")


JCMD = os.path.join(os.path.dirname(run.JAVA), "jcmd") if os.path.isabs(run.JAVA) else "jcmd"
JFR = os.path.join(os.path.dirname(run.JAVA), "jfr") if os.path.isabs(run.JAVA) else "jfr"


def start_recording(pid, scratch):
    path = os.path.join(scratch, f"alloc-{pid}-{time.time_ns()}.jfr")
    subprocess.run([JCMD, str(pid), "JFR.start", "name=ab-alloc", "settings=default"], check=True, capture_output=True)
    return path


def stop_recording(pid, path):
    """Bytes allocated between the first and the last collection recorded, and the seconds between them."""
    subprocess.run([JCMD, str(pid), "JFR.stop", "name=ab-alloc", f"filename={path}"], check=True, capture_output=True)
    out = subprocess.run([JFR, "print", "--json", "--events", "jdk.GCHeapSummary", path], check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    by_gc = {}
    for event in events:
        fields = event["values"]
        by_gc.setdefault(fields["gcId"], {})[fields["when"]] = (fields["heapUsed"], fields["startTime"])
    ids = sorted(gc for gc, sides in by_gc.items() if "Before GC" in sides and "After GC" in sides)
    allocated = sum(by_gc[b]["Before GC"][0] - by_gc[a]["After GC"][0] for a, b in zip(ids, ids[1:]))
    if len(ids) < 2:
        return 0, 0
    seconds = (iso_seconds(by_gc[ids[-1]]["Before GC"][1]) - iso_seconds(by_gc[ids[0]]["After GC"][1]))
    return allocated, seconds


def iso_seconds(stamp):
    """JFR's ISO time, nanoseconds and all, in seconds."""
    from datetime import datetime
    import re as regex
    whole, fraction, zone = regex.match(r"([^.Z+]+)(?:\.(\d+))?(.*)", stamp).groups()
    zone = "+00:00" if zone in ("Z", "") else zone
    return datetime.fromisoformat(whole + zone).timestamp() + (int(fraction) / 10 ** len(fraction) if fraction else 0)


if __name__ == "__main__":
    main()
