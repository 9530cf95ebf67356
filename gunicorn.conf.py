"""gunicorn's settings for Golden Thread: `gunicorn -c gunicorn.conf.py` (see README).

Read from the environment like every other setting. It binds to loopback unless told
otherwise: a reverse proxy (or the compose file) puts it on the network and sets
X-Forwarded-Proto, which the production settings trust for HTTPS.
"""

import os

wsgi_app = "goldenthread.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes × threads is how many requests are served at once. Pages and report downloads
# are mostly database and template work, so a few threads per process serve well.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# Uploads and committee-paper downloads can take a while; the report files themselves are
# made by the worker process, never in a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter), so no slow leak grows.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
# Access log to standard output, with the time taken (microseconds), for the platform's logs.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only the proxy in front (loopback by default) is trusted for X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "goldenthread-web"
# No runtime control socket (gunicornc): nothing uses it, and several servers share a host.
control_socket_disable = True
