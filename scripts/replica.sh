#!/usr/bin/env bash
# Reports on a MariaDB read replica (scale-out), proved: the primary MariaDB gets a binary log
# (server_id 1, row format; restarted once if it had none), a second MariaDB starts on this
# machine (its own data directory under $BENCH_DIR/.crm_plus_replica and port, read-only),
# seeded from a dump of a new site's database with its GTID position and replicating from
# the primary (CHANGE MASTER TO ... MASTER_USE_GTID); the site is configured for it
# (read_from_replica, replica_host, replica_db_port, and a replica user that may only SELECT),
# served, and crm_plus/tests/replica.py proves over HTTP that every crm_plus report and
# Customer 360 read the replica, write nothing there, give the primary's figures, and still
# answer when the replica is stopped. About 4 minutes; not part of scripts/test.sh (it
# restarts the primary MariaDB once, to turn its binary log on).
#
#   bash scripts/replica.sh
#
# Settings: REPLICA_SITE (replica-crm-plus.localhost), REPLICA_DB_PORT (3307),
# REPLICA_WEB_PORT (8125), KEEP_SITE=1 to keep the site and the replica running, plus the
# sources and BENCH_DIR of scripts/lib.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REPLICA_SITE="${REPLICA_SITE:-replica-crm-plus.localhost}"
REPLICA_DB_PORT="${REPLICA_DB_PORT:-3307}"
REPLICA_WEB_PORT="${REPLICA_WEB_PORT:-8125}"
REPLICA_DIR="$BENCH_DIR/.crm_plus_replica"
SOCKET="$REPLICA_DIR/mysqld.sock"
REPL_PASSWORD="crm_plus_repl_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
READER_PASSWORD="crm_plus_reader_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WORK_DIR="$(mktemp -d)"
SERVER_PID=""

replica_sql() { mariadb --no-defaults -S "$SOCKET" -uroot -Nse "$1"; }

stop_replica() {
	if [ -S "$SOCKET" ]; then mariadb-admin --no-defaults -S "$SOCKET" -uroot shutdown >/dev/null 2>&1 || true; fi
	local i
	for i in $(seq 1 30); do [ -S "$SOCKET" ] || break; sleep 1; done
}

cleanup() {
	set +e
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	if [ "${KEEP_SITE:-0}" != 1 ]; then
		stop_replica
		rm -rf "$REPLICA_DIR"
		drop_site "$REPLICA_SITE"
	fi
	restore_previous_link
	stop_started_redis
	rm -rf "$WORK_DIR"
}
trap cleanup EXIT

use_this_checkout

# --- the primary: a binary log to replicate from ------------------------------------------
if [ "$(root_sql 'SELECT @@log_bin')" != 1 ]; then
	log "Turning on the primary MariaDB's binary log (server_id 1, row format) and restarting it"
	$SUDO tee /etc/mysql/mariadb.conf.d/98-crm-plus-binlog.cnf >/dev/null <<'CNF'
[mysqld]
server_id = 1
log_bin = mariadb-bin
binlog_format = ROW
expire_logs_days = 2
CNF
	$SUDO service mariadb restart >/dev/null 2>&1 || $SUDO systemctl restart mariadb
	for _ in $(seq 1 30); do mariadb_alive && break; sleep 1; done
	[ "$(root_sql 'SELECT @@log_bin')" = 1 ] || die "The primary MariaDB has no binary log"
fi
root_sql "CREATE USER IF NOT EXISTS 'crm_plus_repl'@'%' IDENTIFIED BY '$REPL_PASSWORD';
	ALTER USER 'crm_plus_repl'@'%' IDENTIFIED BY '$REPL_PASSWORD';
	GRANT REPLICATION SLAVE ON *.* TO 'crm_plus_repl'@'%'"

# --- a site with crm_plus data ---------------------------------------------------------------
drop_site "$REPLICA_SITE"
log "Creating $REPLICA_SITE (ERPNext, payments, crm_plus) with crm_plus data"
bench_in "$BENCH_DIR" new-site "$REPLICA_SITE" --admin-password admin --db-root-password "$DB_ROOT_PASSWORD" \
	--install-app erpnext --install-app payments --install-app crm_plus >"$WORK_DIR/new-site.log" 2>&1 \
	|| { cat "$WORK_DIR/new-site.log"; die "Could not create $REPLICA_SITE"; }
bench_in "$BENCH_DIR" --site "$REPLICA_SITE" execute crm_plus.tests.backup_restore.make_data
DB_NAME="$("$BENCH_DIR/env/bin/python" -c "import json,sys; print(json.load(open(sys.argv[1]))['db_name'])" "$BENCH_DIR/sites/$REPLICA_SITE/site_config.json")"

# --- the replica: a second MariaDB, seeded from a dump at a GTID position, replicating -------
log "Starting a second MariaDB on 127.0.0.1:$REPLICA_DB_PORT as a replica of the first"
stop_replica
rm -rf "$REPLICA_DIR" && mkdir -p "$REPLICA_DIR"
mariadb-install-db --no-defaults --datadir="$REPLICA_DIR/data" --user="$(id -un)" >"$WORK_DIR/install-db.log" 2>&1 \
	|| { cat "$WORK_DIR/install-db.log"; die "mariadb-install-db failed"; }
mariadbd --no-defaults --datadir="$REPLICA_DIR/data" --user="$(id -un)" --port="$REPLICA_DB_PORT" --bind-address=127.0.0.1 \
	--socket="$SOCKET" --pid-file="$REPLICA_DIR/mysqld.pid" --log-error="$REPLICA_DIR/error.log" \
	--server-id=2 --read-only=1 --skip-log-bin --relay-log="$REPLICA_DIR/relay-bin" --replicate-do-db="$DB_NAME" \
	--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --character-set-client-handshake=FALSE \
	--innodb-buffer-pool-size=256M >/dev/null 2>&1 &
for _ in $(seq 1 60); do replica_sql "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
replica_sql "SELECT 1" >/dev/null || { cat "$REPLICA_DIR/error.log"; die "The replica MariaDB did not start"; }

mariadb-dump --no-defaults -h127.0.0.1 -uroot -p"$DB_ROOT_PASSWORD" --single-transaction --master-data=1 --gtid \
	--routines --triggers --databases "$DB_NAME" >"$WORK_DIR/seed.sql" || die "Could not dump $DB_NAME"
log "Seeding the replica ($(du -h "$WORK_DIR/seed.sql" | cut -f1)) at $(grep -m1 -o "gtid_slave_pos='[^']*'" "$WORK_DIR/seed.sql")"
mariadb --no-defaults -S "$SOCKET" -uroot <"$WORK_DIR/seed.sql" || die "Could not load the dump into the replica"
replica_sql "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$(root_sql 'SELECT @@port'),
	MASTER_USER='crm_plus_repl', MASTER_PASSWORD='$REPL_PASSWORD', MASTER_USE_GTID=slave_pos;
	START SLAVE;
	DELETE FROM mysql.global_priv WHERE User = '';  -- the anonymous users install-db may make would match first
	FLUSH PRIVILEGES;
	CREATE USER 'crm_plus_reader'@'localhost' IDENTIFIED BY '$READER_PASSWORD';
	CREATE USER 'crm_plus_reader'@'127.0.0.1' IDENTIFIED BY '$READER_PASSWORD';
	GRANT SELECT ON \`$DB_NAME\`.* TO 'crm_plus_reader'@'localhost';
	GRANT SELECT ON \`$DB_NAME\`.* TO 'crm_plus_reader'@'127.0.0.1'"
sleep 2
status="$(mariadb --no-defaults -S "$SOCKET" -uroot -e "SHOW SLAVE STATUS\G")"
grep -E "Slave_(IO|SQL)_Running:|Gtid_IO_Pos:" <<<"$status" | tr -s ' ' || true
grep -q "Slave_SQL_Running: Yes" <<<"$status" && grep -q "Slave_IO_Running: Yes" <<<"$status" \
	|| { echo "$status"; die "The replica is not replicating"; }

# --- the site reads its reports there ------------------------------------------------------------
site_config() { bench_in "$BENCH_DIR" --site "$REPLICA_SITE" set-config "$@" >/dev/null; }
site_config --parse read_from_replica 1
site_config replica_host 127.0.0.1
site_config --parse replica_db_port "$REPLICA_DB_PORT"
site_config --parse different_credentials_for_replica 1
site_config replica_db_name crm_plus_reader
site_config replica_db_password "$READER_PASSWORD"
(cd "$BENCH_DIR" && exec bench --site "$REPLICA_SITE" serve --port "$REPLICA_WEB_PORT" >"$WORK_DIR/serve.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 60); do curl -fs -o /dev/null "http://127.0.0.1:$REPLICA_WEB_PORT/api/method/ping" && break; sleep 1; done

log "Proving reports read the replica"
set +e
(cd "$BENCH_DIR/sites" && PYTHONWARNINGS=ignore ../env/bin/python -m crm_plus.tests.replica --site "$REPLICA_SITE" \
	--base-url "http://127.0.0.1:$REPLICA_WEB_PORT" --replica-socket "$SOCKET")
rc=$?
set -e
if [ "$rc" -ne 0 ]; then tail -40 "$WORK_DIR/serve.log"; die "Replica: failed"; fi
if grep -q "Traceback" "$WORK_DIR/serve.log"; then grep -B2 -A20 "Traceback" "$WORK_DIR/serve.log" | head -60; die "Server errors in the log"; fi
log "Replica: passed"
