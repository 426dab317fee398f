"""gunicorn settings for Pregonero in production.

Use it with ``pregonero serve --config /opt/pregonero/deploy/gunicorn.conf.py`` (or
``gunicorn -c deploy/gunicorn.conf.py pregonero.wsgi:application``). Options given on
the command line win over this file. Every value can be changed with the environment
variable named next to it.
"""

import os

# Behind a reverse proxy on the same machine: listen on loopback only.
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers, one request each: about two per CPU core is a good start. Each worker
# holds at most one database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# Slow uploads and exports must finish; a stuck worker is replaced after this many seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
# Restart workers now and then so that a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# Access log to standard output (journald or the container log collects it).
accesslog = "-"
errorlog = "-"
# Trust X-Forwarded-* only from the proxy on this machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The control socket would live in $HOME, which the systemd unit makes read-only.
control_socket_disable = True
