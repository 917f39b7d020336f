"""Web load benchmark: ``bitext serve`` on 127.0.0.1 under 50 concurrent keep-alive clients.

Three runs against the same server, one after the other, each ``--duration`` seconds:

* ``mix``: readers' pages, drawn in turn: the library, a short document (the UDHR), the
  longest demo document (the PRC Constitution, 380 rows), a search and a concordance;
* ``documents``: document pages only (both documents, the three views): what the reader's
  page costs on its own, since in the mix every client also waits for the other pages;
* ``floor``: ``/robots.txt``, a trivial route of the same app behind the same middleware:
  what the framework and the server cost with next to no work (the reference).

Every client keeps one HTTP/1.1 connection and asks for gzip, as browsers do (no
``If-None-Match``: every answer is a whole page). Printed: per page kind and in all,
requests/s, p50/p95/p99 latency, and the floor's rate over the documents' rate (target:
within 3x). The library is built once in ``--db`` (demo UDHR and Constitution).

The load generator runs on the same machine, and other jobs may too: each run also prints
the load average before it and the server's CPU time per request (user + system of the
server and its workers, from /proc), which other jobs on the machine hardly change.

    python bench/web.py [--clients 50] [--duration 60] [--workers 1] [--db /tmp/web-bench.db]

Figures are printed, never asserted (see STYLE.md). The last line is ``key=value ...``.
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

MIX = {
    "library": "/",
    "document_short": "/documents/udhr-1948",
    "document_long": "/documents/prc-constitution-2018",
    "search": "/search?q=rights",
    "concordance": "/concordance?q=people",
}
DOCUMENTS = {
    "short": "/documents/udhr-1948",
    "long": "/documents/prc-constitution-2018",
    "long_original": "/documents/prc-constitution-2018?view=original",
    "short_translation": "/documents/udhr-1948?view=translation",
}
FLOOR = {"floor": "/robots.txt"}
DEMO = ("udhr-1948", "prc-constitution-2018")
RUN_CLI = "import sys; sys.argv[0] = 'bitext'; from bitext.cli import main; main()"


def build_library(db_path: Path) -> None:
    from bitext.services.demo import DEMO_DIR
    from bitext.services.file_import import add_from_files, prepare_import
    from bitext.services.library import open_library

    database = open_library(f"sqlite:///{db_path}")
    try:
        from sqlalchemy import select

        from bitext.store.schema import Document
        with database.reader() as session:
            present = set(session.scalars(select(Document.slug)))
        for slug in DEMO:
            if slug not in present:
                folder = DEMO_DIR / slug
                add_from_files(database, prepare_import(
                    folder / "original.txt", folder / "translation.txt", folder / "meta.json"))
    finally:
        database.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def fetch(reader, writer, path: str) -> int:
    """One GET on a kept-alive connection; returns the status. Reads the whole body."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n"
                 "Connection: keep-alive\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def client(port: int, paths: list[tuple[str, str]], offset: int, stop: float,
                 samples: dict[str, list[float]], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    turn = offset
    try:
        while time.perf_counter() < stop:
            kind, path = paths[turn % len(paths)]
            turn += 1
            started = time.perf_counter()
            status = await fetch(reader, writer, path)
            samples[kind].append(time.perf_counter() - started)
            if status != 200:
                errors.append(f"{path}: {status}")
    finally:
        writer.close()


async def load(port: int, pages: dict[str, str], clients: int, duration: float):
    paths = list(pages.items())
    samples: dict[str, list[float]] = {kind: [] for kind in pages}
    errors: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(client(port, paths, i, start + duration, samples, errors)
                           for i in range(clients)))
    return samples, time.perf_counter() - start, errors


def server_cpu_s(pid: int) -> float:
    """CPU seconds used so far by process ``pid`` and its children (uvicorn's workers)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def measured(pid: int, port: int, pages: dict[str, str], clients: int, duration: float):
    """``load`` with the load average printed before it and the server's CPU time after."""
    print(f"-- load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    cpu = server_cpu_s(pid)
    samples, elapsed, errors = asyncio.run(load(port, pages, clients, duration))
    requests = sum(len(values) for values in samples.values())
    cpu_us = (server_cpu_s(pid) - cpu) / max(requests, 1) * 1e6
    print(f"server CPU per request: {cpu_us:.0f} us")
    return samples, elapsed, errors, cpu_us


def quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def report(label: str, latencies: list[float], elapsed: float) -> dict[str, float]:
    figures = {"rps": len(latencies) / elapsed, "p50": quantile(latencies, 0.50) * 1000,
               "p95": quantile(latencies, 0.95) * 1000, "p99": quantile(latencies, 0.99) * 1000}
    print(f"{label:<18} {len(latencies):>8} {figures['rps']:>9.1f} {figures['p50']:>8.1f} "
          f"{figures['p95']:>8.1f} {figures['p99']:>8.1f}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bitext-web-bench.db"))
    args = parser.parse_args()

    build_library(args.db)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, "--db", str(args.db), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(args.workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env={**os.environ})
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        weight = len(urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{port}{MIX['document_long']}",
            headers={"Accept-Encoding": "gzip"})).read())
        print(f"server: bitext serve --workers {args.workers}; {args.clients} clients, "
              f"{args.duration:.0f} s per run; {os.cpu_count()} CPUs")
        print(f"longest document page: {weight / 1000:.1f} KB gzip-compressed")
        print(f"{'page':<18} {'requests':>8} {'req/s':>9} "
              f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        samples, elapsed, errors, mix_cpu = measured(server.pid, port, MIX, args.clients,
                                                     args.duration)
        mix = {kind: report(kind, values, elapsed) for kind, values in samples.items()}
        everything = [v for values in samples.values() for v in values]
        total = report("mix (all)", everything, elapsed)
        documents = samples["document_short"] + samples["document_long"]
        docs = report("mix documents", documents, elapsed)
        print("-- documents only (first, each page once: its cold render, as after an edit)")
        for kind, path in DOCUMENTS.items():
            started = time.perf_counter()
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}").read()
            print(f"cold {kind:<17} {(time.perf_counter() - started) * 1000:>8.1f} ms")
        only_samples, only_elapsed, only_errors, only_cpu = measured(
            server.pid, port, DOCUMENTS, args.clients, args.duration)
        for kind, values in only_samples.items():
            report(kind, values, only_elapsed)
        only = report("documents (all)", [v for values in only_samples.values() for v in values],
                      only_elapsed)
        print("-- floor")
        floor_samples, floor_elapsed, floor_errors, floor_cpu = measured(
            server.pid, port, FLOOR, args.clients, args.duration)
        floor = report("floor (robots)", floor_samples["floor"], floor_elapsed)
        errors += only_errors + floor_errors
        print(f"non-200 answers: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
        ratio = floor["rps"] / total["rps"] if total["rps"] else float("inf")
        only_ratio = floor["rps"] / only["rps"] if only["rps"] else float("inf")
        print(f"floor over mix: {ratio:.1f}x; floor over documents only: {only_ratio:.1f}x "
              "(target: documents within 3x, >= 300/s, p99 < 200 ms)")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(" ".join([
        f"workers={args.workers}", f"clients={args.clients}", f"duration_s={args.duration:.0f}",
        f"mix_rps={total['rps']:.1f}", f"mix_p99_ms={total['p99']:.1f}",
        f"documents_rps={docs['rps']:.1f}", f"documents_p99_ms={docs['p99']:.1f}",
        f"document_long_p99_ms={mix['document_long']['p99']:.1f}",
        f"documents_only_rps={only['rps']:.1f}", f"documents_only_p99_ms={only['p99']:.1f}",
        f"floor_rps={floor['rps']:.1f}", f"floor_p99_ms={floor['p99']:.1f}",
        f"floor_over_mix={ratio:.2f}", f"floor_over_documents={only_ratio:.2f}",
        f"mix_cpu_us={mix_cpu:.0f}", f"documents_only_cpu_us={only_cpu:.0f}",
        f"floor_cpu_us={floor_cpu:.0f}",
        f"long_page_gzip_kb={weight / 1000:.1f}",
        f"errors={len(errors)}",
    ]))


if __name__ == "__main__":
    main()
