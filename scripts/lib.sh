#!/usr/bin/env bash
# Shared helpers for scripts/setup.sh and scripts/test.sh. Sourced, never run.
#
# Every source and location is an environment variable with an upstream default,
# so a mirror or a local clone can stand in where upstream cannot be reached:
#   BENCH_DIR        bench folder                      ($HOME/frappe-bench)
#   FRAPPE_REPO      Frappe git URL or local git repo  (https://github.com/frappe/frappe)
#   FRAPPE_BRANCH                                      (version-15)
#   ERPNEXT_REPO     ERPNext git URL or local repo     (https://github.com/frappe/erpnext)
#   ERPNEXT_BRANCH                                     (version-15)
#   PAYMENTS_REPO    payments git URL or local repo    (https://github.com/frappe/payments)
#   PAYMENTS_BRANCH                                    (version-15)
#   DB_ROOT_PASSWORD MariaDB root password to set/use  (crm_plus_root)
#   PYTHON           Python 3.10–3.12 for the bench    (python3)
set -Eeuo pipefail

CRM_PLUS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
BENCH_DIR="${BENCH_DIR:-$HOME/frappe-bench}"
FRAPPE_REPO="${FRAPPE_REPO:-https://github.com/frappe/frappe}"
FRAPPE_BRANCH="${FRAPPE_BRANCH:-version-15}"
ERPNEXT_REPO="${ERPNEXT_REPO:-https://github.com/frappe/erpnext}"
ERPNEXT_BRANCH="${ERPNEXT_BRANCH:-version-15}"
PAYMENTS_REPO="${PAYMENTS_REPO:-https://github.com/frappe/payments}"
PAYMENTS_BRANCH="${PAYMENTS_BRANCH:-version-15}"
DB_ROOT_PASSWORD="${DB_ROOT_PASSWORD:-crm_plus_root}"
PYTHON="${PYTHON:-python3}"
BENCH_CLI_VENV="${BENCH_CLI_VENV:-$HOME/.local/share/frappe-bench-cli}"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

log() { printf '\033[1;34m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# --- operating system ---------------------------------------------------------

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

ensure_os_packages() {
	local missing=() p
	for p in "$@"; do have_pkg "$p" || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	command -v apt-get >/dev/null || die "Please install: ${missing[*]}"
	log "Installing ${missing[*]}"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

start_service() {  # start_service <name>
	if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
		$SUDO systemctl start "$1"
	else
		$SUDO service "$1" start >/dev/null
	fi
}

# --- MariaDB ------------------------------------------------------------------

mariadb_alive() { mysqladmin ping --silent >/dev/null 2>&1 || mysqladmin -h127.0.0.1 ping --silent >/dev/null 2>&1; }

root_sql() {  # run SQL as MariaDB root, over TCP with the password, else via the unix socket
	if mysql -h127.0.0.1 -uroot -p"$DB_ROOT_PASSWORD" -Nse "SELECT 1" >/dev/null 2>&1; then
		mysql -h127.0.0.1 -uroot -p"$DB_ROOT_PASSWORD" -Nse "$1"
	else
		$SUDO mysql -uroot -Nse "$1"
	fi
}

ensure_mariadb() {
	ensure_os_packages mariadb-server mariadb-client libmariadb-dev pkg-config
	local conf=/etc/mysql/mariadb.conf.d/99-frappe.cnf
	if [ ! -f "$conf" ]; then
		log "Configuring MariaDB for Frappe (utf8mb4_unicode_ci)"
		$SUDO tee "$conf" >/dev/null <<'CNF'
[mysqld]
character-set-client-handshake = FALSE
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci

[mysql]
default-character-set = utf8mb4
CNF
		if mariadb_alive; then
			$SUDO service mariadb restart >/dev/null 2>&1 || $SUDO systemctl restart mariadb || true
		fi
	fi
	if ! mariadb_alive; then
		log "Starting MariaDB"
		start_service mariadb
		local i
		for i in $(seq 1 30); do mariadb_alive && break; sleep 1; done
		mariadb_alive || die "MariaDB did not start"
	fi
	if ! mysql -h127.0.0.1 -uroot -p"$DB_ROOT_PASSWORD" -Nse "SELECT 1" >/dev/null 2>&1; then
		log "Giving MariaDB root a password (DB_ROOT_PASSWORD); unix-socket login still works"
		$SUDO mysql -uroot -e "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('$DB_ROOT_PASSWORD') OR unix_socket; FLUSH PRIVILEGES;" \
			|| die "Cannot log in to MariaDB as root. Set DB_ROOT_PASSWORD to its root password."
	fi
	if [ "$(root_sql 'SELECT @@collation_server')" != "utf8mb4_unicode_ci" ]; then
		root_sql "SET GLOBAL character_set_server='utf8mb4'; SET GLOBAL collation_server='utf8mb4_unicode_ci'"
	fi
}

# --- bench --------------------------------------------------------------------

ensure_bench_cli() {
	ensure_os_packages git redis-server curl
	if ! command -v yarn >/dev/null; then
		log "Installing yarn"
		$SUDO npm install -g --silent yarn >/dev/null 2>&1 || corepack enable || die "Please install yarn"
	fi
	if [ ! -x "$BENCH_CLI_VENV/bin/bench" ]; then
		log "Installing frappe-bench into $BENCH_CLI_VENV"
		"$PYTHON" -m venv "$BENCH_CLI_VENV" 2>/dev/null || {
			ensure_os_packages python3-venv python3-dev
			"$PYTHON" -m venv "$BENCH_CLI_VENV"
		}
		"$BENCH_CLI_VENV/bin/pip" install -q --upgrade pip frappe-bench
	fi
	export PATH="$BENCH_CLI_VENV/bin:$PATH"
}

# bench refuses root unless the bench's config names root as its user.
bench_in() {  # bench_in <dir> <args...>: run bench from <dir>
	local dir="$1"; shift
	(cd "$dir" && bench "$@")
}

ensure_bench() {
	if [ ! -d "$BENCH_DIR/apps/frappe" ]; then
		log "Creating bench $BENCH_DIR with Frappe $FRAPPE_BRANCH from $FRAPPE_REPO"
		local parent; parent="$(mktemp -d)"
		if [ "$(id -u)" -eq 0 ]; then
			mkdir -p "$parent/sites"
			echo '{"frappe_user": "root"}' > "$parent/sites/common_site_config.json"
		fi
		rm -rf "$BENCH_DIR"
		mkdir -p "$(dirname "$BENCH_DIR")"
		bench_in "$parent" init "$BENCH_DIR" --frappe-path "$FRAPPE_REPO" \
			--frappe-branch "$FRAPPE_BRANCH" --python "$PYTHON" --skip-assets --no-backups
		rm -rf "$parent"
	fi
	if [ "$(id -u)" -eq 0 ]; then
		bench_in "$BENCH_DIR" set-config -g frappe_user root >/dev/null 2>&1 || true
	fi
	# uv seeds setuptools >= 81, which lacks pkg_resources (dropbox, pycountry need it).
	"$BENCH_DIR/env/bin/python" -c "import pkg_resources" 2>/dev/null \
		|| "$BENCH_DIR/env/bin/python" -m pip install -q "setuptools<81" 2>/dev/null \
		|| (cd "$BENCH_DIR" && env/bin/uv pip install -q "setuptools<81" --python env/bin/python 2>/dev/null) \
		|| uv pip install -q "setuptools<81" --python "$BENCH_DIR/env/bin/python"
	bench_in "$BENCH_DIR" set-config -g root_password "$DB_ROOT_PASSWORD" >/dev/null
}

ensure_app() {  # ensure_app <name> <repo> <branch>
	if [ ! -d "$BENCH_DIR/apps/$1" ]; then
		log "Getting $1 ($3) from $2"
		bench_in "$BENCH_DIR" get-app --branch "$3" --skip-assets "$2"
	fi
}

ensure_apps() {
	ensure_app erpnext "$ERPNEXT_REPO" "$ERPNEXT_BRANCH"
	ensure_app payments "$PAYMENTS_REPO" "$PAYMENTS_BRANCH"
}

bench_pip() { uv pip "$@" --python "$BENCH_DIR/env/bin/python" 2>/dev/null || "$BENCH_DIR/env/bin/python" -m pip "$@"; }

link_crm_plus() {  # link_crm_plus <checkout>: point the bench's apps/crm_plus at <checkout>
	local src="$1" dest="$BENCH_DIR/apps/crm_plus"
	if [ -e "$dest" ] && [ ! -L "$dest" ]; then
		[ "$(cd "$dest" && pwd -P)" = "$src" ] && return 0
		log "Moving the bench's own copy of crm_plus to $dest.orig"
		rm -rf "$dest.orig"; mv "$dest" "$dest.orig"
	fi
	ln -sfn "$src" "$dest"
	bench_pip install -q -e "$src" >/dev/null
	grep -qx crm_plus "$BENCH_DIR/sites/apps.txt" || printf '\ncrm_plus' >> "$BENCH_DIR/sites/apps.txt"
	sed -i '/^$/d' "$BENCH_DIR/sites/apps.txt"
}

# A run on this checkout: MariaDB, the bench and its apps, this checkout linked as the
# bench's crm_plus, Redis. restore_previous_link (from the run's EXIT trap) links back the
# checkout that was there before; it fails when there was nothing to put back.
PREVIOUS_LINK=""
use_this_checkout() {
	ensure_mariadb
	ensure_bench_cli
	ensure_bench
	ensure_apps
	if [ -L "$BENCH_DIR/apps/crm_plus" ]; then PREVIOUS_LINK="$(readlink -f "$BENCH_DIR/apps/crm_plus")"; fi
	log "Linking $CRM_PLUS_DIR into $BENCH_DIR/apps/crm_plus"
	link_crm_plus "$CRM_PLUS_DIR"
	ensure_redis
}

restore_previous_link() {
	[ -n "$PREVIOUS_LINK" ] && [ -d "$PREVIOUS_LINK" ] && [ "$PREVIOUS_LINK" != "$CRM_PLUS_DIR" ] || return 1
	link_crm_plus "$PREVIOUS_LINK" >/dev/null 2>&1
}

drop_site() {  # drop_site <site>: the site, its database and its archived copies, if any
	bench_in "$BENCH_DIR" drop-site "$1" --force --no-backup --db-root-password "$DB_ROOT_PASSWORD" >/dev/null 2>&1 || true
	rm -rf "$BENCH_DIR/sites/$1" "$BENCH_DIR/archived/sites/$1"*
}

# --- Redis (the bench's own cache and queue servers) ----------------------------

STARTED_REDIS=()
ensure_redis() {
	local conf port
	for conf in redis_cache redis_queue; do
		[ -f "$BENCH_DIR/config/$conf.conf" ] || bench_in "$BENCH_DIR" setup redis >/dev/null
		port="$(awk '/^port/ {print $2}' "$BENCH_DIR/config/$conf.conf")"
		if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
			(cd "$BENCH_DIR/config" && redis-server "$conf.conf" --daemonize yes >/dev/null)
			STARTED_REDIS+=("$port")
		fi
	done
	for port in "${STARTED_REDIS[@]}"; do
		for _ in $(seq 1 20); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
	done
}

stop_started_redis() {
	local port
	for port in "${STARTED_REDIS[@]}"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
	STARTED_REDIS=()
}

# --- headless Chromium (browser tests, the mail suite's links, the production proof) ------

# ensure_browser: Debian's Chromium, Chinese fonts, and playwright-core in $BROWSER_DIR;
# sets CHROMIUM_PATH and BROWSER_DIR (run node with NODE_PATH="$BROWSER_DIR/node_modules")
ensure_browser() {
	BROWSER_DIR="$BENCH_DIR/.crm_plus_browser"
	CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
	[ -x "$CHROMIUM_PATH" ] || ensure_os_packages chromium
	ensure_os_packages fonts-wqy-microhei  # Chinese glyphs for the zh flows and their screenshots
	mkdir -p "$BROWSER_DIR"
	cp "$CRM_PLUS_DIR/crm_plus/tests/browser/package.json" "$BROWSER_DIR/package.json"
	(cd "$BROWSER_DIR" && npm install --silent --no-audit --no-fund >/dev/null)
}
