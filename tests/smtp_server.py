"""A real SMTP server for the mail tests (aiosmtpd): STARTTLS with a certificate made here,
AUTH with one account, and an inbox of what arrived, parsed. The fixtures `certificate` and
`smtp` (tests/conftest.py) start it."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

PUBLIC = "https://walkapp.example.se"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What the SMTP server accepted: one parsed message per recipient, in arrival order."""

    def __init__(self, delay: float = 0.0):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.delay = delay
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.delay:  # a slow server, so a kill lands before the mail is taken
            time.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(parsed)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"walkapp" and auth_data.password == b"s3cret pass"
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


class SmtpServer:
    def __init__(self, certificate, delay: float = 0.0):
        self.cert, self.key = certificate
        self.inbox = Inbox(delay)
        self.port = free_port()
        self.controller = None

    def start(self):
        """Listen (again, after a stop: a new controller on the same port and inbox)."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        self.controller = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=context,
            require_starttls=True,
            authenticator=authenticate,
            auth_require_tls=True,
        )
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def settings(self) -> dict:
        return {
            "SMTP_URL": f"smtp://walkapp:s3cret%20pass@127.0.0.1:{self.port}",
            "SMTP_CA_FILE": str(self.cert),
            "PUBLIC_URL": PUBLIC,
            "MAIL_FROM": "Trygghetsvandringar <noreply@walkapp.example.se>",
        }


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (key and certificate files in folder)."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key
