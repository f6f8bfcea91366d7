"""Reports on a MariaDB read replica, proved over HTTP (scripts/replica.sh runs this).

	env/bin/python -m crm_plus.tests.replica --site SITE --base-url URL --replica-socket SOCK   (from sites/)

The site is served with `read_from_replica` set, pointing at a second MariaDB that
replicates the first and on which the site reads as a user with SELECT only. This runner is
connected to the primary. It proves, printing each step and exiting non-zero on a failure:
- every crm_plus report and Customer 360, asked over HTTP, runs on the replica: the replica's
  Com_select grows with each, and with replication paused a complaint written on the primary
  is not in Complaint Analysis until replication resumes;
- none of them writes: the replica's reader may only SELECT, so a write would fail the request;
- their figures equal those read from the primary, once replication has caught up;
- a document read right after it was written comes from the primary (GET /api/resource);
- with the replica stopped, every report still answers, with the primary's figures, quickly.
"""

import argparse
import json
import sys
import time

import frappe
import pymysql

from crm_plus.tests.factories import COMPANY
from crm_plus.tests.http.client import Actor
from crm_plus.tests.http.fixtures import api_credentials

REPORT_TIMEOUT = 10  # seconds a report may take on this small data, replica down or not


class Replica:
	def __init__(self, socket: str):
		self.socket = socket

	def sql(self, query: str):
		conn = pymysql.connect(unix_socket=self.socket, user="root")
		try:
			with conn.cursor() as cur:
				cur.execute(query)
				return cur.fetchall()
		finally:
			conn.close()

	def com_select(self) -> int:
		return int(self.sql("SHOW GLOBAL STATUS LIKE 'Com_select'")[0][1])


def primary_com_select() -> int:
	return int(frappe.db.sql("SHOW GLOBAL STATUS LIKE 'Com_select'")[0][1])


def caught_up(replica: Replica, timeout: float = 60) -> None:
	frappe.db.commit()
	target = frappe.db.sql("SELECT @@gtid_binlog_pos")[0][0]
	deadline = time.time() + timeout
	while time.time() < deadline:
		if replica.sql(f"SELECT MASTER_GTID_WAIT('{target}', 1)")[0][0] == 0:
			return
	raise AssertionError(f"the replica did not reach {target} in {timeout} s")


def on_primary(report: str, filters: dict) -> list:
	from frappe.desk.query_report import run

	frappe.db.rollback()
	frappe.local.conf.read_from_replica = 0  # this process reads the primary
	try:
		return normal(run.__wrapped__(report, filters=json.dumps(filters), ignore_prepared_report=True))
	finally:
		frappe.db.rollback()  # hold no locks while the served site works


def normal(result: dict) -> list:
	return json.loads(json.dumps([result.get("result"), result.get("report_summary"), result.get("chart")], default=str))


def over_http(admin: Actor, report: str, filters: dict) -> tuple[list, float]:
	started = time.time()
	response = admin.report(report, filters)
	took = time.time() - started
	assert response.ok, f"{report}: {response!r}\n{((response.json or {}).get('exception') or response.text)[-1500:]}"
	return normal(response.message), took


def check(condition: bool, what: str) -> None:
	if not condition:
		raise AssertionError(what)
	print(f"ok   {what}", flush=True)


def prove(base_url: str, replica: Replica) -> None:
	from crm_plus.tests.http.cases.reads import REPORTS  # its dates need the site

	from crm_plus.analytics.facts import ensure_current

	frappe.set_user("Administrator")
	admin = Actor(base_url, "admin", "Administrator", *api_credentials("Administrator"))
	# a site in use has its sales facts built (the first report after a rebuild reads the
	# primary, as the replica has not got them yet)
	ensure_current()
	frappe.db.commit()
	caught_up(replica)
	reports = {name: filters for name, (filters, _who) in REPORTS.items()}

	# 1. every report on the replica, with the primary's figures
	for _warm in range(2):  # the second: with the server's caches warm, as for the reports
		before = primary_com_select()
		assert admin.call("frappe.auth.get_logged_user", http="GET").ok
		baseline = primary_com_select() - before
	print(f"     a request that reads nothing (frappe.auth.get_logged_user) makes {baseline} SELECTs on the primary", flush=True)
	for report, filters in reports.items():
		replica_before, primary_before = replica.com_select(), primary_com_select()
		figures, took = over_http(admin, report, filters)
		replica_selects, primary_selects = replica.com_select() - replica_before, primary_com_select() - primary_before
		check(replica_selects > 0, f"{report}: {replica_selects} SELECTs on the replica, {primary_selects} on the primary, {took:.2f} s")
		check(figures == on_primary(report, filters), f"{report}: the replica's figures equal the primary's")

	customer = frappe.db.get_value("Sales Invoice", {"docstatus": 1, "company": COMPANY}, "customer")
	replica_before = replica.com_select()
	response = admin.call("crm_plus.api.customer.customer_360", http="GET", customer=customer, company=COMPANY)
	assert response.ok, f"customer_360: {response!r}"
	check(replica.com_select() > replica_before, f"Customer 360 of {customer}: read on the replica")

	# 2. replication paused: the replica answers, without what the primary has since
	from crm_plus.tests.factories import make_complaint

	filters = reports["Complaint Analysis"]
	before, _took = over_http(admin, "Complaint Analysis", filters)
	replica.sql("STOP SLAVE SQL_THREAD")
	try:
		complaint = make_complaint(customer, subject="Written while replication is paused")
		frappe.db.commit()
		primary_now = on_primary("Complaint Analysis", filters)
		check(primary_now != before, "Complaint Analysis on the primary counts the new complaint")
		stale, _took = over_http(admin, "Complaint Analysis", filters)
		check(stale == before, "Complaint Analysis over HTTP does not, yet: it reads the replica")
		# a read after a write is no report: it goes to the primary
		response = admin.get("Customer Complaint", complaint.name)
		check(response.ok and response.data["name"] == complaint.name, "GET /api/resource of the new complaint reads the primary")
	finally:
		replica.sql("START SLAVE SQL_THREAD")
	caught_up(replica)
	fresh, _took = over_http(admin, "Complaint Analysis", filters)
	check(fresh == on_primary("Complaint Analysis", filters), "once replication caught up, the replica's figures equal the primary's")

	# 3. nothing can write there: the site's replica user may only read
	try:
		conn = pymysql.connect(
			host=frappe.conf.replica_host, port=int(frappe.conf.replica_db_port), user=frappe.conf.replica_db_name,
			password=frappe.conf.replica_db_password, database=frappe.conf.db_name,
		)
		with conn.cursor() as cur:
			cur.execute("UPDATE `tabCustomer Complaint` SET subject = subject LIMIT 1")
		wrote = True
	except pymysql.err.MySQLError as e:
		wrote = False
		refusal = e.args
	check(not wrote, f"a write as the site's replica user is refused ({refusal[0]}), so every report above read only")

	# 4. the replica stopped: reports still answer, from the primary, without hanging
	try:
		replica.sql("SHUTDOWN")
	except pymysql.err.MySQLError:
		pass  # the server went away while answering
	time.sleep(2)
	for report, filters in reports.items():
		figures, took = over_http(admin, report, filters)
		check(took < REPORT_TIMEOUT and figures == on_primary(report, filters), f"{report}, replica stopped: answered in {took:.2f} s with the primary's figures")
	frappe.db.rollback()
	logged = frappe.get_all("Error Log", {"method": ["like", "%read replica%"]}, pluck="name")
	check(len(logged) >= 1, f"the replica being down is in the Error Log ({len(logged)} entries, not one per request)")


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--base-url", required=True)
	parser.add_argument("--replica-socket", required=True)
	parser.add_argument("--sites-path", default=".")
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	code = 0
	try:
		prove(args.base_url, Replica(args.replica_socket))
		print("Replica: passed")
	except AssertionError as e:
		print(f"FAIL {e}")
		code = 1
	finally:
		frappe.destroy()
	sys.exit(code)


if __name__ == "__main__":
	main()
