"""An S3-compatible server on loopback for the tests of media kept in a bucket.

moto's server mode answers the S3 API over real HTTP, so django-storages and boto3 run
exactly as they would against a provider; it keeps everything in memory.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx


@dataclass
class S3Server:
    url: str
    process: subprocess.Popen

    def storage_options(self, bucket: str) -> dict:
        return {
            "bucket_name": bucket,
            "endpoint_url": self.url,
            "region_name": "eu-south-2",
            "access_key": "pregonero-test",
            "secret_key": "pregonero-test-secret",
            "addressing_style": "path",
            "default_acl": None,
            "file_overwrite": False,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name="eu-south-2",
            aws_access_key_id="pregonero-test",
            aws_secret_access_key="pregonero-test-secret",
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_s3_server(timeout: float = 30.0) -> S3Server:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The S3 test server stopped: {process.stderr.read().decode()[-2000:]}")
        try:
            httpx.get(f"{url}/moto-api/", timeout=1.0)
            return S3Server(url, process)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("The S3 test server did not answer in time.")
