"""Running a batch of pairs on Dask: workers align, this process is the one writer.

``bitext align --batch`` and ``bitext add --batch`` both come here. Workers run the
functions of ``batch_tasks`` (core only); each result comes back to this process, which
hands it to a :class:`Sink` (files, or the library through the services) one at a time,
so SQLite keeps its single writer. A pair that fails, in the worker or in the writer, is
reported and skipped; anything else (the cluster going away) stops the batch, and a
re-run resumes: the sink says which pairs it holds already, by content hash.

Only a bounded number of pairs is in flight at once, so the client's memory and the
scheduler's queue stay small whatever the size of the corpus.
"""

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import dask
from dask.distributed import Client, LocalCluster, as_completed

from bitext.errors import BitextError, InputError
from bitext.services.batch_tasks import PairFailure

CONNECT_TIMEOUT_S = 10
IN_FLIGHT_PER_THREAD = 3  # enough queued work that no worker waits for the writer

BatchProgress = Callable[[int, int, int], None]
"""Told (pairs finished, pairs to run, sentences aligned) after each pair."""


class Sink(Protocol):
    """Where a batch's results go; ``write`` raises a ``BitextError`` to refuse one."""

    def write(self, result: Any) -> None: ...


@dataclass
class BatchReport:
    aligned: int = 0  # pairs aligned and written in this run
    already_done: int = 0  # pairs a previous run had written (same content hash)
    sentences: int = 0  # sentences aligned in this run, both sides
    seconds: float = 0.0
    failures: list[PairFailure] = field(default_factory=list)


def cluster_size() -> int:
    """The CPUs this process may use (its affinity, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


@contextmanager
def dask_client(
    scheduler: str | None = None, workers: int | None = None, *, processes: bool = True,
    connect_timeout_s: float = CONNECT_TIMEOUT_S,
) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler`` (``tcp://HOST:PORT``), else of a local
    cluster of ``workers`` single-threaded workers (default: one per CPU) that ends with
    the block. ``processes=False`` keeps the workers in this process (for tests)."""
    if scheduler is not None:
        client = _connected(scheduler, connect_timeout_s)
        try:
            yield client
        finally:
            client.close()
        return
    if workers is not None and workers < 1:
        raise InputError("--workers must be at least 1")
    with local_cluster(workers or cluster_size(), processes=processes) as cluster, \
            Client(cluster) as client:
        yield client


@contextmanager
def local_cluster(workers: int, *, processes: bool = True) -> Iterator[LocalCluster]:
    """Single-threaded workers without Dask's sampling profiler: it walks the task's
    Python stack every 10 ms, and the encoder is Python-heavy enough that this halved
    the throughput (Bible chapters, 1 worker: 169 sentences/s with it, 235 without, 244
    in one process without Dask; an existing cluster should set
    ``distributed.worker.profile.enabled: false`` too). The scheduler always serves HTTP
    (health, metrics): ":0" gives it a free port."""
    with (dask.config.set({"distributed.worker.profile.enabled": False}),
          LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                       dashboard_address=":0", silence_logs=logging.CRITICAL) as cluster):
        yield cluster


def _connected(address: str, timeout_s: float) -> Client:
    try:
        return Client(address, timeout=timeout_s)
    except (OSError, ValueError, TypeError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"cannot reach the Dask scheduler at {address}: {reason}") from None


def run_batch(
    client: Client, jobs: Iterable[Any], total: int, task: Callable[[Any], Any], sink: Sink,
    progress: BatchProgress | None = None, report: BatchReport | None = None,
) -> BatchReport:
    """Run ``task`` on every job (each with a ``name``; a ``PairFailure`` among them is
    reported as it is) and write each result to ``sink`` as it arrives."""
    report = report or BatchReport()
    started = time.monotonic()
    threads = max(1, sum(client.nthreads().values()))
    limit = IN_FLIGHT_PER_THREAD * threads
    queue = iter(jobs)
    names: dict[Any, str] = {}
    running = as_completed()
    finished = 0

    def tell() -> None:
        if progress is not None:
            progress(finished, total, report.sentences)

    def submit_more() -> None:
        nonlocal finished
        while len(names) < limit:
            job = next(queue, None)
            if job is None:
                return
            if isinstance(job, PairFailure):
                report.failures.append(job)
                finished += 1
                continue
            future = client.submit(task, job, pure=False)
            names[future] = job.name
            running.add(future)

    tell()
    submit_more()
    for future in running:
        name = names.pop(future)
        result = _result(future, name)
        if isinstance(result, PairFailure):
            report.failures.append(result)
        else:
            try:
                sink.write(result)
            except BitextError as error:
                report.failures.append(PairFailure(name, error.message))
            else:
                report.aligned += 1
                report.sentences += result.sentences
        finished += 1
        tell()
        submit_more()
    tell()
    report.seconds = time.monotonic() - started
    return report


def _result(future: Any, name: str) -> Any:
    """The task's result, or the failure of this pair alone; a cancelled task means the
    cluster went away, which stops the batch (a re-run resumes)."""
    try:
        return future.result()
    except CancelledError:
        raise BitextError("the Dask cluster stopped before the batch was done; run the "
                          "same command again to resume") from None
    except Exception as error:  # a worker's bug or death must not stop the other pairs
        reason = str(error).splitlines()[0] if str(error) else ""
        return PairFailure(name, f"{type(error).__name__}: {reason}".rstrip(": "))
    finally:
        future.release()
