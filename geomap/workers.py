"""Where articles are parsed: in this process, in a process pool (``--jobs N``), or on Dask
(``--dask`` starts a LocalCluster of ``--jobs`` workers; ``--scheduler ADDRESS`` joins a running
cluster). Each gives a :class:`concurrent.futures.Executor`, so the pipeline submits the same
tasks to all of them.
"""
from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Workers:
    """How many workers parse, and on what. ``processes=False`` keeps Dask workers as threads of
    this process (fast to start; for tests and small machines). A process pool starts only for
    ``min_pool`` articles or more: each of its processes loads the gazetteer again (about a second),
    which a few articles do not repay."""

    jobs: int = 1
    dask: bool = False
    scheduler: str | None = None
    processes: bool = True
    min_pool: int = 64

    @property
    def parallel(self) -> bool:
        """Whether parsing leaves this process's main thread."""
        return self.jobs > 1 or self.dask or self.scheduler is not None


@contextmanager
def executor(workers: Workers, articles: int) -> Iterator[Executor | None]:
    """An executor for ``workers`` to parse ``articles`` articles, or None to parse them in this
    process."""
    if workers.dask or workers.scheduler:
        with _dask_client(workers) as client:
            yield client.get_executor(pure=False)  # tasks named without hashing their articles
    elif workers.jobs > 1 and articles >= workers.min_pool:
        from concurrent.futures import ProcessPoolExecutor  # multiprocessing: 15 ms to import

        gc.freeze()  # forked workers' collections then leave this process's objects untouched
        try:
            with ProcessPoolExecutor(workers.jobs) as pool:
                yield pool
        finally:
            gc.unfreeze()
    else:
        yield None


@contextmanager
def _dask_client(workers: Workers) -> Iterator[object]:
    """A client of the cluster at ``workers.scheduler``, or of a new LocalCluster."""
    from distributed import Client, LocalCluster

    if workers.scheduler:
        with Client(workers.scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers.jobs, threads_per_worker=1, processes=workers.processes,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client
