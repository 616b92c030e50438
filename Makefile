# The two commands of the README: `make run` and `make test`. Everything else is a step
# they call. Works on a fresh Debian machine with Python 3.11 (as root, system packages
# are installed too; otherwise install them yourself: see SYSTEM_PACKAGES).

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SYSTEM_PACKAGES := chromium fonts-noto-cjk libharfbuzz-subset0 poppler-utils libpango-1.0-0 libpangoft2-1.0-0 \
  libreoffice-writer-nogui
# The free 仿宋/楷体/黑体 faces of the PDFs (FandolFang, FandolKai, FandolHei), without TeX's recommends.
FONT_PACKAGES := texlive-lang-chinese
CHARTJS_VERSION := 4.5.1
PLAN_FILE ?= fixtures/plan_2022.yaml
RUN_MARKER := var/run/serving
# DEMO=0: never write the demo, not even into an empty database (a real deployment).
DEMO ?= 1

# `make test` runs the tests in parallel, one process per CPU (at most 4), each with its own
# test database, broker folder or Redis keys, cache keys, live server and chromium;
# TEST_PROCESSES=0 runs them in one process. Tests marked xdist_group share a process.
TEST_PROCESSES ?= auto
# The accessibility checker the browser tests inject into every page (tests/browser/test_accessibility.py).
AXE_VERSION := 4.11.0

.PHONY: run test test-fast setup sysdeps venv static axe db demo lint prod prod-secret clean screenshots report-previews FORCE

run: setup db $(RUN_MARKER)   ## start web + Celery worker + scheduler on the embedded defaults (DEBUG off unless DEBUG=1)

# The last step of `make run`. A file target, not a phony one: on SIGINT or SIGHUP make
# deletes it before waiting for its children, which is how scripts/run learns that the
# operator stopped make (SIGTERM make forwards itself). See scripts/run.
$(RUN_MARKER): FORCE
	@echo "== 衡阳市营商环境攻坚行动监测平台: http://$${WEB_HOST:-127.0.0.1}:$${WEB_PORT:-8000}/  (Ctrl-C or SIGTERM to make's pid stops everything)"
	$(PY) scripts/run $@ --demo-clock start

FORCE:

test: setup                 ## run every test (unit, integration, real worker, browser)
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q -n $(TEST_PROCESSES) --maxprocesses 4 --dist loadgroup $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 5 ] && echo "no tests collected" && exit 1; exit $$rc

test-fast: venv             ## the unit tests alone (no database, browser or worker), in one process: under a minute
	$(PY) -m pytest -q -m unit $(PYTEST_ARGS)

setup: sysdeps venv static axe

sysdeps:                    ## Debian packages: CJK fonts for PDFs, chromium for browser tests
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "please install these Debian packages:$$missing"; fi; \
	fi
	@missing=""; for p in $(FONT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "please install these Debian packages (--no-install-recommends):$$missing"; fi; \
	fi

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	touch $@

static: static/vendor/chart.umd.min.js
static/vendor/chart.umd.min.js:     ## Chart.js from the npm registry, kept locally for offline use
	mkdir -p var/npm static/vendor
	cd var/npm && npm install --silent --no-audit --no-fund chart.js@$(CHARTJS_VERSION) >/dev/null
	cp var/npm/node_modules/chart.js/dist/chart.umd.min.js var/npm/node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/ 2>/dev/null || \
	  cp var/npm/node_modules/chart.js/dist/chart.umd.min.js static/vendor/

axe: var/npm/node_modules/axe-core/axe.min.js
var/npm/node_modules/axe-core/axe.min.js:   ## axe-core from the npm registry, for the accessibility test
	mkdir -p var/npm
	cd var/npm && npm install --silent --no-audit --no-fund axe-core@$(AXE_VERSION) >/dev/null

db: venv                    ## every start: migrate; an empty database also gets the plan and the demo (DEMO=0: not the demo)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py prepare_run --plan-file $(PLAN_FILE) $(if $(filter 0,$(DEMO)),--no-demo)

demo: db                    ## the demo, on request (refused once real figures exist)
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_reports

screenshots: setup           ## README pictures: each role's pages from the demo at 1366 px and 390 px → docs/screenshots/
	$(PY) scripts/screenshots.py

report-previews: setup db demo   ## PNG pages of dispatch 2022-06, bulletin 2022Q2 and 2022Q4 (PDF and Word via LibreOffice) in var/previews/
	$(PY) manage.py report_previews

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf var/db.sqlite3 var/test.sqlite3* var/broker var/broker-gw* var/media var/run

# `make prod`: behind a TLS proxy (Secure cookies, HSTS, X-Forwarded-Proto trusted) with
# collected, hashed static files. Each can still be overridden from the environment.
PROD_ENV = DEBUG=0 BEHIND_TLS_PROXY=$${BEHIND_TLS_PROXY:-1} STATIC_MANIFEST=$${STATIC_MANIFEST:-1}

prod: prod-secret setup     ## production: gunicorn (2 workers) + whitenoise, Celery worker and beat; DEBUG=0, needs SECRET_KEY
	$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(PROD_ENV) $(PY) manage.py migrate --noinput
	$(PROD_ENV) $(PY) manage.py refresh_status  # stored statuses of every month in use (after a deploy that changed the rules)
	$(PROD_ENV) $(PY) manage.py collectstatic --noinput -v0
	@echo "== production mode: http://$${WEB_HOST:-127.0.0.1}:$${WEB_PORT:-8000}/ (put the TLS proxy in front; Ctrl-C to stop)"
	$(PROD_ENV) $(PY) scripts/run var/run/serving-prod -f Procfile.prod start  # SIGTERM to make stops everything

# Every machine of a production site shares one key (sessions, password-reset links), so
# `make prod` wants it given; `make run` generates one into var/secret_key instead.
prod-secret:
	@test -n "$$SECRET_KEY" || { echo "make prod 需要 SECRET_KEY 环境变量(例如 export SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'))"; exit 1; }
