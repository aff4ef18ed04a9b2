"""A real gunicorn server on the embedded SQLite, started and killed by tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GunicornServer:
    def __init__(
        self,
        instance: Path,
        port: int | None = None,
        workers: int = 2,
        threads: int = 4,
        env: dict | None = None,
        dev_server: bool = False,
        serve: bool = False,
    ):
        """dev_server=True runs Flask's own threaded development server instead (for comparison);
        serve=True runs `walkapp serve` (gunicorn under Litestream when WALKAPP_REPLICA_URL is
        set in env), so kill() stops Litestream and gunicorn together."""
        self.dev_server = dev_server
        self.serve = serve
        self.instance = instance
        self.port = port or free_port()
        self.workers = workers
        self.threads = threads
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "WALKAPP_INSTANCE": str(instance),
            "WALKAPP_RATELIMIT_ENABLED": "false",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> GunicornServer:
        if self.serve:
            command = [
                sys.executable,
                "-m",
                "walkapp",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
            ]
        elif self.dev_server:
            command = [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "walkapp.wsgi:app",
                "run",
                "--port",
                str(self.port),
                "--with-threads",
            ]
        else:
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--graceful-timeout",
                "2",
                "--logger-class",
                "walkapp.access_log.RedactingLogger",
                "walkapp.wsgi:app",
            ]
        log = self._log() if self.serve else None
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            # Litestream logs as it goes: a file, so a long run never blocks on a full pipe.
            stderr=log or subprocess.PIPE,
            start_new_session=True,
        )
        if log:
            log.close()  # the child has its own copy
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.errors()[-2000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:  # not listening yet, or busy starting
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer in time")

    def _log(self):
        self.log_path = self.instance.parent / f"serve-{self.port}.log"
        return open(self.log_path, "wb")

    def errors(self) -> str:
        if self.serve:
            return self.log_path.read_text(errors="replace")
        return self.process.stderr.read().decode()

    def kill(self) -> None:
        """SIGKILL the master and its workers at once: no cleanup, as in a crash."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
