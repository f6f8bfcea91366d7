#!/usr/bin/env bash
# Set up (or repair) a development bench with Frappe, ERPNext, payments and this
# crm_plus checkout, a site with a demo company, and built assets.
# Re-running it repairs and updates instead of failing.
#
#   bash scripts/setup.sh            # set up, then print how to start
#   bash scripts/setup.sh --start    # set up, then run `bench start`
#
# Settings (environment variables; see scripts/lib.sh for the sources):
#   SITE_NAME       (crm.localhost)   ADMIN_PASSWORD (admin)
#   DEMO_COMPANY    (CRM Plus Demo)   DEMO_COUNTRY   (China)   DEMO_CURRENCY (CNY)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SITE_NAME="${SITE_NAME:-crm.localhost}"
ADMIN_PASSWORD="${ADMIN_PASSWORD:-admin}"
DEMO_COMPANY="${DEMO_COMPANY:-CRM Plus Demo}"
DEMO_COUNTRY="${DEMO_COUNTRY:-China}"
DEMO_CURRENCY="${DEMO_CURRENCY:-CNY}"
START=0
[ "${1:-}" = "--start" ] && START=1

ensure_mariadb
ensure_bench_cli
ensure_bench
ensure_apps
link_crm_plus "$CRM_PLUS_DIR"
ensure_redis
trap stop_started_redis EXIT

if [ ! -f "$BENCH_DIR/sites/$SITE_NAME/site_config.json" ]; then
	log "Creating site $SITE_NAME"
	bench_in "$BENCH_DIR" new-site "$SITE_NAME" --admin-password "$ADMIN_PASSWORD" \
		--db-root-password "$DB_ROOT_PASSWORD" \
		--install-app erpnext --install-app payments --install-app crm_plus
else
	log "Site $SITE_NAME exists: installing what is missing and migrating"
	installed="$(bench_in "$BENCH_DIR" --site "$SITE_NAME" list-apps 2>/dev/null || true)"
	for app in erpnext payments crm_plus; do
		grep -qw "$app" <<<"$installed" || bench_in "$BENCH_DIR" --site "$SITE_NAME" install-app "$app"
	done
	bench_in "$BENCH_DIR" --site "$SITE_NAME" migrate
fi

log "Setting up the demo company ($DEMO_COMPANY)"
bench_in "$BENCH_DIR" --site "$SITE_NAME" execute crm_plus.setup.demo.setup_demo_site \
	--kwargs "{\"company\": \"$DEMO_COMPANY\", \"country\": \"$DEMO_COUNTRY\", \"currency\": \"$DEMO_CURRENCY\"}"

bench_in "$BENCH_DIR" use "$SITE_NAME" >/dev/null
bench_in "$BENCH_DIR" set-config -g developer_mode 0 >/dev/null 2>&1 || true

log "Building assets"
bench_in "$BENCH_DIR" build

stop_started_redis
trap - EXIT

if command -v bench >/dev/null && [ "$(command -v bench)" != "$BENCH_CLI_VENV/bin/bench" ]; then
	BENCH_CMD=bench
else
	BENCH_CMD="$BENCH_CLI_VENV/bin/bench"
fi
cat <<MSG

crm_plus is ready.
  Start:  cd $BENCH_DIR && $BENCH_CMD start
  Open:   http://$SITE_NAME:8000   (login: Administrator / $ADMIN_PASSWORD)
MSG

if [ "$START" = 1 ]; then
	cd "$BENCH_DIR" && exec bench start
fi
