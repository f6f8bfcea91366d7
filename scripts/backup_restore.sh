#!/usr/bin/env bash
# Backup and restore (数据库备份/恢复), proved: a site with ERPNext, payments and this checkout
# gets crm_plus data (crm_plus/tests/backup_restore.py) and, for the backup, the schema of the
# previous crm_plus release; `bench backup --with-files`, then `bench restore` of that backup
# into a new site and `bench migrate`, which must bring it forward; every crm_plus record,
# file, custom field, workflow, setting and index must be back and crm_plus's reports must
# give the same figures. Both sites are dropped at the end. About 5 minutes; not part of
# scripts/test.sh (it makes and restores a whole site).
#
#   bash scripts/backup_restore.sh
#
# Settings: SOURCE_SITE (backup-src.localhost), RESTORED_SITE (backup-restored.localhost),
# KEEP_SITES=1 to keep both, plus the sources and BENCH_DIR of scripts/lib.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SOURCE_SITE="${SOURCE_SITE:-backup-src.localhost}"
RESTORED_SITE="${RESTORED_SITE:-backup-restored.localhost}"
WORK_DIR="$(mktemp -d)"

cleanup() {
	set +e
	if [ "${KEEP_SITES:-0}" != 1 ]; then drop_site "$SOURCE_SITE"; drop_site "$RESTORED_SITE"; fi
	restore_previous_link
	stop_started_redis
	rm -rf "$WORK_DIR"
}
trap cleanup EXIT

use_this_checkout

drop_site "$SOURCE_SITE"; drop_site "$RESTORED_SITE"  # leftovers of an earlier run
log "Creating $SOURCE_SITE (ERPNext, payments, crm_plus) with crm_plus data"
bench_in "$BENCH_DIR" new-site "$SOURCE_SITE" --admin-password admin --db-root-password "$DB_ROOT_PASSWORD" \
	--install-app erpnext --install-app payments --install-app crm_plus >"$WORK_DIR/new-site.log" 2>&1 \
	|| { cat "$WORK_DIR/new-site.log"; die "Could not create $SOURCE_SITE"; }
bench_in "$BENCH_DIR" --site "$SOURCE_SITE" execute crm_plus.tests.backup_restore.make_data
bench_in "$BENCH_DIR" --site "$SOURCE_SITE" migrate >"$WORK_DIR/migrate-src.log" 2>&1 \
	|| { cat "$WORK_DIR/migrate-src.log"; die "migrate failed on $SOURCE_SITE"; }
bench_in "$BENCH_DIR" --site "$SOURCE_SITE" execute crm_plus.tests.backup_restore.fingerprint \
	--kwargs "{\"path\": \"$WORK_DIR/before.json\"}"

# what is backed up is the schema of the previous crm_plus release: restoring a backup taken
# before an upgrade, which `bench migrate` must bring forward
bench_in "$BENCH_DIR" --site "$SOURCE_SITE" execute crm_plus.tests.backup_restore.make_older
log "bench backup --with-files"
bench_in "$BENCH_DIR" --site "$SOURCE_SITE" backup --with-files --backup-path "$WORK_DIR/backup" >"$WORK_DIR/backup.log" 2>&1 \
	|| { cat "$WORK_DIR/backup.log"; die "backup failed"; }
sql="$(ls "$WORK_DIR"/backup/*-database.sql.gz)"
private="$(ls "$WORK_DIR"/backup/*-private-files.tar)"
public="$(ls "$WORK_DIR"/backup/*-files.tar | grep -v -- '-private-files.tar$')"
log "Backup: $(du -h "$sql" | cut -f1) database, $(du -h "$public" | cut -f1) public files, $(du -h "$private" | cut -f1) private files"

log "A new site $RESTORED_SITE, bench restore of the backup into it, then migrate"
bench_in "$BENCH_DIR" new-site "$RESTORED_SITE" --admin-password admin --db-root-password "$DB_ROOT_PASSWORD" \
	>"$WORK_DIR/new-restored.log" 2>&1 || { cat "$WORK_DIR/new-restored.log"; die "Could not create $RESTORED_SITE"; }
bench_in "$BENCH_DIR" --site "$RESTORED_SITE" restore "$sql" --with-public-files "$public" --with-private-files "$private" \
	--db-root-password "$DB_ROOT_PASSWORD" >"$WORK_DIR/restore.log" 2>&1 \
	|| { cat "$WORK_DIR/restore.log"; die "restore failed"; }
bench_in "$BENCH_DIR" --site "$RESTORED_SITE" migrate >"$WORK_DIR/migrate.log" 2>&1 \
	|| { cat "$WORK_DIR/migrate.log"; die "migrate failed on $RESTORED_SITE"; }
bench_in "$BENCH_DIR" --site "$RESTORED_SITE" execute crm_plus.tests.backup_restore.fingerprint \
	--kwargs "{\"path\": \"$WORK_DIR/after.json\"}"

log "Comparing"
bench_in "$BENCH_DIR" --site "$RESTORED_SITE" execute crm_plus.tests.backup_restore.compare \
	--kwargs "{\"before\": \"$WORK_DIR/before.json\", \"after\": \"$WORK_DIR/after.json\"}" \
	|| die "The restored site differs from the backed-up one"
log "Backup and restore: passed"
