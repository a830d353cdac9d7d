"""gunicorn settings: ``make run`` (through ``manage.py serve``), the benchmarks and production.

    gunicorn -c python:exoclinic.gunicorn_conf exoclinic.wsgi:application

Every value can be changed from the environment: ``PORT`` (8000) on 127.0.0.1, or ``BIND`` (host:port) to
listen elsewhere; ``WEB_CONCURRENCY`` worker processes (2 per CPU + 1); ``GUNICORN_THREADS`` threads per
worker (4). gthread workers accept every connection at once and queue the requests for their threads, so a
burst of clients waits for an answer instead of being reset (runserver's listen queue holds only a few).
"""

from __future__ import annotations

import os

_cpus = os.cpu_count() or 1

wsgi_app = "exoclinic.wsgi:application"
bind = [os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * _cpus + 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Connections the kernel keeps waiting before a worker accepts them (capped by net.core.somaxconn), and
# connections one worker holds open at a time: both well above a clinic's burst.
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
worker_connections = 1000
keepalive = 5
# A worker whose heartbeat stops for this long is restarted; a SQLite write waits up to 60 s for the lock.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# The heartbeat file in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None  # "-" for stdout
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "exoclinic"
control_socket_disable = True  # gunicorn 27+: no management socket in the home folder, shared by every run
# Behind a TLS proxy on another host, set FORWARDED_ALLOW_IPS to its address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
