"""gunicorn's settings for production (Dockerfile, docker-compose.yml) and for `make bench`, which measures
the same server: `gunicorn -c config/gunicorn.py config.wsgi`. https://docs.gunicorn.org/en/stable/settings.html

Worker processes: WEB_CONCURRENCY (gunicorn reads it itself; default 2), one per core.

Threads: `gthread` workers with WEB_THREADS threads each (default 4). A request spends much of its time
waiting for PostgreSQL (a check-in POST: a dozen round trips and a commit), and a sync worker sits idle
through every wait while the other requests queue; with threads, one thread's wait is another's turn on the
processor. Python runs one thread at a time per process, so more threads than a few per worker only add
contention; the processes are what use the cores. Each thread keeps its own database connection
(DB_CONN_MAX_AGE): WEB_CONCURRENCY x WEB_THREADS connections per web container, far under PostgreSQL's
default max_connections of 100. gthread also keeps clients' connections alive between requests.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# A worker that stops answering its heartbeat this long is restarted. With gthread the heartbeat comes from
# the worker's main loop, not from the request, so a long streamed export is not cut off by it.
timeout = 60
# The heartbeat file in memory, not on the container's overlay file system (gunicorn's FAQ).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - the FAQ's advice
