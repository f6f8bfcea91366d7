#!/usr/bin/env bash
# Turn the bench into a production bench, the way Frappe's docs describe it: `bench setup
# production` puts nginx on port 80 in front of gunicorn, and supervisor keeps gunicorn, the
# background workers (short/default and long queues), the scheduler, Redis and socket.io
# running; the scheduler is switched on for every site. Sites are told apart by their name
# (DNS multitenancy), all on port 80. Safe to run again (after adding a site, for example).
#
#   bash scripts/production.sh
#
# What it changes on this machine: installs nginx, supervisor, fail2ban, sudo and ansible
# (Debian packages; `bench setup production` wants them), starts nginx and supervisor
# (with `service` where there is no systemd), links the bench's nginx and supervisor configs
# into /etc, and lets nginx (www-data) pass through the directories above the bench to serve
# sites/assets and public files (chmod o+x, no listing). Redis started by hand on the
# bench's ports is stopped, so that supervisor runs it.
#
# Settings: PRODUCTION_USER (the user the bench's processes run as; default: who runs
# this), plus BENCH_DIR and the sources of scripts/lib.sh (a missing bench is created first).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PRODUCTION_USER="${PRODUCTION_USER:-$(id -un)}"

ensure_mariadb
ensure_bench_cli
ensure_bench
ensure_apps
[ -e "$BENCH_DIR/apps/crm_plus" ] || link_crm_plus "$CRM_PLUS_DIR"
ensure_os_packages nginx supervisor fail2ban sudo ansible-core

log "Starting supervisor"
$SUDO service supervisor status >/dev/null 2>&1 || start_service supervisor
for _ in $(seq 1 20); do $SUDO supervisorctl pid >/dev/null 2>&1 && break; sleep 0.5; done

# supervisor is to run the bench's Redis: one started by hand would hold its ports
for conf in redis_cache redis_queue; do
	port="$(awk '/^port/ {print $2}' "$BENCH_DIR/config/$conf.conf" 2>/dev/null || true)"
	if [ -n "$port" ] && redis-cli -p "$port" ping >/dev/null 2>&1 \
		&& ! $SUDO supervisorctl status 2>/dev/null | grep -E "redis-${conf#redis_} +RUNNING" >/dev/null; then
		log "Stopping the Redis on port $port that was started by hand (supervisor runs it from now on)"
		redis-cli -p "$port" shutdown >/dev/null 2>&1 || true
	fi
done

log "bench setup production $PRODUCTION_USER (nginx, supervisor)"
# set before, not by, setup production: it reads the setting before writing it, and on a
# first run would leave supervisor's config unlinked
bench_in "$BENCH_DIR" config restart_supervisor_on_update on >/dev/null
bench_in "$BENCH_DIR" config dns_multitenant on >/dev/null
# nginx is (re)started below, once its new config is in place
(export NO_SERVICE_RESTART=1; bench_in "$BENCH_DIR" setup production "$PRODUCTION_USER" --yes)
$SUDO nginx -t >/dev/null 2>&1 || { $SUDO nginx -t; die "nginx's configuration does not pass nginx -t"; }
if $SUDO service nginx status >/dev/null 2>&1; then
	$SUDO service nginx reload >/dev/null
else
	log "Starting nginx"
	start_service nginx
fi

# nginx's worker (www-data) serves sites/assets and the sites' public files from disk
dir="$BENCH_DIR/sites"
while [ "$dir" != "/" ]; do
	if [ "$(( $(stat -c '%a' "$dir" | tail -c 2) & 1 ))" -eq 0 ]; then
		log "Letting nginx pass through $dir (chmod o+x)"
		$SUDO chmod o+x "$dir"
	fi
	dir="$(dirname "$dir")"
done

log "Switching the scheduler on for every site"
a_site=""
for site_dir in "$BENCH_DIR"/sites/*/; do
	site="$(basename "$site_dir")"
	[ -f "$site_dir/site_config.json" ] || continue
	bench_in "$BENCH_DIR" --site "$site" enable-scheduler >/dev/null
	a_site="${a_site:-$site}"
	bench_in "$BENCH_DIR" --site "$site" set-maintenance-mode off >/dev/null 2>&1 || true
done

log "Restarting the bench's processes"
$SUDO supervisorctl start all >/dev/null 2>&1 || true
bench_in "$BENCH_DIR" restart >/dev/null
web_port="$("$BENCH_DIR/env/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("webserver_port", 8000))' "$BENCH_DIR/sites/common_site_config.json")"
for _ in $(seq 1 60); do curl -fs -o /dev/null -H "Host: ${a_site:-localhost}" "http://127.0.0.1:$web_port/api/method/ping" && break; sleep 1; done
$SUDO supervisorctl status
cat <<MSG

The bench is in production: nginx on port 80 serves every site by its name
(http://<site>/), supervisor runs gunicorn, the workers, the scheduler and Redis.
  Status:   sudo supervisorctl status
  Restart:  cd $BENCH_DIR && bench restart
  Logs:     $BENCH_DIR/logs (web, worker, schedule), /var/log/nginx
MSG
