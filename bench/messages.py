#!/usr/bin/env python3
"""The Messages API's cost, in one run on Payara Micro with tracing on: the time to the first content event of a
stream passed through to an Anthropic upstream and of one translated over an OpenAI upstream, against the same
upstreams directly and against chat completions; and saturation of /v1/messages (both ways) against chat
completions. See README.md beside this file. Build first: ./mvnw -DskipTests package"""
import argparse, json, os, re, socket, statistics, subprocess, tempfile, time
from datetime import datetime, timezone

import run

HERE = os.path.dirname(os.path.abspath(__file__))


def stream_once(port, path, body):
    sock = socket.create_connection(("127.0.0.1", port))
    start = time.perf_counter()
    sock.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nanthropic-version: 2023-06-01\r\n"
                 + b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    first, data = None, b""
    while True:
        piece = sock.recv(65536)
        if not piece:
            break
        data += piece
        if first is None and b"word1" in data:
            first = time.perf_counter() - start
    sock.close()
    if first is None or b"word5" not in data:
        raise SystemExit(f"{path}: not a whole stream: {data[-400:]!r}")
    return first * 1000, (time.perf_counter() - start) * 1000


def streams(port, path, body, count):
    for _ in range(5):
        stream_once(port, path, body)
    samples = [stream_once(port, path, body) for _ in range(count)]
    return {"ttfe": statistics.median(s[0] for s in samples), "total": statistics.median(s[1] for s in samples)}


def wrk(url, model, seconds, connections, api):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", os.path.join(HERE, "chat.lua"), url],
                         capture_output=True, text=True, env=dict(os.environ, BENCH_MODEL=model, BENCH_API=api), check=True).stdout
    result = json.loads(re.search(r"RESULT (\{.*\})", out).group(1))
    result["rps"] = result["requests"] / result["seconds"]
    if result["errors"]:
        raise SystemExit(f"{url} {model}: {result['errors']} errors: {result}")
    return result


def saturation(url, model, api, args):
    wrk(url, model, args.warmup, 64, api)
    runs = [wrk(url, model, args.duration, 64, api) for _ in range(args.repeats)]
    return {key: statistics.median(r[key] for r in runs) for key in ("rps", "p50", "p99")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jit-warmup", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--streams", type=int, default=50)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="bench-messages-")
    stop_mock = run.start_mock(scratch)
    mock, gw = run.MOCK_PORT, run.GATEWAY_PORT
    chat = lambda model: json.dumps({"model": model, "stream": True, "messages": [{"role": "user", "content": "hi"}]}).encode()
    messages = lambda model: json.dumps({"model": model, "max_tokens": 64, "stream": True, "messages": [{"role": "user", "content": "hi"}]}).encode()
    env = {"GATEWAY_PROVIDERS": "d10,d0,fail,anthropic0",
           "GATEWAY_PROVIDER_ANTHROPIC0_TYPE": "anthropic", "GATEWAY_PROVIDER_ANTHROPIC0_BASE_URL": f"http://127.0.0.1:{mock}/a0/v1",
           "GATEWAY_PROVIDER_ANTHROPIC0_API_KEY": "sk-ant-bench-0123456789abcdef", "GATEWAY_PROVIDER_ANTHROPIC0_MODEL": "bench-model",
           "GATEWAY_MODELS": "bench10,bench0,fallback,broken,claude0", "GATEWAY_MODEL_CLAUDE0_ROUTING": "anthropic0"}
    results = {}
    try:
        results["direct"] = {
            "chat": streams(mock, "/d0/v1/chat/completions", chat("bench-model"), args.streams),
            "messages": streams(mock, "/a0/v1/messages", messages("bench-model"), args.streams)}
        with run.Gateway("payara", tracing=True, env=env) as gateway:
            base = f"http://127.0.0.1:{gw}"
            wrk(f"{base}/v1/chat/completions", "bench0", args.jit_warmup // 2, 64, "chat")
            wrk(f"{base}/v1/messages", "bench0", args.jit_warmup // 4, 64, "messages")
            wrk(f"{base}/v1/messages", "claude0", args.jit_warmup // 4, 64, "messages")
            results["gateway"] = {
                "chat": streams(gw, "/v1/chat/completions", chat("bench0"), args.streams),
                "translated": streams(gw, "/v1/messages", messages("bench0"), args.streams),
                "passed": streams(gw, "/v1/messages", messages("claude0"), args.streams)}
            results["saturation"] = {
                "chat": saturation(f"{base}/v1/chat/completions", "bench0", "chat", args),
                "translated": saturation(f"{base}/v1/messages", "bench0", "messages", args),
                "passed": saturation(f"{base}/v1/messages", "claude0", "messages", args),
                "direct-anthropic": saturation(f"http://127.0.0.1:{mock}/a0/v1/messages", "bench-model", "messages", args)}
            results["rss_mb"] = gateway.rss_mb()
    finally:
        stop_mock()
    write(results, args)


def write(results, args):
    d, g, s = results["direct"], results["gateway"], results["saturation"]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    lines = [f"# Messages API benchmark {stamp}", "",
             f"Payara Micro, tracing on (every span exported to the nginx sink), {os.cpu_count()} cores; `python3 bench/messages.py`"
             f" (JIT warm-up {args.jit_warmup} s; {args.streams} streams per row; saturation: 64 connections, 0 ms upstream,"
             f" {args.repeats} × {args.duration} s after {args.warmup} s, medians).", "",
             "| stream (5 deltas 20 ms apart) | time to first content event, ms | added by the gateway, ms | whole stream, ms |", "|---|---|---|---|",
             f"| chat completions over OpenAI | {g['chat']['ttfe']:.2f} | {g['chat']['ttfe'] - d['chat']['ttfe']:+.2f} | {g['chat']['total']:.1f} |",
             f"| Messages translated over OpenAI | {g['translated']['ttfe']:.2f} | {g['translated']['ttfe'] - d['chat']['ttfe']:+.2f} | {g['translated']['total']:.1f} |",
             f"| Messages passed through to Anthropic | {g['passed']['ttfe']:.2f} | {g['passed']['ttfe'] - d['messages']['ttfe']:+.2f} | {g['passed']['total']:.1f} |",
             f"| direct: OpenAI mock / Anthropic mock | {d['chat']['ttfe']:.2f} / {d['messages']['ttfe']:.2f} | — | {d['chat']['total']:.1f} / {d['messages']['total']:.1f} |",
             "", "| saturation (whole answers) | req/s | ratio to chat completions | p50 ms | p99 ms |", "|---|---|---|---|---|"]
    for name, label in (("chat", "chat completions over OpenAI"), ("translated", "Messages translated over OpenAI"),
                        ("passed", "Messages passed through to Anthropic"), ("direct-anthropic", "direct: Anthropic mock")):
        row = s[name]
        lines.append(f"| {label} | {row['rps']:.0f} | {row['rps'] / s['chat']['rps']:.2f} | {row['p50'] / 1000:.2f} | {row['p99'] / 1000:.2f} |")
    lines += ["", f"Resident memory after the load: {results['rss_mb']:.0f} MB."]
    path = os.path.join(HERE, "results", f"{stamp}-messages.md")
    open(path, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print("written", path)


if __name__ == "__main__":
    main()
