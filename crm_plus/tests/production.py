"""A production bench, proved over nginx on port 80 (scripts/production_test.sh runs this).

	env/bin/python -m crm_plus.tests.production --site SITE --sink-python PY --mail-port N   (from sites/)

The bench is in production (scripts/production.sh): nginx in front of gunicorn, supervisor
running the workers, the scheduler and Redis. This runner talks to the site only through
nginx, as a browser does, and reads the database to check what the bench's own processes did.
It proves, printing each step and exiting non-zero on a failure:
- a password login works, the desk and the CRM Plus workspace open (also in headless
  Chromium, timed until every number card shows its figure), crm_plus's assets are served
  (by nginx, from disk);
- every crm_plus report opens and runs (HTTP 200, rows);
- crm_plus's hourly and daily jobs, made due, are queued by the bench's real scheduler and run
  by its real workers (a Scheduled Job Log "Complete" for each), and did their work: an overdue
  complaint escalated, the follow-up digest, lifecycle statuses, a missed promise to pay
  alerted; and the scheduler's own e-mail flush sent their mail to an SMTP server;
- nothing went to the site's Error Log meanwhile.
scripts/production_test.sh then checks the bench's and nginx's logs for server errors.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import frappe
import requests
from frappe.utils import add_days, add_to_date, now_datetime, nowdate

from crm_plus.tests.factories import COMPANY

JOBS = ("crm_plus.tasks.hourly", "crm_plus.tasks.daily", "crm_plus.tasks.daily_contracts_and_receivables")
JOB_TIMEOUT = 300  # seconds: a scheduler tick (60 s), the job, and the next tick's mail flush


def check(condition: bool, what: str) -> None:
	if not condition:
		raise AssertionError(what)
	print(f"ok   {what}", flush=True)


class Browser:
	"""A logged-in session on the site through nginx (the site chosen by its name, as DNS
	multitenancy does)."""

	def __init__(self, url: str, site: str):
		self.url = url.rstrip("/")
		self.session = requests.Session()
		self.session.headers["Host"] = site

	def get(self, path: str, **kwargs) -> requests.Response:
		return self.session.get(self.url + path, timeout=60, **kwargs)

	def post(self, path: str, data: dict) -> requests.Response:
		return self.session.post(self.url + path, data=data, headers={"Accept": "application/json"}, timeout=120)


def timed(fn, *args, **kwargs) -> tuple[requests.Response, float]:
	started = time.time()
	response = fn(*args, **kwargs)
	return response, time.time() - started


def crm_plus_reports() -> dict[str, dict]:
	"""Every report of the CRM Plus module, with the filters the HTTP suite runs it with (a
	report it does not know gets the company)."""
	from crm_plus.tests.http.cases.reads import REPORTS

	return {
		name: REPORTS[name][0] if name in REPORTS else {"company": COMPANY}
		for name in frappe.get_all("Report", {"module": "CRM Plus", "disabled": 0}, pluck="name", order_by="name")
	}


def desk_and_reports(browser: Browser, password: str) -> None:
	response = browser.post("/api/method/login", {"usr": "Administrator", "pwd": password})
	check(response.status_code == 200 and response.headers.get("Server", "").startswith("nginx"),
		f"log in over nginx on port 80: HTTP {response.status_code}, server {response.headers.get('Server')}")

	page, took_page = timed(browser.get, "/app/crm-plus")
	check(page.status_code == 200 and "frappe.boot" in page.text, f"the desk opens at /app/crm-plus: HTTP {page.status_code}, {took_page:.2f} s")
	token = re.search(r'frappe\.csrf_token\s*=\s*"([^"]+)"', page.text)
	check(bool(token), "the desk page carries the session's CSRF token")
	browser.session.headers["X-Frappe-CSRF-Token"] = token.group(1)  # as the desk sends it with each POST
	workspace, took_workspace = timed(
		browser.post, "/api/method/frappe.desk.desktop.get_desktop_page",
		{"page": json.dumps({"name": "CRM Plus", "title": "CRM Plus", "public": 1})},
	)
	message = (workspace.json().get("message") or {}) if workspace.status_code == 200 else {}
	cards = len((message.get("cards") or {}).get("items") or [])
	shortcuts = len((message.get("shortcuts") or {}).get("items") or [])
	check(workspace.status_code == 200 and cards and shortcuts,
		f"the CRM Plus workspace: HTTP {workspace.status_code}, {shortcuts} shortcuts, {cards} cards, {took_workspace:.2f} s (page and workspace together {took_page + took_workspace:.2f} s)")

	workspace_in_browser(browser.session.headers["Host"])

	with open(os.path.join(frappe.local.sites_path, "assets", "assets.json")) as f:
		bundle = json.load(f)["crm_plus.bundle.js"]
	asset = browser.get(bundle)
	check(asset.status_code == 200 and "javascript" in asset.headers.get("Content-Type", "") and len(asset.content) > 1000,
		f"crm_plus's bundle {bundle}: HTTP {asset.status_code}, {len(asset.content)} bytes, served by nginx")

	for report, filters in crm_plus_reports().items():
		view = browser.get(f"/app/query-report/{report}")
		response, took = timed(
			browser.post, "/api/method/frappe.desk.query_report.run",
			{"report_name": report, "filters": json.dumps(filters), "ignore_prepared_report": 1},
		)
		result = response.json().get("message", {}).get("result") if response.status_code == 200 else None
		check(view.status_code == 200 and isinstance(result, list),
			f"{report}: page HTTP {view.status_code}, run HTTP {response.status_code}, {len(result or [])} rows, {took:.2f} s")


def workspace_in_browser(site: str) -> None:
	"""The workspace as a user opens it, in headless Chromium (which finds *.localhost on the
	loopback): every number card's figure shown. Timed, not held to a limit here."""
	script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "production_workspace.js")
	result = subprocess.run(["node", script], env={**os.environ, "BASE_URL": f"http://{site}"}, capture_output=True, text=True, timeout=300)
	check(result.returncode == 0, f"the workspace in Chromium: {result.stderr[-1500:]}")
	shown = json.loads(result.stdout.strip().splitlines()[-1])
	check(shown["status"] == 200 and len(shown["cards"]) >= 9,
		f"the workspace in Chromium at http://{site}/app/crm-plus: {len(shown['cards'])} number cards shown "
		f"{shown['page_load']:.2f} s after a full page load, {shown['from_desk']:.2f} s after opening it from the desk")


# --- the scheduled jobs ------------------------------------------------------------------------


def job_data() -> dict:
	"""What each job is to act on: an overdue complaint (hourly), an overdue follow-up and a
	customer without a lifecycle status (daily), a promise to pay that passed (daily
	receivables)."""
	from crm_plus.tests.factories import (
		make_complaint,
		make_customer,
		make_follow_up,
		make_item,
		make_receivable_invoice,
		make_user,
	)

	tag = frappe.generate_hash(length=6).lower()
	settings = frappe.get_single("CRM Plus Settings")
	settings.complaint_escalation_role = "Service Manager"
	settings.follow_up_daily_digest = 1
	settings.save()
	manager = make_user(f"prod-service-manager-{tag}@example.com", ["Service Manager"])
	seller = make_user(f"prod-seller-{tag}@example.com", ["Sales User"])
	collector = make_user(f"prod-collector-{tag}@example.com", ["Accounts User"])

	complaint = make_complaint(make_customer(f"_CP Production Complaint {tag}"))
	frappe.db.set_value("Customer Complaint", complaint.name, "resolve_by", add_to_date(now_datetime(), hours=-1))

	customer = make_customer(f"_CP Production Digest {tag}")
	frappe.set_user(seller)
	follow_up = make_follow_up(customer, next_action="Call about the price list", next_follow_up_on=add_to_date(now_datetime(), hours=1))
	frappe.set_user("Administrator")
	frappe.db.set_value("Customer Follow Up", follow_up.name, "next_follow_up_on", add_to_date(now_datetime(), days=-1))
	frappe.db.set_value("Customer", customer, "crm_plus_lifecycle_status", None)

	item = make_item("_CP Production Receivable Item", is_stock_item=0)
	invoice = make_receivable_invoice(make_customer(f"_CP Production Debtor {tag}"), item, 800)
	promise = frappe.get_doc(
		{"doctype": "Receivable Follow Up", "sales_invoice": invoice.name, "collector": collector, "promise_date": nowdate(), "promise_amount": 300}
	).insert()
	frappe.db.set_value("Receivable Follow Up", promise.name, "promise_date", add_days(nowdate(), -1))
	frappe.db.commit()
	return {"complaint": complaint.name, "manager": manager, "seller": seller, "customer": customer,
		"collector": collector, "promise": promise.name, "invoice": invoice.name}


def make_due(started) -> dict[str, str]:
	"""crm_plus's jobs as if they last ran two days ago: the scheduler's next tick queues them.
	Returns their Scheduled Job Types' names (what the Scheduled Job Log names) by method."""
	names = {}
	for method in JOBS:
		name = frappe.db.get_value("Scheduled Job Type", {"method": method})
		check(bool(name), f"{method} is a Scheduled Job Type of the site ({name})")
		frappe.db.set_value("Scheduled Job Type", name, {"last_execution": add_days(started, -2), "stopped": 0}, update_modified=False)
		names[method] = name
	# Frappe's e-mail flush ("All": every 4 minutes) counts from its last run, or from when it
	# was made: on this site before the test company moved the site's time zone hours back,
	# so it would wait hours for its first run. Started as if it had run a minute ago.
	flush = frappe.db.get_value("Scheduled Job Type", {"method": "frappe.email.queue.flush"})
	if not frappe.db.get_value("Scheduled Job Type", flush, "last_execution"):
		frappe.db.set_value("Scheduled Job Type", flush, "last_execution", add_to_date(started, minutes=-1), update_modified=False)
	frappe.db.commit()
	return names


def wait_for(what: str, condition, timeout: float = JOB_TIMEOUT):
	deadline = time.time() + timeout
	while True:
		frappe.db.rollback()  # see what the bench's processes committed
		value = condition()
		if value or time.time() > deadline:
			return value
		time.sleep(2)


def scheduled_jobs(sink) -> None:
	data = job_data()
	started = now_datetime()
	sink.clear()
	names = make_due(started)
	print(f"     waiting for the scheduler (a tick every {frappe.get_conf().scheduler_tick_interval or 60} s) and the workers", flush=True)

	def logs():
		rows = frappe.get_all("Scheduled Job Log", {"scheduled_job_type": ["in", list(names.values())], "creation": [">=", started]},
			["scheduled_job_type", "status", "creation", "modified", "details"])
		method = {name: method for method, name in names.items()}
		return {method[row.scheduled_job_type]: row for row in rows if row.status in ("Complete", "Failed")}

	done = wait_for("the jobs", lambda: len(logs()) == len(JOBS) and logs())
	for method in JOBS:
		row = (done or logs()).get(method)
		check(row is not None and row.status == "Complete",
			f"{method}: queued by the scheduler, run by a worker: {row.status if row else 'did not run'}"
			+ (f" in {(row.modified - row.creation).total_seconds():.1f} s" if row else "")
			+ (f"\n{row.details}" if row and row.details else ""))

	escalated = frappe.db.get_value("Customer Complaint", data["complaint"], "escalated_on")
	check(bool(escalated), f"hourly: complaint {data['complaint']} escalated at {escalated}")
	check(frappe.db.exists("Notification Log", {"for_user": data["manager"], "document_name": data["complaint"]}),
		f"hourly: {data['manager']} notified of it")
	check(frappe.db.exists("Notification Log", {"for_user": data["seller"], "subject": ["like", "Follow-ups due%"]}),
		f"daily: the follow-up digest for {data['seller']}")
	status = frappe.db.get_value("Customer", data["customer"], "crm_plus_lifecycle_status")
	check(bool(status), f"daily: {data['customer']}'s lifecycle status written: {status}")
	promise = frappe.db.get_value("Receivable Follow Up", data["promise"], ["status", "missed_alert_sent"], as_dict=True)
	check(promise.status == "Promise Missed" and promise.missed_alert_sent, f"daily receivables: the missed promise {data['promise']} is {promise.status}, alerted")

	# the scheduler's own e-mail flush (every tick) sends what the jobs queued
	expected = {data["manager"], data["seller"], data["collector"]}
	wait_for("the mail", lambda: expected <= {m["to"] for m in sink.messages()}, timeout=180)
	received = {m["to"] for m in sink.messages()}
	check(expected <= received, f"their mail sent by the scheduler's flush: {len(expected & received)} of {len(expected)} recipients got it")


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--url", default="http://127.0.0.1")
	parser.add_argument("--password", default="admin")
	parser.add_argument("--sink-python", required=True, help="a Python with aiosmtpd")
	parser.add_argument("--mail-port", type=int, default=2527)
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	from crm_plus.tests.mail.run import Sink, point_outbox_at

	folder = tempfile.mkdtemp(prefix="crm_plus_production_mail_")
	sink = Sink(args.sink_python, args.mail_port, folder)
	sink.start()
	failed = False
	try:
		point_outbox_at(args.mail_port, f"http://{args.site}")
		errors_before = frappe.db.count("Error Log")
		desk_and_reports(Browser(args.url, args.site), args.password)
		scheduled_jobs(sink)
		frappe.db.rollback()
		errors = frappe.get_all("Error Log", {"creation": [">=", add_to_date(now_datetime(), hours=-1)]}, ["method", "error"], limit=5)
		check(frappe.db.count("Error Log") == errors_before, f"no new Error Log entries: {[e.method for e in errors]}")
	except AssertionError as e:
		print(f"FAIL {e}", flush=True)
		failed = True
	finally:
		sink.stop()
		frappe.destroy()
	sys.exit(1 if failed else 0)


if __name__ == "__main__":
	main()
