"""``manage.py serve``: the web server (gunicorn) and the background worker (Huey) as one command.

Both run as child processes, each in its own process group; Ctrl-C (SIGINT) or SIGTERM to this command
stops both: gunicorn with SIGTERM (finishes the requests in flight), Huey with SIGINT (finishes the tasks
in flight), SIGKILL for whatever is still running after ``--stop-timeout`` seconds. When either child
exits on its own, the other is stopped too and the command exits non-zero, so a supervisor sees it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError

STOP_SIGNALS = {"web": signal.SIGTERM, "worker": signal.SIGINT}


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the child gets SIGTERM if this command is killed without a chance to stop it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Command(BaseCommand):
    help = "Serve with gunicorn and run the Huey consumer; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--bind", default="", help="host:port (default 127.0.0.1:PORT)")
        parser.add_argument("--no-worker", action="store_true", help="Web server only.")
        parser.add_argument("--stop-timeout", type=float, default=30.0)
        parser.add_argument("--verbose-worker", action="store_true", help="Log every task the worker runs.")

    def handle(self, *args, port, bind, no_worker, stop_timeout, verbose_worker, **options):
        from django.conf import settings

        from exoclinic import gunicorn_conf

        bind = bind or f"127.0.0.1:{port}"
        env = {**os.environ, "BIND": bind, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        commands = {
            "web": [sys.executable, "-m", "gunicorn", "-c", "python:exoclinic.gunicorn_conf"],
        }
        if not no_worker:
            quiet = [] if verbose_worker else ["--quiet"]
            commands["worker"] = [sys.executable, "-m", "django", "run_huey", *quiet]
        extra = {"preexec_fn": _die_with_parent} if sys.platform.startswith("linux") else {}
        children = {
            name: subprocess.Popen(command, env=env, process_group=0, **extra)  # noqa: S603
            for name, command in commands.items()
        }
        queue = "Redis" if "Redis" in settings.HUEY.get("huey_class", "") else "SQLite"
        self.stdout.write(
            f"Serving on http://{bind}/ with gunicorn ({gunicorn_conf.workers} workers x "
            f"{gunicorn_conf.threads} threads)"
            + ("" if no_worker else f" and the background worker (Huey on {queue})")
            + ". Ctrl-C stops both."
        )
        self.stdout.flush()

        stopping: list[int] = []

        def on_signal(signum, frame):
            stopping.append(signum)

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, on_signal)

        failed = None
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    failed = (name, child.returncode)
                    break
            if failed:
                break
            time.sleep(0.2)
        self._stop(children, stop_timeout)
        if failed:
            name, code = failed
            raise CommandError(f"The {name} process exited with status {code}; stopped the rest.")

    def _stop(self, children: dict[str, subprocess.Popen], timeout: float) -> None:
        for name, child in children.items():
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, STOP_SIGNALS[name])
        deadline = time.monotonic() + timeout
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
