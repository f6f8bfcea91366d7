#!/usr/bin/env bash
# A production bench, proved: a new site with ERPNext, payments and this checkout gets crm_plus
# data; scripts/production.sh turns the bench into a production bench (nginx, supervisor,
# gunicorn, workers, scheduler); crm_plus/tests/production.py then logs in over nginx on port
# 80, opens the CRM Plus workspace and every crm_plus report, makes crm_plus's hourly and daily
# jobs due and checks in the database that the bench's own scheduler and workers ran them and
# what they did, with their mail going out through Frappe's scheduled flush to an SMTP server
# on loopback. Last, the bench's and nginx's error logs must have no new server errors.
# About 9 minutes; not part of scripts/test.sh (it changes the machine: nginx, supervisor).
#
#   bash scripts/production_test.sh
#
# At the end the site is dropped and nginx's config rewritten without it; nginx and
# supervisor are stopped again if they were not running before (KEEP_PRODUCTION=1 keeps
# them running), so that the test command, which runs its own workers, can run next.
# Settings: PRODUCTION_SITE (prod-crm-plus.localhost), MAIL_PORT (2527), KEEP_SITE=1 to keep
# the site, plus the sources and BENCH_DIR of scripts/lib.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
unset CI  # a worker started with CI set runs its jobs as in a unit test (see test.sh)

PRODUCTION_SITE="${PRODUCTION_SITE:-prod-crm-plus.localhost}"
MAIL_PORT="${MAIL_PORT:-2527}"
MAIL_DIR="$BENCH_DIR/.crm_plus_mail"
WORK_DIR="$(mktemp -d)"
WAS_RUNNING=""
for service_name in supervisor nginx; do
	if service "$service_name" status >/dev/null 2>&1; then WAS_RUNNING="$WAS_RUNNING $service_name"; fi
done

cleanup() {
	set +e
	if [ "${KEEP_SITE:-0}" != 1 ]; then
		drop_site "$PRODUCTION_SITE"
		# (Frappe-style access log, without the "main" log format only the ansible-made nginx.conf defines)
		bench_in "$BENCH_DIR" setup nginx --yes --log_format none >/dev/null 2>&1 && $SUDO service nginx reload >/dev/null 2>&1
	fi
	restore_previous_link
	if [ "${KEEP_PRODUCTION:-0}" = 1 ] || [[ "$WAS_RUNNING" == *supervisor* ]]; then
		bench_in "$BENCH_DIR" restart >/dev/null 2>&1  # the processes load the checkout linked now
	fi
	if [ "${KEEP_PRODUCTION:-0}" != 1 ]; then
		for service_name in supervisor nginx; do
			[[ "$WAS_RUNNING" == *"$service_name"* ]] || $SUDO service "$service_name" stop >/dev/null 2>&1
		done
	fi
	rm -rf "$WORK_DIR"
}
trap cleanup EXIT

use_this_checkout
ensure_browser
if [ ! -x "$MAIL_DIR/bin/python" ] || ! "$MAIL_DIR/bin/python" -c "import aiosmtpd" 2>/dev/null; then
	"$PYTHON" -m venv "$MAIL_DIR"
	"$MAIL_DIR/bin/pip" install -q aiosmtpd 2>&1 | grep -v "^WARNING: Location" || true
fi

drop_site "$PRODUCTION_SITE"
log "Creating $PRODUCTION_SITE (ERPNext, payments, crm_plus) with crm_plus data"
bench_in "$BENCH_DIR" new-site "$PRODUCTION_SITE" --admin-password admin --db-root-password "$DB_ROOT_PASSWORD" \
	--install-app erpnext --install-app payments --install-app crm_plus >"$WORK_DIR/new-site.log" 2>&1 \
	|| { cat "$WORK_DIR/new-site.log"; die "Could not create $PRODUCTION_SITE"; }
bench_in "$BENCH_DIR" --site "$PRODUCTION_SITE" execute crm_plus.tests.backup_restore.make_data
STARTED_REDIS=()  # Redis started for making the site: production.sh hands it over to supervisor

log "Turning the bench into a production bench (scripts/production.sh)"
bash "$CRM_PLUS_DIR/scripts/production.sh"

logs=("$BENCH_DIR"/logs/{web,worker,schedule}.error.log /var/log/nginx/error.log)
declare -A sizes
for f in "${logs[@]}"; do sizes[$f]="$(stat -c %s "$f" 2>/dev/null || echo 0)"; done

log "Proving the production bench over nginx on port 80"
set +e
(cd "$BENCH_DIR/sites" && PYTHONWARNINGS=ignore NODE_PATH="$BROWSER_DIR/node_modules" CHROMIUM_PATH="$CHROMIUM_PATH" \
	../env/bin/python -m crm_plus.tests.production --site "$PRODUCTION_SITE" \
	--sink-python "$MAIL_DIR/bin/python" --mail-port "$MAIL_PORT")
rc=$?
set -e

errors=0
for f in "${logs[@]}"; do
	[ -f "$f" ] || continue
	new="$(tail -c +"$(( ${sizes[$f]} + 1 ))" "$f" | grep -E "Traceback|\[(error|crit|alert|emerg)\]" || true)"
	if [ -n "$new" ]; then
		echo "Server errors in $f:"; tail -c +"$(( ${sizes[$f]} + 1 ))" "$f" | grep -E -A 20 "Traceback|\[(error|crit|alert|emerg)\]" | head -60
		errors=1
	fi
done
[ "$rc" -eq 0 ] || die "Production: failed"
[ "$errors" -eq 0 ] || die "Production: server errors in the logs"
log "Production: passed (logs without server errors: ${logs[*]})"
