"""Settings for the Hengyang business-environment tracker.

Everything that differs between machines comes from the environment (or a `.env` file
beside manage.py); `.env.example` lists every variable. Defaults are the embedded ones:
SQLite in the project folder and a filesystem Celery broker, so that one command runs the
whole system on a fresh machine.
"""

import os
from datetime import date
from pathlib import Path

import environ

from hengyang_ybe.envvars import BASE_DIR, env, env_bool, env_int, secret_key_from_file

VAR_DIR = BASE_DIR / "var"  # runtime state of the embedded defaults (db, broker, media)

# Off unless asked for: an error page never lists the URLs or shows a traceback (with the
# settings in it) to whoever triggered it. DEBUG=1 on a developer's machine.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env.str("SECRET_KEY", default="") or secret_key_from_file(
    Path(env.str("SECRET_KEY_FILE", default=str(VAR_DIR / "secret_key")))
)
# The loopback names `make run` answers on, plus the address it binds (WEB_HOST).
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=list(dict.fromkeys(["localhost", "127.0.0.1", "[::1]", "testserver", env.str("WEB_HOST", default="127.0.0.1")])),
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_celery_beat",
    "django_celery_results",
    "simple_history",
    "hengyang_ybe.apps.AxesConfig",  # django-axes under a Chinese name in admin
    "hengyang_ybe.apps.SiteConfig",  # site-wide wiring (the session's idle clock)
    # Ours, bottom layer first: actions ← indicators ← reports.
    "actions",
    "indicators",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hengyang_ybe.middleware.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hengyang_ybe.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hengyang_ybe.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "actions.context_processors.membership",
            ],
        },
    },
]

WSGI_APPLICATION = "hengyang_ybe.wsgi.application"

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Keep connections between requests, and check them before use so that a restarted
    # PostgreSQL costs one failed request at most, not a restart of the app.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    # Several processes (web, worker, beat) and the web server's threads share the SQLite
    # file. Every transaction takes the write lock when it begins (IMMEDIATE), so a busy
    # database means waiting up to `timeout` seconds, never "database is locked" on a read
    # that wants to become a write; WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")
    # Django's SQLite backend, which tries a BEGIN or a lone statement again when the
    # database stayed busy past `timeout` (hengyang_ybe/db/sqlite3), for this long more.
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["ENGINE"] = "hengyang_ybe.db.sqlite3"
SQLITE_BUSY_RETRY_SECONDS = env_int("SQLITE_BUSY_RETRY_SECONDS", 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "actions.validators.MinimumLengthValidator"},  # Chinese message
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A session ends after this many seconds without a request (default 2 hours;
# hengyang_ybe.middleware.IdleTimeoutMiddleware), and optionally when the browser closes.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 2 * 3600)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: five failed logins lock the account for 15 minutes, from whatever address
# the next try comes; and an address with AXES_IP_FAILURE_LIMIT failures over any
# usernames (a password sprayed across accounts) is refused for the same time
# (hengyang_ybe.login_throttle). Behind the TLS proxy the client address is the one the
# proxy saw (last X-Forwarded-For entry).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_HANDLER = "hengyang_ybe.login_throttle.ThrottlingHandler"
AXES_CLIENT_IP_CALLABLE = "hengyang_ybe.login_throttle.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "zh-hans"
# Chinese for the third-party admin pages whose packages ship none (django-axes) or ship
# it uncompiled (django-celery-results): locale/zh_Hans/LC_MESSAGES/django.po.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
# The demo's fixed date (YYYY-MM-DD), read through actions/clock.py: `make run` sets it for
# its processes when the database holds the demo, so that the demo shows one moment just
# after its plan's year. Unset (every real deployment): the real date.
try:
    DEMO_TODAY = date.fromisoformat(env.str("DEMO_TODAY")) if env.str("DEMO_TODAY", default="") else None
except ValueError:
    raise environ.ImproperlyConfigured(f"DEMO_TODAY must be a date YYYY-MM-DD, got {env.str('DEMO_TODAY')!r}") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise looks there too (filled by collectstatic)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# `make prod` runs collectstatic and serves hashed, compressed, long-cached files
# (STATIC_MANIFEST=1). Otherwise (`make run`, tests) WhiteNoise serves the source folders
# directly, with DEBUG off as well, and no collectstatic is needed.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG and not STATIC_MANIFEST

# `make test` runs the tests in parallel processes (pytest-xdist names them gw0, gw1, …;
# empty outside the tests). Each has its own broker folder, Redis broker keys and cache
# keys, so that a real worker started by one never takes another's jobs and one clearing
# its cache leaves the other's alone; pytest-django gives each its own test database. The
# worker processes the tests start inherit the name, so they agree with their test process.
TEST_PROCESS = os.environ.get("PYTEST_XDIST_WORKER", "")

# Cache of results drawn from several months of stored status rows (scorecards, rankings,
# page fragments; indicators.status.cache.rows_cached). Kept under the time those months'
# rows were refreshed, so any backend is safe: each process's memory by default, Redis
# (shared by every web and worker process) when CACHE_URL is set.
CACHE_URL = env.str("CACHE_URL", default="")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    # Short timeouts: a stopped Redis refuses at once, a hung one costs at most 0.5 s to
    # connect or 1 s to answer; indicators.status.cache then computes as if there were no cache.
    CACHES = {
        "default": {
            "BACKEND": "hengyang_ybe.cache.RedisCache",  # clear() empties only its KEY_PREFIX's keys
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": TEST_PROCESS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
elif CACHE_URL:
    raise environ.ImproperlyConfigured(f"CACHE_URL must be a redis:// URL (or empty: each process's memory), not {CACHE_URL!r}")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "hengyang-results",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
RESULT_CACHE = env_bool("RESULT_CACHE", True)
RESULT_CACHE_SECONDS = env_int("RESULT_CACHE_SECONDS", 7 * 24 * 3600)
# Stored statuses (indicators.status) are refreshed after each write's commit: in the
# saving request (False, city size), or queued to Celery (True, province size; pages then
# say 数据更新于 HH:MM and that an update is pending).
STATUS_REFRESH_ASYNC = env_bool("STATUS_REFRESH_ASYNC", False)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="衡阳市优化办 <noreply@localhost>")

# 发文字号 prefixes of the office's two document series: 衡优化办通〔2022〕3号.
REPORT_NUMBER_PREFIX_BULLETIN = env.str("REPORT_NUMBER_PREFIX_BULLETIN", default="衡优化办通")
REPORT_NUMBER_PREFIX_DISPATCH = env.str("REPORT_NUMBER_PREFIX_DISPATCH", default="衡优化办调度")
# A running report build touches its heartbeat every REPORT_HEARTBEAT_SECONDS; one silent
# for REPORT_HEARTBEAT_TIMEOUT seconds has lost its worker: the page offers a retry and
# the sweep (every minute) fails it. Tests shorten both.
REPORT_HEARTBEAT_SECONDS = env_int("REPORT_HEARTBEAT_SECONDS", 10)
REPORT_HEARTBEAT_TIMEOUT = env_int("REPORT_HEARTBEAT_TIMEOUT", 60)

# Celery: the filesystem transport needs no server; production sets redis:// or amqp://.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
BROKER_DIR = Path(env.str("BROKER_DIR", default=str(VAR_DIR / (f"broker-{TEST_PROCESS}" if TEST_PROCESS else "broker"))))
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport expects its folders to exist.
    for sub in ("out", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Else kombu writes its exchange table to ./control in whatever folder a process starts in.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-job leaves the job on the queue
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
AXES_VERBOSE = False
# Error reports (DEBUG pages, mails) mask the password of every URL setting (broker, cache).
DEFAULT_EXCEPTION_REPORTER_FILTER = "hengyang_ybe.security.SecretsReporterFilter"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so that a real Celery worker started by the tests sees the
    # same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# Chart.js for the dashboards: from a pinned CDN file with subresource integrity (the
# sha384 of that exact published file, the same one `make static` installs from npm into
# static/vendor/), falling back in the browser to the local copy when the CDN cannot be
# reached (government intranets). CHARTJS_LOCAL=1 skips the CDN (tests, CI, offline).
CHARTJS_CDN_URL = "https://cdn.jsdelivr.net/npm/chart.js@4.5.1/dist/chart.umd.min.js"
CHARTJS_SRI = "sha384-jb8JQMbMoBUzgWatfe6COACi2ljcDdZQ2OxczGA3bGNeWe+6DChMTBJemed7ZnvJ"
CHARTJS_LOCAL = env_bool("CHARTJS_LOCAL", False)

if not CELERY_BROKER_URL.startswith("filesystem://"):
    # Redis hands an unacknowledged job (its worker died) to another worker after this
    # many seconds. Keep it above the longest job; tests lower it to see the retry.
    _visibility = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": _visibility}
    if TEST_PROCESS:  # queues, unacknowledged jobs and broadcasts apart per test process
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"{TEST_PROCESS}:"
    if _visibility < 60:  # tests: look for abandoned jobs every second, not every 100
        CELERY_BROKER_TRANSPORT_OPTIONS |= {"unacked_restore_interval": 1, "unacked_restore_throttle": 1}

# -- Production hardening (issue 6; `make prod`, README "Production mode") -------------
# Every switch reads the environment; the https-only ones default on behind the proxy, so that
# `DEBUG=0 BEHIND_TLS_PROXY=1 SECRET_KEY=… ALLOWED_HOSTS=… manage.py check --deploy` (what
# `make prod` runs) is clean as shipped.
# The app is meant to sit behind a TLS-terminating proxy (nginx) on the same machine:
# the proxy redirects http → https and sets X-Forwarded-Proto, which Django then trusts.
# `make prod` sets BEHIND_TLS_PROXY=1; `make run` serves plain http on loopback, where
# Secure cookies would never come back and HSTS would mean nothing, so the https-only
# switches below follow whether the site is served over https, not DEBUG.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off by default: the proxy redirects. Set SECURE_SSL_REDIRECT=1 if Django faces the network.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
HTTPS = BEHIND_TLS_PROXY or SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SILENCED_SYSTEM_CHECKS = list(globals().get("SILENCED_SYSTEM_CHECKS", []))
# W006 wants the address among the lockout parameters; ThrottlingHandler limits each
# address on its own instead (AXES_IP_FAILURE_LIMIT), so one NAT office is not locked at 5.
SILENCED_SYSTEM_CHECKS.append("axes.W006")
if not SECURE_SSL_REDIRECT:
    # W008 asks Django to redirect to https itself; the TLS proxy in front does it.
    SILENCED_SYSTEM_CHECKS.append("security.W008")

# Content-Security-Policy (django-csp): scripts only from this site, the Chart.js CDN
# (added per request from settings.CHARTJS_CDN_URL by hengyang_ybe.security) or inline
# with the request's nonce: <script nonce="{{ request.csp_nonce }}">. Style attributes
# stay allowed (bar widths, colours); everything else is same-origin only.
from csp import constants as csp_constants  # noqa: E402  (kept beside its use: an appended block)

INSTALLED_APPS += ["csp"]
MIDDLEWARE += ["hengyang_ybe.security.ContentSecurityPolicyMiddleware"]
TEMPLATES[0]["OPTIONS"]["context_processors"].append("csp.context_processors.nonce")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Benchmarks (bench/run, bench/load): BENCH=1 mounts bench/urls.py (the product's URLs plus
# a trivial "floor" page to measure against). Never set in production.
BENCH = env_bool("BENCH", False)
if BENCH:
    ROOT_URLCONF = "bench.urls"

# 催报 to group robots (reports.webhooks): REMINDER_WEBHOOKS is JSON, unit code → the
# WeCom or DingTalk robot URL of that unit's group, and "default" → the robot of a group
# for every other unit, e.g. {"hengnan": "https://qyapi.weixin.qq.com/cgi-bin/webhook/
# send?key=…", "default": "https://oapi.dingtalk.com/robot/send?access_token=…"}. A bad
# value stops the start-up; a robot that is down is logged as a failed delivery.
from reports.webhooks import WebhookConfigError, parse_robots  # noqa: E402  (pure module, no Django)

try:
    REMINDER_WEBHOOKS = parse_robots(env.str("REMINDER_WEBHOOKS", default=""))
except WebhookConfigError as _exc:
    raise environ.ImproperlyConfigured(str(_exc)) from None
REMINDER_WEBHOOK_TIMEOUT = env_int("REMINDER_WEBHOOK_TIMEOUT", 3)  # seconds per robot message, in all
