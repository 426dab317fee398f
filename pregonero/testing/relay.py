"""Reach a server that must live in a loopback-only network namespace, from the tests' own loopback.

The Bluesky PDS binds every interface, so it runs inside ``unshare --net`` where the only
interface is a private loopback. A Unix socket crosses the namespace (the file system is
shared): inside, :func:`main` starts the server and relays the socket to its TCP port; outside,
:class:`TcpToUnix` listens on 127.0.0.1 and relays to the socket.

    unshare --net python -m pregonero.testing.relay SOCKET PORT -- node pds.mjs
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time

BUFFER = 65536


def _pipe(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(BUFFER):
            target.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


def _join(client: socket.socket, upstream: socket.socket) -> None:
    def run() -> None:
        other = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
        other.start()
        _pipe(client, upstream)
        other.join()
        client.close()
        upstream.close()

    threading.Thread(target=run, daemon=True).start()


def _serve(listener: socket.socket, connect) -> None:
    while True:
        try:
            client, _address = listener.accept()
        except OSError:
            return
        try:
            upstream = connect()
        except OSError:
            client.close()
            continue
        _join(client, upstream)


class TcpToUnix:
    """Listen on 127.0.0.1:``port`` and relay every connection to the Unix socket ``path``."""

    def __init__(self, port: int, path: str):
        self.path = path
        self.listener = socket.create_server(("127.0.0.1", port))
        threading.Thread(target=_serve, args=(self.listener, self._connect), daemon=True).start()

    def _connect(self) -> socket.socket:
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        upstream.connect(self.path)
        return upstream

    def close(self) -> None:
        self.listener.close()


class UnixToTcp:
    """Listen on the Unix socket ``path`` and relay every connection to ``host``:``port``: the
    other way round, for a server inside the namespace to reach one outside (PostgreSQL)."""

    def __init__(self, path: str, host: str, port: int):
        self.address = (host, port)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(64)
        threading.Thread(target=_serve, args=(self.listener, self._connect), daemon=True).start()

    def _connect(self) -> socket.socket:
        return socket.create_connection(self.address)

    def close(self) -> None:
        self.listener.close()


def _stop(child: subprocess.Popen) -> None:
    """Let the server close cleanly (the AppView drops its schemas) before leaving."""
    child.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=8)
    os._exit(0)


def _wait_for_port(port: int, child: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"the server exited with {child.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise SystemExit(f"the server did not listen on {port}")


def main(argv: list[str]) -> None:
    """Inside the namespace: bring loopback up, start the server, relay ``SOCKET`` to ``PORT``."""
    path, port, command = argv[0], int(argv[1]), argv[argv.index("--") + 1 :]
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)  # noqa: S607 - iproute2
    child = subprocess.Popen(command)  # noqa: S603 - the tests' own command
    signal.signal(signal.SIGTERM, lambda *_: _stop(child))
    _wait_for_port(port, child)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    print("RELAY READY", flush=True)
    _serve(listener, lambda: socket.create_connection(("127.0.0.1", port)))


if __name__ == "__main__":
    main(sys.argv[1:])
