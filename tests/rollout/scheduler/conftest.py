"""A real SMTP server on loopback (aiosmtpd) that counts what it receives, and the settings that point golive at it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import pytest


@dataclass
class Inbox:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 - aiosmtpd's handler protocol
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                msg = message_from_bytes(envelope.original_content or envelope.content)
                msg["X-Envelope-To"] = rcpt
                self.messages.append(msg)
        return "250 OK"

    def received(self) -> list[tuple[str, str]]:
        with self.lock:
            return sorted((m["X-Envelope-To"], m["Subject"]) for m in self.messages)

    def env(self) -> dict[str, str]:
        return {"GOLIVE_SMTP_HOST": self.host, "GOLIVE_SMTP_PORT": str(self.port), "GOLIVE_SMTP_FROM": "golive@test.example"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    inbox = Inbox("127.0.0.1", free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    for key, value in inbox.env().items():
        monkeypatch.setenv(key, value)
    try:
        yield inbox
    finally:
        controller.stop()
