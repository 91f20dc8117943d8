#!/usr/bin/env python3
"""Gateway benchmark: overhead, tracing cost and streaming latency against an nginx mock, on Payara Micro and
Open Liberty, measured side by side in one run. See README.md beside this file."""
import argparse, json, os, platform, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "bench")
MOCK_PORT, OTLP_PORT, GATEWAY_PORT = 18200, 18201, 18300
CHUNK_GAP = 0.020
SPAN_QUEUE_WATCH_SECONDS = 6
# the JDK of JAVA_HOME when set (run.sh picks one of 21 or later), else the one on the PATH
JAVA = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"


def sh(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, check=True, **kw)


def start_mock(scratch):
    conf = open(os.path.join(HERE, "mock.conf.template")).read()
    for key, value in {"DIR": scratch, "MOCK_PORT": MOCK_PORT, "OTLP_PORT": OTLP_PORT, "CHUNK_GAP": CHUNK_GAP}.items():
        conf = conf.replace("{{%s}}" % key, str(value))
    path = os.path.join(scratch, "nginx.conf")
    open(path, "w").write(conf)
    subprocess.run(["nginx", "-p", scratch, "-c", path, "-e", os.path.join(scratch, "error.log")], check=True)
    wait_for(lambda: post(f"http://127.0.0.1:{MOCK_PORT}/d0/v1/chat/completions"), 10, "the nginx mock")
    return lambda: subprocess.run(["nginx", "-p", scratch, "-c", path, "-e", os.path.join(scratch, "error.log"), "-s", "stop"])


def post(url, model="bench"):
    import urllib.request
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": "hi"}]}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except Exception:
        return False


def wait_for(check, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise SystemExit(f"{what} did not come up within {seconds} s")


def gateway_env(tracing):
    env = dict(os.environ)
    env.update({
        "GATEWAY_PROVIDERS": "d10,d0,fail",
        "GATEWAY_PROVIDER_D10_TYPE": "openai", "GATEWAY_PROVIDER_D10_BASE_URL": f"http://127.0.0.1:{MOCK_PORT}/d10/v1",
        "GATEWAY_PROVIDER_D10_MODEL": "bench-model",
        # keys as every real deployment has them: the gateway searches each answer for them (the mock ignores them)
        "GATEWAY_PROVIDER_D10_API_KEY": "sk-bench-d10-0123456789abcdef", "GATEWAY_PROVIDER_D0_API_KEY": "sk-bench-d0-0123456789abcdef",
        "GATEWAY_PROVIDER_FAIL_API_KEY": "sk-bench-fail-0123456789abcdef",
        "GATEWAY_PROVIDER_D0_TYPE": "openai", "GATEWAY_PROVIDER_D0_BASE_URL": f"http://127.0.0.1:{MOCK_PORT}/d0/v1",
        "GATEWAY_PROVIDER_D0_MODEL": "bench-model",
        "GATEWAY_PROVIDER_FAIL_TYPE": "openai", "GATEWAY_PROVIDER_FAIL_BASE_URL": f"http://127.0.0.1:{MOCK_PORT}/fail/v1",
        "GATEWAY_MODELS": "bench10,bench0,fallback,broken",
        "GATEWAY_MODEL_BENCH10_ROUTING": "d10", "GATEWAY_MODEL_BENCH0_ROUTING": "d0",
        "GATEWAY_MODEL_FALLBACK_ROUTING": "fail,d10", "GATEWAY_MODEL_BROKEN_ROUTING": "fail",
        "GATEWAY_TRACING_ENABLED": "true" if tracing else "false",
        "GATEWAY_TRACING_ENDPOINT": f"http://127.0.0.1:{OTLP_PORT}",
        "GATEWAY_TRACING_PROTOCOL": "http/protobuf",
    })
    return env


class Gateway:
    def __init__(self, runtime, tracing, heap=None, env=None, payara_args=None):
        self.runtime, self.tracing, self.heap, self.extra_env = runtime, tracing, heap, env or {}
        self.payara_args = payara_args or []

    def __enter__(self):
        env = gateway_env(self.tracing)
        env.update(self.extra_env)
        started = time.time()
        self.log = open(os.path.join(tempfile.gettempdir(), f"bench-{self.runtime}.log"), "w")
        if self.runtime == "payara":
            cmd = [JAVA, "-Xms64m", f"-Xmx{self.heap or '256m'}", "-XX:+UseParallelGC",
                   "-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=5000",
                   f"-Djdk.virtualThreadScheduler.parallelism={2 * os.cpu_count()}",
                   "-Djakarta.json.provider=org.eclipse.parsson.JsonProviderImpl", "-jar", "target/payara-micro.jar", "--nocluster", "--port", str(GATEWAY_PORT),
                   "--prebootcommandfile", "server-config/payara/pre-boot-commands.asadmin", *self.payara_args, "--deploy", "target/llm-gateway.war"]
        else:
            env.update({"GATEWAY_APP_CONFIG": "gateway-app.xml", "GATEWAY_HTTP_PORT": str(GATEWAY_PORT)})
            if self.heap:
                env["JVM_ARGS"] = f"-Xmx{self.heap}"  # after jvm.options: the last -Xmx counts
            cmd = ["target/liberty/wlp/bin/server", "run", "gateway"]
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: post(f"http://127.0.0.1:{GATEWAY_PORT}/v1/chat/completions", "bench0"), 180, self.runtime)
        self.startup = time.time() - started
        return self

    def java_pid(self):
        if self.runtime == "payara":
            return self.process.pid
        out = subprocess.run(["pgrep", "-f", "ws-server.jar gateway"], capture_output=True, text=True).stdout.split()
        return int(out[0]) if out else self.process.pid

    def rss_mb(self):
        out = subprocess.run(["ps", "-o", "rss=", "-p", str(self.java_pid())], capture_output=True, text=True).stdout.strip()
        return int(out) / 1024 if out else float("nan")

    def __exit__(self, *exc):
        if self.runtime == "liberty":
            subprocess.run([os.path.join(ROOT, "target/liberty/wlp/bin/server"), "stop", "gateway"], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def span_counts():
    """Spans the gateway exported and dropped so far, from its /metrics: a tracing run that drops spans is cheaper than it should be."""
    import urllib.request
    time.sleep(SPAN_QUEUE_WATCH_SECONDS)  # the queue watch reports drops every 5 s
    text = urllib.request.urlopen(f"http://127.0.0.1:{GATEWAY_PORT}/metrics", timeout=5).read().decode()

    def total(series):
        return sum(float(m.group(1)) for m in re.finditer(re.escape(series) + r"[^\n]* ([0-9.eE+]+)\n", text))
    return {"exported": total('gateway_spans_exported_total{result="success"'), "dropped": total('gateway_spans_dropped_total{reason="queue_full"')}


def wrk(url, model, seconds, connections, stream=False):
    env = dict(os.environ, BENCH_MODEL=model)
    if stream:
        env["BENCH_STREAM"] = "1"
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", os.path.join(HERE, "chat.lua"), url],
                         capture_output=True, text=True, env=env, check=True).stdout
    result = json.loads(re.search(r"RESULT (\{.*\})", out).group(1))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def load(url, model, args, connections):
    wrk(url, model, args.warmup, connections)
    runs = [wrk(url, model, args.duration, connections) for _ in range(args.repeats)]
    return {key: statistics.median(run[key] for run in runs) for key in ("rps", "p50", "p90", "p99", "max", "errors")}


def stream_once(host, port, path, model):
    body = json.dumps({"model": model, "stream": True, "messages": [{"role": "user", "content": "hi"}]}).encode()
    sock = socket.create_connection((host, port))
    start = time.perf_counter()
    sock.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                 + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    event, first, arrivals, data = None, None, [], b""
    while True:
        piece = sock.recv(65536)
        if not piece:
            break
        data += piece
        now = time.perf_counter() - start
        if event is None and b"data:" in data:
            event = now  # the role chunk, which the mock sends at once: a first event held back shows here only
        for _ in range(data.count(b"word") - len(arrivals)):
            arrivals.append(now)
        if first is None and b"word1" in data:
            first = now
    sock.close()
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    return first * 1000, (time.perf_counter() - start) * 1000, (statistics.median(gaps) * 1000 if gaps else float("nan")), event * 1000


def streams(host, port, path, model, count):
    for _ in range(5):
        stream_once(host, port, path, model)
    samples = [stream_once(host, port, path, model) for _ in range(count)]
    return {"ttft": statistics.median(s[0] for s in samples), "total": statistics.median(s[1] for s in samples),
            "gap": statistics.median(s[2] for s in samples), "event": statistics.median(s[3] for s in samples)}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runtimes", default="payara,liberty")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--jit-warmup", type=int, default=90, help="seconds of saturating load after each gateway start, before any point")
    parser.add_argument("--stream-warmup", type=int, default=20, help="seconds of streamed load after the JIT warm-up")
    parser.add_argument("--warmup", type=int, default=10, help="seconds of load before measuring each point")
    parser.add_argument("--repeats", type=int, default=3, help="measured runs per point; medians are reported")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--saturation-connections", type=int, default=64)
    parser.add_argument("--streams", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="a few seconds per point, to check the harness works")
    parser.add_argument("--soak", type=float, metavar="MINUTES", help="instead of the benchmark: a steady mixed load this long per runtime, tracing on")
    parser.add_argument("--soak-connections", type=int, default=8)
    args = parser.parse_args()
    if args.soak:
        return soak(args)
    if args.quick:
        args.duration, args.warmup, args.repeats, args.streams, args.jit_warmup, args.stream_warmup = 2, 1, 1, 5, 2, 1

    sh(["./mvnw", "-q", "--batch-mode", "-DskipTests", "-Prun-liberty", "-Dexec.skip=true", "clean", "package"])
    scratch = tempfile.mkdtemp(prefix="gateway-bench-")
    stop_mock = start_mock(scratch)
    direct = f"http://127.0.0.1:{MOCK_PORT}"
    via = f"http://127.0.0.1:{GATEWAY_PORT}/v1/chat/completions"
    results = {"direct": {
        "d10": load(f"{direct}/d10/v1/chat/completions", "bench", args, args.connections),
        "d0": load(f"{direct}/d0/v1/chat/completions", "bench", args, args.saturation_connections),
        "stream": streams("127.0.0.1", MOCK_PORT, "/d0/v1/chat/completions", "bench", args.streams)}}
    try:
        for runtime in args.runtimes.split(","):
            for tracing in (False, True):
                with Gateway(runtime, tracing) as gateway:
                    key = f"{runtime}-{'on' if tracing else 'off'}"
                    # the JIT needs well over a minute of load on 2 shared cores: throughput still doubled between 10 s and 2 min
                    wrk(via, "bench0", args.jit_warmup, args.saturation_connections)
                    # the streaming path is code of its own: a few dozen streams left it interpreted (+0.5 ms to TTFT)
                    wrk(via, "bench0", args.stream_warmup, args.saturation_connections, stream=True)
                    results[key] = {
                        "startup": gateway.startup,
                        "d10": load(via, "bench10", args, args.connections),
                        "d0": load(via, "bench0", args, args.saturation_connections),
                        "stream": streams("127.0.0.1", GATEWAY_PORT, "/v1/chat/completions", "bench0", args.streams)}
                    results[key]["rss"] = gateway.rss_mb()
                    results[key]["spans"] = span_counts()
                    print(key, json.dumps(results[key]), flush=True)
    finally:
        stop_mock()
    write(results, args)


def heap_after_gc_mb(pid):
    jcmd = os.path.join(os.path.dirname(os.path.realpath(shutil.which(JAVA))), "jcmd")
    subprocess.run([jcmd, str(pid), "GC.run"], capture_output=True, check=True)
    out = subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"used (\d+)K", out).group(1)) / 1024


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def soak_run(url, seconds, connections):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", os.path.join(HERE, "soak.lua"), url],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(re.search(r"SOAK (\{.*\})", out).group(1))


def soak(args):
    """A bounded soak: warm up, note heap after GC and threads, run the mix for the given minutes, note them again."""
    sh(["./mvnw", "-q", "--batch-mode", "-DskipTests", "-Prun-liberty", "-Dexec.skip=true", "clean", "package"])
    scratch = tempfile.mkdtemp(prefix="gateway-soak-")
    stop_mock = start_mock(scratch)
    via = f"http://127.0.0.1:{GATEWAY_PORT}/v1/chat/completions"
    seconds = int(args.soak * 60)
    lines = [f"# Gateway soak {datetime.now(timezone.utc).strftime('%Y-%m-%dT%H%M%SZ')}", "",
             f"{os.cpu_count()} cores; tracing on; {args.soak_connections} connections for {seconds} s per runtime after 30 s of warm-up; "
             "per 20 requests: 13 plain (10 ms upstream), 3 streamed, 3 falling back past a failing provider, 1 injected error (502 expected).", "",
             "| runtime | requests | req/s | p50 ms | p99 ms | 200 | 502 (injected sent) | other statuses | socket errors | heap after GC MB, start → end | threads, start → end |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    failed = False
    try:
        for runtime in args.runtimes.split(","):
            with Gateway(runtime, True) as gateway:
                soak_run(via, 30, args.soak_connections)
                pid = gateway.java_pid()
                heap_start, threads_start = heap_after_gc_mb(pid), threads(pid)
                r = soak_run(via, seconds, args.soak_connections)
                heap_end, threads_end = heap_after_gc_mb(pid), threads(pid)
                statuses = r["statuses"]
                other = {code: count for code, count in statuses.items() if code not in ("200", "502")}
                # a request still in flight when wrk stops is counted as sent but not answered
                unexpected = bool(other) or r["socket_errors"] or abs(statuses.get("502", 0) - r["sent"]["injected"]) > args.soak_connections
                failed |= bool(unexpected)
                lines.append(f"| {runtime} | {r['requests']} | {r['requests'] / r['seconds']:.0f} | {ms(r['p50'])} | {ms(r['p99'])} | {statuses.get('200', 0)} | "
                             f"{statuses.get('502', 0)} ({r['sent']['injected']}) | {other or '—'} | {r['socket_errors']} | "
                             f"{heap_start:.0f} → {heap_end:.0f} | {threads_start} → {threads_end} |")
                print(lines[-1], flush=True)
    finally:
        stop_mock()
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    path = os.path.join(HERE, "results", lines[0].split()[-1] + "-soak.md")
    open(path, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines) + f"\n\nwritten to {os.path.relpath(path, ROOT)}")
    if failed:
        raise SystemExit("the soak saw errors beyond the injected ones")


def ms(us):
    return f"{us / 1000:.2f}"


def write(results, args):
    java = subprocess.run([JAVA, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    d = results["direct"]
    lines = [f"# Gateway benchmark {stamp}", "",
             f"Machine: {os.cpu_count()} cores, {platform.machine()}, {java}; load generator, mock and gateway share it.",
             f"Each gateway warmed up by {args.jit_warmup} s of saturating load after start and {args.stream_warmup} s of streamed load; then per point {args.repeats} × {args.duration} s after {args.warmup} s of warm-up; medians of the runs. "
             f"10 ms upstream at {args.connections} connections; saturation with a 0 ms upstream at {args.saturation_connections} connections.", "",
             "| setup | upstream | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | overhead p50 / p90 / p99 ms |",
             "|---|---|---|---|---|---|---|---|---|"]
    for key in ["direct"] + [k for k in results if k != "direct"]:
        for upstream in ("d10", "d0"):
            r = results[key][upstream]
            overhead = "—" if key == "direct" else " / ".join(ms(r[p] - d[upstream][p]) for p in ("p50", "p90", "p99"))
            lines.append(f"| {key} | {upstream[1:]} ms | {r['rps']:.0f} | {ms(r['p50'])} | {ms(r['p90'])} | {ms(r['p99'])} | {ms(r['max'])} | {r['errors']:.0f} | {overhead} |")
    lines += ["", "| setup | tracing cost (saturation req/s on ÷ off) | 10 ms throughput vs direct | TTFT ms (direct " + f"{d['stream']['ttft']:.1f})" + " | added TTFT ms | added first event ms | median chunk gap ms | stream total ms | RSS MB | start s | spans exported / dropped |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for runtime in sorted({k.split("-")[0] for k in results if k != "direct"}):
        for state in ("off", "on"):
            key = f"{runtime}-{state}"
            if key not in results:
                continue
            r = results[key]
            ratio = results[f"{runtime}-on"]["d0"]["rps"] / results[f"{runtime}-off"]["d0"]["rps"] if state == "on" else float("nan")
            lines.append(f"| {key} | {'' if state == 'off' else f'{ratio:.2f}'} | {r['d10']['rps'] / d['d10']['rps']:.2f} | {r['stream']['ttft']:.1f} | "
                         f"{r['stream']['ttft'] - d['stream']['ttft']:.2f} | {r['stream']['event'] - d['stream']['event']:.2f} | {r['stream']['gap']:.1f} | {r['stream']['total']:.1f} | {r['rss']:.0f} | {r['startup']:.1f} | "
                         f"{r['spans']['exported']:.0f} / {r['spans']['dropped']:.0f} |")
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    path = os.path.join(HERE, "results", f"{stamp}{'-quick' if args.quick else ''}.md")
    open(path, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten to {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
