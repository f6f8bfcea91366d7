#!/usr/bin/env bash
# Run crm_plus's whole test suite (server tests, browser tests in headless Chromium,
# the HTTP trust-boundary suite, and the mail suite through a real SMTP server) on a throwaway site with ERPNext, payments and this checkout installed.
# The checkout is linked into the bench for the run and the previous link restored
# afterwards. Ends with the line "N passed, N failed"; exits non-zero on any failure.
#
#   bash scripts/test.sh
#
# Settings: TEST_SITE (test-crm-plus.localhost), TEST_PORT (8123), MAIL_PORT (2525, the
# SMTP sink's, on 127.0.0.1), KEEP_SITE=1 to keep
# the site for a look afterwards, plus the sources and BENCH_DIR of scripts/lib.sh (a
# missing bench is created first, as scripts/setup.sh does).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# CI=true, as CI services set it, makes Frappe run every job of a worker as in a unit test
# (its mail never reaches the SMTP server, what it enqueues runs inline): only the server
# tests get it; the other suites run real workers
unset CI
TEST_SITE="${TEST_SITE:-test-crm-plus.localhost}"
TEST_PORT="${TEST_PORT:-8123}"
ADMIN_PASSWORD="admin"
MAIL_DIR="$BENCH_DIR/.crm_plus_mail"  # a virtualenv with aiosmtpd, the SMTP sink
MAIL_PORT="${MAIL_PORT:-2525}"
LOG_DIR="$(mktemp -d)"
SERVER_PID=""

cleanup() {
	set +e
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	if [ "${KEEP_SITE:-0}" != 1 ] && [ -d "$BENCH_DIR/sites/$TEST_SITE" ]; then
		bench_in "$BENCH_DIR" --site "$TEST_SITE" execute crm_plus.tests.jobs.purge >/dev/null 2>&1
		drop_site "$TEST_SITE"
	fi
	if restore_previous_link; then
		bench_in "$BENCH_DIR" build --app crm_plus >/dev/null 2>&1  # its assets, not the tested checkout's
	fi
	stop_started_redis
	rm -rf "$LOG_DIR"
}
trap cleanup EXIT

# --- services, bench, this checkout ---------------------------------------------
use_this_checkout
[ -d "$BENCH_DIR/sites/assets/frappe/dist" ] || { log "Building assets"; bench_in "$BENCH_DIR" build; }
bench_in "$BENCH_DIR" build --app crm_plus >"$LOG_DIR/build.log" 2>&1 \
	|| { cat "$LOG_DIR/build.log"; die "Could not build crm_plus's assets"; }

# --- a fresh site -----------------------------------------------------------------
if [ -d "$BENCH_DIR/sites/$TEST_SITE" ]; then
	log "Dropping the leftover test site $TEST_SITE"
	drop_site "$TEST_SITE"
fi
log "Creating test site $TEST_SITE (ERPNext, payments, crm_plus)"
bench_in "$BENCH_DIR" new-site "$TEST_SITE" --admin-password "$ADMIN_PASSWORD" \
	--db-root-password "$DB_ROOT_PASSWORD" \
	--install-app erpnext --install-app payments --install-app crm_plus >"$LOG_DIR/new-site.log" 2>&1 \
	|| { cat "$LOG_DIR/new-site.log"; die "Could not create the test site"; }
bench_in "$BENCH_DIR" --site "$TEST_SITE" set-config allow_tests true >/dev/null
# jobs an earlier run queued for a site of this name are not this site's
bench_in "$BENCH_DIR" --site "$TEST_SITE" execute crm_plus.tests.jobs.purge
# the suites start and kill their own workers: one they did not start would take their jobs
busy="$(bench_in "$BENCH_DIR" --site "$TEST_SITE" execute crm_plus.tests.jobs.listening_workers 2>/dev/null | grep -E '^\[' || true)"
[ -z "$busy" ] || die "Workers are listening on this bench's job queues: $busy. Stop them (bench start, supervisor) and run the tests again; the tests start their own."
# the suites make more users in an hour than Frappe's sign-up throttle (60) lets a live site make
bench_in "$BENCH_DIR" --site "$TEST_SITE" set-config --parse throttle_user_limit 5000 >/dev/null

# --- server tests -------------------------------------------------------------------
log "Running server tests"
set +e
CI=true bench_in "$BENCH_DIR" --site "$TEST_SITE" run-tests --app crm_plus 2>&1 | tee "$LOG_DIR/server.log"
server_rc=${PIPESTATUS[0]}
set -e
ran="$(grep -oE '^Ran [0-9]+ tests?' "$LOG_DIR/server.log" | tail -1 | grep -oE '[0-9]+' || echo 0)"
fails="$(grep -oE '^FAILED \(.*\)' "$LOG_DIR/server.log" | tail -1 || true)"
n_fail="$(grep -oE 'failures=[0-9]+' <<<"$fails" | grep -oE '[0-9]+' || echo 0)"
n_err="$(grep -oE 'errors=[0-9]+' <<<"$fails" | grep -oE '[0-9]+' || echo 0)"
n_skip="$(grep -oE 'skipped=[0-9]+' "$LOG_DIR/server.log" | tail -1 | grep -oE '[0-9]+' || echo 0)"
server_failed=$((n_fail + n_err))
if [ "$server_rc" -ne 0 ] && [ "$server_failed" -eq 0 ]; then server_failed=1; fi  # crashed before counting
server_passed=$((ran - n_fail - n_err - n_skip))

# --- browser tests ---------------------------------------------------------------------
log "Running browser tests"
ensure_browser
bench_in "$BENCH_DIR" --site "$TEST_SITE" execute crm_plus.tests.browser_fixtures.prepare >/dev/null
(cd "$BENCH_DIR" && exec bench --site "$TEST_SITE" serve --port "$TEST_PORT" >"$LOG_DIR/serve.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 60); do
	curl -fs -o /dev/null "http://127.0.0.1:$TEST_PORT/api/method/ping" && break
	sleep 1
done
set +e
BASE_URL="http://127.0.0.1:$TEST_PORT" ADMIN_PASSWORD="$ADMIN_PASSWORD" BENCH_DIR="$BENCH_DIR" TEST_SITE="$TEST_SITE" \
	NODE_PATH="$BROWSER_DIR/node_modules" CHROMIUM_PATH="$CHROMIUM_PATH" \
	node --test --test-reporter=tap "$CRM_PLUS_DIR"/crm_plus/tests/browser/*.test.js 2>&1 | tee "$LOG_DIR/browser.log"
browser_rc=${PIPESTATUS[0]}
set -e
browser_passed="$(grep -oE '^# pass [0-9]+' "$LOG_DIR/browser.log" | grep -oE '[0-9]+' || echo 0)"
browser_failed="$(grep -oE '^# fail [0-9]+' "$LOG_DIR/browser.log" | grep -oE '[0-9]+' || echo 0)"
if [ "$browser_rc" -ne 0 ] && [ "$browser_failed" -eq 0 ]; then browser_failed=1; fi
if [ "$browser_rc" -ne 0 ]; then tail -40 "$LOG_DIR/serve.log"; fi

# --- HTTP trust-boundary suite (docs/security.md), against the same served site ---------------
log "Running the HTTP trust-boundary suite"
set +e
(cd "$BENCH_DIR/sites" && PYTHONWARNINGS=ignore ../env/bin/python -m crm_plus.tests.http.run --site "$TEST_SITE" \
	--base-url "http://127.0.0.1:$TEST_PORT") 2>&1 | tee "$LOG_DIR/http.log"
http_rc=${PIPESTATUS[0]}
set -e
http_passed="$(grep -oE '^HTTP: [0-9]+ passed' "$LOG_DIR/http.log" | grep -oE '[0-9]+' || echo 0)"
http_failed="$(grep -oE '^HTTP: [0-9]+ passed, [0-9]+ failed' "$LOG_DIR/http.log" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)"
if [ "$http_rc" -ne 0 ] && [ "$http_failed" -eq 0 ]; then http_failed=1; fi
if [ "$http_rc" -ne 0 ]; then tail -40 "$LOG_DIR/serve.log"; fi

# --- mail suite: a real SMTP server (aiosmtpd, on loopback), what it receives parsed ---------
log "Running the mail suite through a real SMTP server on 127.0.0.1:$MAIL_PORT"
if [ ! -x "$MAIL_DIR/bin/python" ] || ! "$MAIL_DIR/bin/python" -c "import aiosmtpd" 2>/dev/null; then
	"$PYTHON" -m venv "$MAIL_DIR"
	"$MAIL_DIR/bin/pip" install -q aiosmtpd 2>&1 | grep -v "^WARNING: Location" || true
fi
set +e
(cd "$BENCH_DIR/sites" && PYTHONWARNINGS=ignore BASE_URL="http://127.0.0.1:$TEST_PORT" NODE_PATH="$BROWSER_DIR/node_modules" \
	CHROMIUM_PATH="$CHROMIUM_PATH" ../env/bin/python -m crm_plus.tests.mail.run --site "$TEST_SITE" \
	--base-url "http://127.0.0.1:$TEST_PORT" --sink-python "$MAIL_DIR/bin/python" --port "$MAIL_PORT" --bench-dir "$BENCH_DIR") \
	2>&1 | tee "$LOG_DIR/mail.log"
mail_rc=${PIPESTATUS[0]}
set -e
mail_passed="$(grep -oE '^MAIL: [0-9]+ passed' "$LOG_DIR/mail.log" | grep -oE '[0-9]+' || echo 0)"
mail_failed="$(grep -oE '^MAIL: [0-9]+ passed, [0-9]+ failed' "$LOG_DIR/mail.log" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)"
if [ "$mail_rc" -ne 0 ] && [ "$mail_failed" -eq 0 ]; then mail_failed=1; fi
if [ "$mail_rc" -ne 0 ]; then tail -40 "$LOG_DIR/serve.log"; fi

passed=$((server_passed + browser_passed + http_passed + mail_passed))
failed=$((server_failed + browser_failed + http_failed + mail_failed))
echo
echo "server: $server_passed passed, $server_failed failed; browser: $browser_passed passed, $browser_failed failed; http: $http_passed passed, $http_failed failed; mail: $mail_passed passed, $mail_failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
