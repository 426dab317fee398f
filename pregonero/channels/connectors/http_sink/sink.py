"""A tiny HTTP peer for tests and benchmarks: it acknowledges posts and remembers them all.

    sink = Sink(dedupe=True).start()      # listens on 127.0.0.1, a free port
    sink.url                              # POST here; GET sink.url?key=... looks a key up
    sink.fail_next(2, status=503, retry_after="7")
    sink.hang_next(after=1); sink.entered.wait(); ...; sink.release()
    sink.crash_next()                     # take the post, then drop the connection unanswered
    sink.posts_for(key)                   # remote ids created for a key (more than one: duplicate)
    sink.stop()

A scripted failure publishes nothing. A hang or a crash publishes first, as a real network
that accepted the request and then failed to answer would have. With ``dedupe`` a repeated
``Idempotency-Key`` gets the first answer again and publishes nothing new.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HANG_LIMIT = 60.0


@dataclass(frozen=True)
class _Failure:
    status: int
    retry_after: str | None


class Sink:
    def __init__(self, *, dedupe: bool = False):
        self.dedupe = dedupe
        self.calls: list[dict] = []
        self.posts: dict[str, list[str]] = {}
        self.entered = threading.Event()
        self._released = threading.Event()
        self._script: deque[_Failure | str] = deque()
        self._lock = threading.Lock()
        self._next_id = 0
        self._server: ThreadingHTTPServer | None = None

    # Scripted misbehaviour, consumed one call at a time in order.
    def fail_next(self, count: int = 1, *, status: int = 503, retry_after: str | None = None) -> None:
        with self._lock:
            self._script.extend(_Failure(status, retry_after) for _ in range(count))

    def hang_next(self, *, after: int = 0) -> None:
        """Answer ``after`` calls normally, then take the next post and wait for release()."""
        self.entered.clear()
        self._released.clear()
        with self._lock:
            self._script.extend(["ok"] * after + ["hang"])

    def release(self) -> None:
        self._released.set()

    def crash_next(self) -> None:
        with self._lock:
            self._script.append("crash")

    def posts_for(self, key: str) -> list[str]:
        with self._lock:
            return list(self.posts.get(key, []))

    def duplicates(self) -> int:
        """How many posts were created beyond the first for some key."""
        with self._lock:
            return sum(len(ids) - 1 for ids in self.posts.values() if len(ids) > 1)

    def post_count(self) -> int:
        with self._lock:
            return sum(len(ids) for ids in self.posts.values())

    def calls_per_key(self) -> Counter:
        with self._lock:
            return Counter(call["key"] for call in self.calls if call["method"] == "POST")

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the sink first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/posts"

    def start(self) -> Sink:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="sink", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.release()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _publish(self, key: str, body: dict) -> tuple[int, dict, _Failure | str | None]:
        with self._lock:
            self.calls.append({"method": "POST", "key": key, "body": body})
            action = self._script.popleft() if self._script else None
            if isinstance(action, _Failure):
                return action.status, {"error": "scripted failure"}, action
            existing = self.posts.get(key)
            if self.dedupe and existing:
                return 200, self._answer(existing[0]), action
            self._next_id += 1
            remote_id = str(self._next_id)
            self.posts.setdefault(key, []).append(remote_id)
            return 201, self._answer(remote_id), action

    def _lookup(self, key: str) -> dict | None:
        with self._lock:
            self.calls.append({"method": "GET", "key": key, "body": None})
            ids = self.posts.get(key)
            return self._answer(ids[0]) if ids else None

    def _answer(self, remote_id: str) -> dict:
        return {"id": remote_id, "url": f"{self.url.rsplit('/', 1)[0]}/@sink/{remote_id}"}


def _handler_for(sink: Sink) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as the networks offer: the benchmark measures Pregonero, not TCP set-up.
        protocol_version = "HTTP/1.1"
        # Without this, small answers wait for delayed ACKs: about 40 ms per call on Linux.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            status, payload, action = sink._publish(self.headers.get("Idempotency-Key", ""), body)
            if action == "crash":
                self.close_connection = True
                self.connection.close()
                return
            if action == "hang":
                sink.entered.set()
                sink._released.wait(HANG_LIMIT)
            headers = {}
            if isinstance(action, _Failure) and action.retry_after is not None:
                headers["Retry-After"] = action.retry_after
            self._send(status, payload, headers)

        def do_GET(self) -> None:
            key = parse_qs(urlsplit(self.path).query).get("key", [""])[0]
            found = sink._lookup(key)
            self._send(200 if found else 404, found or {"error": "not found"}, {})

        def _send(self, status: int, payload: dict, headers: dict[str, str]) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                # The caller went away (killed worker): nothing to answer to.
                self.close_connection = True

    return Handler
