#!/usr/bin/env python3
"""Many LLM-length calls at once: direct, Payara Micro, Open Liberty (tracing on) and Portkey's gateway against one
nginx mock that answers after 1 s (streams: first chunk after 1 s, then 5 chunks 200 ms apart), at 400, 1,600 and
4,000 concurrent calls, in one run. See README.md beside this file."""
import argparse, os, statistics, subprocess, sys, tempfile, threading, time
from datetime import datetime, timezone

import run
from run import HERE, ROOT, MOCK_PORT, GATEWAY_PORT

PORTKEY_VERSION = "1.15.2"
PORTKEY_PORT = 18400
UPSTREAM = f"/d1000g200/v1"


def wrk(url, seconds, connections, stream, headers=""):
    env = dict(os.environ, BENCH_MODEL="bench1000", BENCH_HEADERS=headers)
    if stream:
        env["BENCH_STREAM"] = "1"
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", os.path.join(HERE, "chat.lua"), url],
                         capture_output=True, text=True, env=env, check=True).stdout
    result = run.json.loads(run.re.search(r"RESULT (\{.*\})", out).group(1))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def settled(gateway):
    """Waits until the calls of the wrk run before have ended: a client that hangs up does not end its non-streamed
    call, so without this the next run's clients would meet the last run's calls at the call limit."""
    if not gateway:
        time.sleep(2)  # the mock and Portkey: one upstream delay and more
        return
    import urllib.request
    deadline = time.time() + 30
    while time.time() < deadline:
        text = urllib.request.urlopen(f"http://127.0.0.1:{GATEWAY_PORT}/metrics", timeout=5).read().decode()
        match = run.re.search(r"^gateway_calls_in_flight ([0-9.eE+]+)$", text, run.re.M)
        if match and float(match.group(1)) == 0:
            return
        time.sleep(0.2)
    raise SystemExit("calls were still in flight 30 s after the load stopped")


class PeakRss:
    """The largest resident set of a process while the block runs, sampled every 250 ms."""
    def __init__(self, pid):
        self.pid, self.peak, self.running = pid, 0, True

    def __enter__(self):
        def sample():
            while self.running:
                try:
                    self.peak = max(self.peak, int(open(f"/proc/{self.pid}/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024))
                except OSError:
                    pass
                time.sleep(0.25)
        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


def points(url, args, pid=None, headers="", gateway=False):
    results = {}
    for stream in (False, True):
        for connections in args.concurrency:
            # a short warm-up at the point's concurrency: connections opened, pools filled
            wrk(url, args.warmup, connections, stream, headers)
            settled(gateway)
            if pid:
                with PeakRss(pid) as rss:
                    r = wrk(url, args.duration, connections, stream, headers)
                r["rss"] = rss.peak
            else:
                r = wrk(url, args.duration, connections, stream, headers)
                r["rss"] = None
            settled(gateway)
            results[(connections, stream)] = r
            print(url, connections, "stream" if stream else "json", {k: r[k] for k in ("rps", "p50", "p99", "errors")}, r["rss"], flush=True)
    return results


class Portkey:
    """Portkey's open-source gateway from the npm registry, forwarding to the same mock."""
    def __init__(self, scratch):
        self.dir = os.path.join(scratch, "portkey")

    def __enter__(self):
        os.makedirs(self.dir, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", f"@portkey-ai/gateway@{PORTKEY_VERSION}"], cwd=self.dir, check=True)
        self.log = open(os.path.join(tempfile.gettempdir(), "bench-portkey.log"), "w")
        self.process = subprocess.Popen(["node", "node_modules/@portkey-ai/gateway/build/start-server.js", f"--port={PORTKEY_PORT}"],
                                        cwd=self.dir, stdout=self.log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{PORTKEY_PORT}/v1/chat/completions"
        run.wait_for(lambda: self.post(url), 60, "Portkey")
        return self

    def post(self, url):
        import urllib.request
        body = run.json.dumps({"model": "bench", "messages": [{"role": "user", "content": "hi"}]}).encode()
        request = urllib.request.Request(url, body, dict(self.headers_dict(), **{"Content-Type": "application/json"}))
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status == 200
        except Exception:
            return False

    @staticmethod
    def headers_dict():
        return {"x-portkey-provider": "openai", "x-portkey-custom-host": f"http://127.0.0.1:{MOCK_PORT}/d0/v1", "Authorization": "Bearer sk-bench"}

    @staticmethod
    def headers(path):
        return f"x-portkey-provider: openai;x-portkey-custom-host: http://127.0.0.1:{MOCK_PORT}{path};Authorization: Bearer sk-bench"

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runtimes", default="payara,liberty")
    parser.add_argument("--concurrency", default="400,1600,4000", type=lambda s: [int(c) for c in s.split(",")])
    parser.add_argument("--duration", type=int, default=20, help="seconds per measured point")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before each point")
    parser.add_argument("--jit-warmup", type=int, default=30, help="seconds of 400 concurrent calls after each gateway start")
    parser.add_argument("--heap", default=None, help="gateway JVM heap (-Xmx), default: each run configuration's")
    parser.add_argument("--no-peer", action="store_true", help="skip Portkey")
    args = parser.parse_args()

    run.sh(["./mvnw", "-q", "--batch-mode", "-DskipTests", "-Prun-liberty", "-Dexec.skip=true", "clean", "package"])
    scratch = tempfile.mkdtemp(prefix="gateway-concurrency-")
    stop_mock = run.start_mock(scratch)
    results = {}
    env = {"GATEWAY_PROVIDERS": "d1000", "GATEWAY_PROVIDER_D1000_TYPE": "openai", "GATEWAY_PROVIDER_D1000_MODEL": "bench-model",
           "GATEWAY_PROVIDER_D1000_BASE_URL": f"http://127.0.0.1:{MOCK_PORT}{UPSTREAM}",
           "GATEWAY_MODELS": "bench0,bench1000", "GATEWAY_MODEL_BENCH1000_ROUTING": "d1000", "GATEWAY_MODEL_BENCH0_ROUTING": "d1000"}
    try:
        results["direct"] = points(f"http://127.0.0.1:{MOCK_PORT}{UPSTREAM}/chat/completions", args)
        for runtime in args.runtimes.split(","):
            with run.Gateway(runtime, True, heap=args.heap, env=env) as gateway:
                via = f"http://127.0.0.1:{GATEWAY_PORT}/v1/chat/completions"
                wrk(via, args.jit_warmup, 400, False)
                settled(True)
                results[runtime] = points(via, args, gateway.java_pid(), gateway=True)
                results[runtime]["spans"] = run.span_counts()
        if not args.no_peer:
            with Portkey(scratch) as portkey:
                via = f"http://127.0.0.1:{PORTKEY_PORT}/v1/chat/completions"
                wrk(via, args.jit_warmup, 400, False, Portkey.headers(UPSTREAM))
                results[f"portkey {PORTKEY_VERSION}"] = points(via, args, portkey.process.pid, Portkey.headers(UPSTREAM))
    finally:
        stop_mock()
    write(results, args)


def write(results, args):
    java = subprocess.run([run.JAVA, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    lines = [f"# Concurrent LLM-length calls {stamp}", "",
             f"Machine: {os.cpu_count()} cores, {java}; wrk, the nginx mock, the gateway and Portkey share it. Upstream answers after 1 s; "
             f"streams send their first chunk after 1 s, then 5 chunks 200 ms apart. Gateways with tracing on, every span exported over OTLP/HTTP to "
             f"an nginx sink; heap {args.heap or 'of each run configuration'}. Per point {args.warmup} s of warm-up, then {args.duration} s measured "
             f"(wrk -t2, --timeout 30s); RSS is the peak while measuring.", "",
             "| calls | kind | setup | req/s | vs direct | p50 ms | p50 − direct ms | p99 ms | errors | peak RSS MB |", "|---|---|---|---|---|---|---|---|---|---|"]
    direct = results["direct"]
    for stream in (False, True):
        for connections in args.concurrency:
            d = direct[(connections, stream)]
            for setup, r in results.items():
                p = r[(connections, stream)]
                lines.append(f"| {connections} | {'stream' if stream else 'JSON'} | {setup} | {p['rps']:.0f} | {p['rps'] / d['rps']:.2f} | {p['p50'] / 1000:.0f} | "
                             f"{(p['p50'] - d['p50']) / 1000:.0f} | {p['p99'] / 1000:.0f} | {p['errors']} | {p['rss'] if p['rss'] else '—'} |")
    for setup, r in results.items():
        if "spans" in r:
            lines.append(f"\n{setup}: spans exported {r['spans']['exported']:.0f}, dropped {r['spans']['dropped']:.0f}.")
    path = os.path.join(HERE, "results", f"{stamp}-concurrency.md")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines) + f"\n\nwritten to {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
