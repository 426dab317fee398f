"""Connectors for tests: small limits so short texts exercise threads, refusals and media checks."""

from __future__ import annotations

from pregonero.channels.connectors.base import Capabilities, Connector, Limits

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100


class ThreadingNetwork(Connector):
    key = "test_threads"
    name = "Threading network"
    capabilities = Capabilities(thread=True, media=True)
    limits = Limits(
        max_length=50,
        max_thread=3,
        max_media=4,
        max_image_bytes=1_000,
        image_types=("image/png", "image/jpeg"),
        max_alt_text=100,
    )


class PlainNetwork(Connector):
    key = "test_plain"
    name = "Plain network"
    capabilities = Capabilities(media=True, video=True)
    limits = Limits(max_length=50, max_image_bytes=10_000, max_video_bytes=100_000)


FAKES = {
    "test_threads": "pregonero.publishing.tests.fakes.ThreadingNetwork",
    "test_plain": "pregonero.publishing.tests.fakes.PlainNetwork",
}
