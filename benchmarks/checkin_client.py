"""The check-in load of `make bench` (bench.py's http stage), run in a process of its own.

Reads one JSON object on stdin: {"port", "seconds", "run", "clients": [[token, [case ids]], ...]}; starts
one thread per client, each with one keep-alive connection (http.client, nothing else imported: no Django),
POSTing check-ins with an Idempotency-Key for `seconds`; a dropped connection is retried once with the same
key. Writes one JSON object on stdout: every latency, the ids of the acknowledged check-ins (bench.py checks
each is stored), the errors, the wall time, and this process's own CPU time, so that the figure says what
the clients took of the machine the server shares.

Apart from bench.py so that the load generator neither shares a GIL with the bench's Django process nor
pays for its imports: the clients are as light as a client can be in Python, and their CPU is reported.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import resource
import sys
import threading
import time
import uuid

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def main() -> int:
    spec = json.load(sys.stdin)
    port, seconds, run = spec["port"], float(spec["seconds"]), spec["run"]
    latencies: list[float] = []
    acknowledged: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Event()
    stop_at = [0.0]

    def client(token: str, cases: list[int]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {
            **PROXY_HEADERS,
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
        }
        mine_latencies: list[float] = []
        mine_acknowledged: list[int] = []
        mine_errors: list[str] = []
        n = 0
        start.wait()
        while time.monotonic() < stop_at[0]:
            body = json.dumps(
                {
                    "supervisee": cases[n % len(cases)],
                    "kind": "phone",
                    "occurred_at": dt.datetime.now(dt.UTC).isoformat(),
                    "notes": f"bench {run}",
                }
            )
            headers["Idempotency-Key"] = str(uuid.uuid4())
            n += 1
            for attempt in range(2):
                mark = time.perf_counter()
                try:
                    connection.request("POST", "/api/v1/checkins/", body, headers)
                    response = connection.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    if attempt:
                        mine_errors.append(repr(error))
                    continue
                mine_latencies.append(time.perf_counter() - mark)
                if response.status in (200, 201):
                    mine_acknowledged.append(json.loads(payload)["id"])
                else:
                    mine_errors.append(f"{response.status} {payload[:200]!r}")
                break
        connection.close()
        with lock:
            latencies.extend(mine_latencies)
            acknowledged.extend(mine_acknowledged)
            errors.extend(mine_errors)

    threads = [threading.Thread(target=client, args=tuple(args)) for args in spec["clients"]]
    for thread in threads:
        thread.start()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    stop_at[0] = started + seconds
    start.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    json.dump(
        {
            "latencies": latencies,
            "acknowledged": acknowledged,
            "errors": errors,
            "seconds": elapsed,
            "cpu_s": cpu,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
