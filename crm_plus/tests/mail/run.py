"""The mail suite: crm_plus's mail, delivered to a real SMTP server and read back from it.

	env/bin/python -m crm_plus.tests.mail.run --site SITE --base-url URL \
		--sink-python PY --port PORT          (from sites/)

scripts/test.sh runs it last, while the site is served. It starts the SMTP sink
(`sink.py`, aiosmtpd on loopback) and points the site's default outgoing Email Account
at it. Records are made and committed as a user would make them; queued jobs run in a real
RQ worker (`bench worker --burst`); the Email Queue is sent by Frappe's own scheduled
`flush`, outside the test runner, so Frappe really talks SMTP. Each case then parses what
the server received. Links in mail are followed in headless Chromium (`browser_steps.js`).
Prints each failure and "MAIL: N passed, N failed"; exits non-zero when anything failed.
"""

import argparse
import email
import email.policy
import html
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

import frappe
from frappe.utils import add_days, add_to_date, now_datetime, nowdate

from crm_plus.marketing.mass_email import CAMPAIGN, MEMBER
from crm_plus.tests.jobs import site_jobs, worker_env

HERE = os.path.dirname(os.path.abspath(__file__))
MEMBERS = 1000


# --- the server and what it received -----------------------------------------------------------


class Sink:
	"""The SMTP server, as a process this suite starts, stops and starts again."""

	def __init__(self, python: str, port: int, folder: str):
		self.python, self.port, self.folder = python, port, folder
		self.process = None

	def start(self) -> None:
		try:
			socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
			raise RuntimeError(f"port {self.port} is taken by another program: set MAIL_PORT to a free one")
		except OSError:
			pass  # free, as it should be
		self.process = subprocess.Popen(
			[self.python, os.path.join(HERE, "sink.py"), "--port", str(self.port), "--dir", self.folder],
			stdout=subprocess.DEVNULL,
		)
		for _ in range(100):
			if self.process.poll() is not None:
				break
			try:
				socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
				return
			except OSError:
				time.sleep(0.1)
		raise RuntimeError(f"the SMTP sink did not start on port {self.port}")

	def stop(self) -> None:
		if self.process:
			self.process.terminate()
			self.process.wait(timeout=20)
			self.process = None

	def messages(self) -> list[dict]:
		found = []
		for name in sorted(os.listdir(self.folder)):
			if name.endswith(".eml"):
				with open(os.path.join(self.folder, name), "rb") as f:
					found.append(parse(f.read()))
		return found

	def to(self, address: str) -> list[dict]:
		return [m for m in self.messages() if m["to"] == address.lower()]

	def clear(self) -> None:
		for name in os.listdir(self.folder):
			os.remove(os.path.join(self.folder, name))


def parse(data: bytes) -> dict:
	message = email.message_from_bytes(data, policy=email.policy.default)
	bodies = []
	for part in message.walk():
		if part.get_content_type() in ("text/html", "text/plain"):
			bodies.append(part.get_content())
	body = "\n".join(bodies)
	return {
		"to": message["X-Sink-To"].lower(),
		"header_to": str(message["To"] or ""),
		"subject": str(message["Subject"] or ""),
		"body": body,
		"links": [html.unescape(link) for link in re.findall(r'href="([^"]+)"', body)],
	}


def flush(rounds: int = 40) -> None:
	"""Send the Email Queue the way the scheduler does, until nothing sendable is left."""
	from frappe.email.queue import flush as frappe_flush

	for _ in range(rounds):
		frappe.db.commit()
		if not frappe.db.sql(
			"""SELECT 1 FROM `tabEmail Queue` WHERE status IN ('Not Sent', 'Partially Sent')
			AND (send_after IS NULL OR send_after < %s) LIMIT 1""",
			now_datetime(),
		):
			return
		frappe_flush()
		frappe.db.commit()


def run_jobs(bench_dir: str, queues: str = "short,default,long", workers: int = 1, timeout: float = 600) -> float:
	"""Run the queued jobs in real RQ workers (`bench worker --burst`, `workers` of them side by
	side), again while a job queued another (a job enqueues after its commit) or one still runs."""
	frappe.db.commit()
	started = time.time()
	while time.time() - started < timeout:
		burst = [
			subprocess.Popen(["bench", "worker", "--queue", queues, "--burst"], cwd=bench_dir,
				stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=worker_env())
			for _ in range(workers)
		]
		for process in burst:
			process.wait()
		if not jobs_left(queues):
			break
		time.sleep(0.5)
	frappe.db.rollback()  # read what the workers committed
	return time.time() - started


def jobs_left(queues: str) -> int:
	"""This site's jobs waiting in the queues (a burst worker waits for the jobs it runs)."""
	return len(site_jobs(queues.split(",")))


def descendants(pid: int) -> list[int]:
	"""The processes under `pid` (RQ runs each job in a work horse in its own session, which
	killing the worker's process group would miss)."""
	children = {}
	for entry in os.listdir("/proc"):
		if entry.isdigit():
			try:
				with open(f"/proc/{entry}/stat") as f:
					parent = int(f.read().rsplit(")", 1)[1].split()[1])
			except (OSError, IndexError, ValueError):
				continue
			children.setdefault(parent, []).append(int(entry))
	found, todo = [], [pid]
	while todo:
		for child in children.get(todo.pop(), []):
			found.append(child)
			todo.append(child)
	return found


def second_connection():
	"""Another connection to the site's database, with its own transaction."""
	from frappe.database import get_db

	conf = frappe.conf
	db = get_db(socket=conf.db_socket, host=conf.db_host, port=conf.db_port, user=conf.db_name,
		password=conf.db_password, cur_db_name=conf.db_name)
	db.connect()
	return db


def site_connections() -> dict[int, str]:
	"""The site's open database connections but this process's own: id and running statement."""
	rows = frappe.db.sql(
		"SELECT id, info FROM information_schema.PROCESSLIST WHERE db = %s AND id != CONNECTION_ID()",
		frappe.conf.db_name,
	)
	return {int(id): info or "" for id, info in rows}


def kill_trees(roots: list[int]) -> None:
	"""Kill these processes and every process under them, as a machine losing power would. They
	are all stopped first, again until no new one appears, and only then killed: a worker that
	finished its job just now would otherwise fork the work horse of its next job between the
	listing and the kill, and that horse, orphaned, would run its chunk to the end."""
	stopped: set[int] = set()
	while True:
		found = {pid for root in roots for pid in (root, *descendants(root))} - stopped
		if not found:
			break
		for pid in found:
			try:
				os.kill(pid, signal.SIGSTOP)
			except ProcessLookupError:
				pass
		stopped |= found
	for pid in stopped:
		try:
			os.kill(pid, signal.SIGKILL)
		except ProcessLookupError:
			pass


def browser(step: str, **args) -> dict:
	result = subprocess.run(
		["node", os.path.join(HERE, "browser_steps.js"), step, json.dumps(args)],
		capture_output=True,
		text=True,
		timeout=180,
	)
	if result.returncode:
		raise AssertionError(f"browser step {step} failed:\n{result.stderr[-2000:]}")
	return json.loads(result.stdout.strip().splitlines()[-1])


def equal(actual, expected, what: str = "") -> None:
	if isinstance(expected, set) and isinstance(actual, set) and actual != expected:
		missing, extra = sorted(expected - actual), sorted(actual - expected)
		raise AssertionError(f"{what}: {len(missing)} missing (first: {missing[:3]}), {len(extra)} unexpected (first: {extra[:3]})")
	assert actual == expected, f"{what}: expected {expected!r}, got {actual!r}"


# --- the suite ------------------------------------------------------------------------------------


class Suite:
	def __init__(self, sink: Sink, base_url: str, bench_dir: str):
		self.sink, self.base_url, self.bench_dir = sink, base_url, bench_dir
		self.results: list[tuple[str, bool, str]] = []

	def run(self, name: str, fn) -> None:
		started = time.time()
		try:
			fn(self)
			passed, detail = True, ""
		except AssertionError as e:
			passed, detail = False, str(e) or traceback.format_exc(limit=3)
		except Exception:
			passed, detail = False, traceback.format_exc(limit=8)
		finally:
			frappe.db.rollback()
			frappe.set_user("Administrator")
		self.results.append((name, passed, detail))
		print(f"{'ok  ' if passed else 'FAIL'} {name} ({time.time() - started:.1f} s)", flush=True)
		if not passed:
			print(f"    {detail.strip()}", flush=True)


def unique(prefix: str) -> str:
	return f"{prefix}-{frappe.generate_hash(length=6).lower()}"


def setting(field: str, value) -> None:
	frappe.db.set_single_value("CRM Plus Settings", field, value)
	frappe.clear_document_cache("CRM Plus Settings", "CRM Plus Settings")
	frappe.db.commit()


def make_desk_user(prefix: str, roles: list[str]) -> str:
	from crm_plus.tests.factories import make_user

	return make_user(f"{unique(prefix)}@example.com", roles)


# --- cases ---------------------------------------------------------------------------------------------


def portal_welcome(suite: Suite) -> None:
	"""Ticking Portal User on a contact mails a set-password link; following it in the browser
	sets a password that logs in to /service."""
	from crm_plus.tests.factories import make_customer

	customer = make_customer(f"门户客户 {unique('mail')}")
	address = f"{unique('portal')}@example.com"
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": "王",
			"last_name": "采购",
			"email_ids": [{"email_id": address, "is_primary": 1}],
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	).insert()
	from crm_plus.tests.factories import make_complaint

	complaint = make_complaint(customer, subject=f"水泵漏水 {unique('s')}")
	contact.crm_plus_portal_user = 1
	contact.save()
	flush()

	mails = suite.sink.to(address)
	equal(len(mails), 1, "welcome mails received")
	links = [link for link in mails[0]["links"] if "/update-password?key=" in link]
	assert links, f"no set-password link in the welcome mail: {mails[0]['links']}"
	assert links[0].startswith(suite.base_url), f"the link is not on the site: {links[0]}"
	password = f"Cp-Portal-{frappe.generate_hash(length=8)}!"
	shown = browser("set-password", link=links[0], email=address, password=password, expect=complaint.subject)
	equal(shown["service_status"], 200, "/service after logging in with the new password")
	equal(shown["service_path"], "/service", "where /service took the portal user")
	assert shown["service_has_customer"], f"/service does not show the customer's complaint {complaint.subject}"


def complaint_assignment_and_escalation(suite: Suite) -> None:
	"""The assignee is mailed when a complaint is assigned; when it is overdue the hourly job
	mails the escalation role once."""
	from crm_plus.tests.factories import make_complaint, make_customer

	agent = make_desk_user("agent", ["Service Clerk"])
	manager = make_desk_user("manager", ["Service Manager"])
	setting("complaint_escalation_role", "Service Manager")
	complaint = make_complaint(make_customer(f"_CP Mail Complaint {unique('c')}"), assignee=agent)
	run_jobs(suite.bench_dir)  # Frappe makes assignment notifications in a job
	flush()
	mails = suite.sink.to(agent)
	assert any(complaint.name in m["subject"] + m["body"] for m in mails), f"no assignment mail for {complaint.name} to {agent}: {mails}"

	frappe.db.set_value("Customer Complaint", complaint.name, "resolve_by", add_to_date(now_datetime(), hours=-1))
	from crm_plus.tasks import hourly

	hourly()
	hourly()  # once per complaint
	flush()
	escalations = [m for m in suite.sink.to(manager) if "Overdue complaint" in m["subject"] and complaint.name in m["subject"]]
	equal(len(escalations), 1, f"escalation mails for {complaint.name} to {manager}")
	assert any(f"/app/customer-complaint/{complaint.name}" in link for link in escalations[0]["links"]), escalations[0]["links"]


def repair_ready(suite: Suite) -> None:
	"""Submitting a repair order (Ready for Pickup) mails the customer's contact."""
	from crm_plus.tests.factories import make_customer, make_repair_order

	customer = make_customer(f"_CP Mail Repair {unique('r')}")
	address = f"{unique('repair')}@example.com"
	frappe.db.set_value("Customer", customer, "email_id", address)
	setting("notify_customer_ready", 1)
	repair = make_repair_order(customer, work_done="Replaced the seal")
	repair.submit()
	flush()
	mails = suite.sink.to(address)
	equal(len(mails), 1, "pickup mails to the customer")
	assert repair.name in mails[0]["subject"] and "ready for pickup" in mails[0]["subject"], mails[0]["subject"]
	assert "Replaced the seal" in mails[0]["body"], mails[0]["body"][:500]


def daily_digest(suite: Suite) -> None:
	"""The daily job mails each salesperson their follow-ups due and overdue."""
	from crm_plus.tests.factories import make_customer, make_follow_up

	seller = make_desk_user("seller", ["Sales User"])
	setting("follow_up_daily_digest", 1)
	customer = make_customer(f"_CP Mail Digest {unique('d')}")
	frappe.set_user(seller)
	follow_up = make_follow_up(customer, next_action="Send the price list", next_follow_up_on=add_to_date(now_datetime(), hours=1))
	frappe.set_user("Administrator")
	frappe.db.set_value("Customer Follow Up", follow_up.name, "next_follow_up_on", add_to_date(now_datetime(), days=-1))
	from crm_plus.relationship.follow_ups import send_daily_digest

	send_daily_digest()
	flush()
	mails = suite.sink.to(seller)
	equal(len(mails), 1, f"digest mails to {seller}")
	equal(mails[0]["subject"], "Follow-ups due: 0 today, 1 overdue", "digest subject")
	assert customer in mails[0]["body"] and "Send the price list" in mails[0]["body"], mails[0]["body"][:800]


def missed_promise(suite: Suite) -> None:
	"""A promise to pay that passed unmet mails the collector and the Accounts Managers, once."""
	from crm_plus.receivables.follow_ups import alert_missed_promises
	from crm_plus.tests.factories import make_customer, make_item, make_receivable_invoice

	collector = make_desk_user("collector", ["Accounts User"])
	manager = make_desk_user("accounts-manager", ["Accounts Manager"])
	item = make_item("_CP Mail Receivable Item", is_stock_item=0)
	invoice = make_receivable_invoice(make_customer(f"_CP Mail Debtor {unique('p')}"), item, 800)
	fu = frappe.get_doc(
		{"doctype": "Receivable Follow Up", "sales_invoice": invoice.name, "collector": collector, "promise_date": nowdate(), "promise_amount": 300}
	).insert()
	frappe.db.set_value("Receivable Follow Up", fu.name, "promise_date", add_days(nowdate(), -1))
	alert_missed_promises()
	alert_missed_promises()
	flush()
	for user in (collector, manager):
		mails = [m for m in suite.sink.to(user) if invoice.name in m["subject"]]
		equal(len(mails), 1, f"missed-promise mails to {user}")
		assert mails[0]["subject"].startswith("Missed promise to pay"), mails[0]["subject"]


class Campaign:
	"""A campaign of MEMBERS customers with their own addresses, plus an invalid address and
	two customers sharing another's address."""

	def __init__(self, size: int = MEMBERS):
		from crm_plus.tests.factories import COMPANY

		self.tag = unique("camp")
		territory = frappe.get_doc(
			{"doctype": "Territory", "territory_name": f"_CP Mail {self.tag}", "parent_territory": "All Territories"}
		).insert()
		self.territory = territory.name
		# the members' customers are written in one statement (a thousand ERPNext saves would be
		# most of this suite's time, and are not what it tests); with them, an address ERPNext's
		# own form would refuse and two customers sharing another's address, as imports and old
		# data have
		self.addresses = {f"{self.tag}-{n:04d}@example.com": f"客户{n:04d} {self.tag}" for n in range(size)}
		rows = [(name, address) for address, name in self.addresses.items()]
		rows += [(f"invalid {self.tag}", "not an address"), (f"dup-1 {self.tag}", f"{self.tag}-0001@example.com"),
			(f"dup-2 {self.tag}", f"{self.tag.upper()}-0002@EXAMPLE.com")]
		now = now_datetime()
		frappe.db.bulk_insert(
			"Customer",
			["name", "customer_name", "customer_type", "customer_group", "territory", "email_id", "owner", "modified_by", "creation", "modified"],
			[(name, name, "Company", "All Customer Groups", self.territory, address, "Administrator", "Administrator", now, now) for name, address in rows],
		)
		template = frappe.get_doc(
			{"doctype": "Email Template", "name": f"_CP Mail {self.tag}", "subject": "{{ member_name }}：新品上市",
			 "response": "<p>尊敬的 {{ first_name }}，您好！</p><p>Your address: {{ email }}</p>"}
		).insert()
		self.doc = frappe.get_doc(
			{"doctype": CAMPAIGN, "campaign_name": f"_CP Mail {self.tag}", "company": COMPANY, "start_date": nowdate(),
			 "purpose": "Product Launch", "email_template": template.name,
			 "audience_rules": [{"rule": "Territory", "value": territory.name}]}
		).insert()
		from crm_plus.api.marketing import resolve_audience

		resolve_audience(self.doc.name)
		frappe.db.commit()

	def add_member(self, key: str, address: str) -> str:
		frappe.get_doc(
			{"doctype": "Customer", "customer_name": f"{key} {self.tag}", "customer_group": "All Customer Groups",
			 "territory": self.territory, "email_id": address}
		).insert()
		from crm_plus.api.marketing import resolve_audience

		resolve_audience(self.doc.name)
		frappe.db.commit()
		return address

	def send(self, suite: Suite) -> dict:
		from crm_plus.api.marketing import send_emails

		result = send_emails(self.doc.name)
		run_jobs(suite.bench_dir, "long")
		return result

	def mails(self, suite: Suite) -> list[dict]:
		return [m for m in suite.sink.messages() if m["to"].startswith(self.tag)]


def campaign_mass_mail(suite: Suite) -> None:
	"""1,000 members: each valid address gets exactly one mail with its own merge fields and an
	unsubscribe link; invalid and duplicate addresses never reach the server; following one
	unsubscribe link stops later sends to it; sending again sends to nobody twice."""
	t0 = time.time()
	campaign = Campaign()
	t1 = time.time()
	result = campaign.send(suite)
	t2 = time.time()
	equal(result["queued"], MEMBERS + 3, "members to send to")
	flush()
	print(f"    {MEMBERS} members made in {t1 - t0:.1f} s, queued by a worker in {t2 - t1:.1f} s, sent over SMTP in {time.time() - t2:.1f} s", flush=True)
	mails = campaign.mails(suite)
	by_address = {}
	for m in mails:
		by_address.setdefault(m["to"], []).append(m)
	equal(set(by_address), set(campaign.addresses), "addresses the server received mail for")
	twice = [a for a, ms in by_address.items() if len(ms) != 1]
	equal(twice, [], "addresses with other than one mail")
	doc = frappe.get_doc(CAMPAIGN, campaign.doc.name)
	sent_to = {}  # the one member each address was sent for (members sharing an address: the first)
	for m in doc.members:
		if m.email_status == "Queued":
			assert m.email.lower() not in sent_to, f"{m.email}: queued for two members"
			sent_to[m.email.lower()] = m.member_name
	equal(set(sent_to), set(by_address), "addresses queued and addresses received")
	for address, (mail,) in by_address.items():
		name = sent_to[address]
		assert mail["subject"] == f"{name}：新品上市", f"{address}: subject {mail['subject']!r}, member {name!r}"
		assert f"尊敬的 {name.split(' ')[0]}，您好！" in mail["body"] and f"Your address: {address}" in mail["body"], (
			f"{address}: merge fields not its own: {mail['body'][:300]}"
		)
		assert any("frappe.email.queue.unsubscribe" in link and "email=" in link for link in mail["links"]), f"{address}: no unsubscribe link"
	equal((doc.emails_queued, doc.emails_invalid, doc.emails_duplicate), (MEMBERS, 1, 2), "campaign counts")

	# one reader unsubscribes in the browser
	leaving = f"{campaign.tag}-0007@example.com"
	link = next(link for link in by_address[leaving][0]["links"] if "frappe.email.queue.unsubscribe" in link)
	shown = browser("unsubscribe", link=link)
	equal(shown["status"], 200, "unsubscribe page")
	assert "unsubscribed" in shown["text"].lower(), shown["text"]
	frappe.db.rollback()  # see what the served site committed
	assert frappe.db.exists("Email Unsubscribe", {"email": leaving, "reference_doctype": CAMPAIGN, "reference_name": doc.name})

	# later, the audience grows: a new customer with the address that left, and one with a new address
	campaign.add_member("rejoined", leaving)
	fresh = campaign.add_member("new", f"{campaign.tag}-new@example.com")
	suite.sink.clear()
	again = campaign.send(suite)
	equal(again["queued"], 2, "members due on the later send")
	flush()
	equal([m["to"] for m in campaign.mails(suite)], [fresh], "the later send reached")
	status = frappe.db.get_value(MEMBER, {"parent": doc.name, "member": f"rejoined {campaign.tag}"}, "email_status")
	equal(status, "Unsubscribed", "the rejoined member whose address left")

	# and sending once more sends to nobody
	suite.sink.clear()
	equal(campaign.send(suite)["queued"], 0, "members due after everyone was sent")
	flush()
	equal(campaign.mails(suite), [], "mail received on the third send")


def campaign_workers_killed(suite: Suite) -> None:
	"""2,000 members in chunks shared by two workers; the workers are killed mid-way and started
	again, and the hourly job takes up what the killed jobs held: every address gets exactly
	one mail, and the counts on the form are right."""
	from crm_plus.marketing.mass_email import CHUNK_SIZE, resume_campaign_emails, send_campaign_emails

	size = 4 * CHUNK_SIZE
	campaign = Campaign(size)
	from crm_plus.api.marketing import send_emails

	send_emails(campaign.doc.name)
	frappe.db.commit()
	# The planning job runs here, in this process, as a worker would run it (it locks every
	# member while it marks them, so the lock below must wait until it has committed). Its
	# commit queues the chunks.
	planner = "crm_plus.marketing.mass_email.send_campaign_emails"
	for job in site_jobs(["long"]):
		if job.kwargs.get("method") == planner:
			job.delete()
	send_campaign_emails(campaign.doc.name)
	frappe.db.commit()
	# A member in the middle of the second chunk is held locked by another connection, as a slow
	# row would be: the job that reaches it waits there with half its chunk queued and not yet
	# committed, and the workers are killed only once the first chunk is committed and that job
	# waits. So a job dies mid-chunk on every run, however fast the machine (without the lock, two
	# workers finishing their chunks together left nothing running to kill).
	members = frappe.get_all(MEMBER, filters={"parent": campaign.doc.name}, order_by="idx", pluck="name")
	held = members[CHUNK_SIZE + CHUNK_SIZE // 2]
	holder = second_connection()
	holder.sql(f"SELECT name FROM `tab{MEMBER}` WHERE name = %s FOR UPDATE", held)
	before = site_connections()
	# Two listening workers, as supervisor runs them (not `bench worker-pool`: its workers start
	# Frappe's scheduler, which would queue the jobs of every site on the bench).
	workers = [
		subprocess.Popen(["bench", "worker", "--queue", "long"], cwd=suite.bench_dir,
			stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=worker_env())
		for _ in range(2)
	]

	def queued() -> int:
		frappe.db.rollback()
		return frappe.db.count(MEMBER, {"parent": campaign.doc.name, "email_status": "Queued"})

	def waiting() -> bool:  # a job's connection waits for the held member's lock
		return any("FOR UPDATE" in info and held in info for info in site_connections().values())

	deadline = time.time() + 300
	while not (queued() >= CHUNK_SIZE and waiting()) and time.time() < deadline:
		time.sleep(0.2)
	assert waiting(), f"no job reached the held member {held} (queued: {queued()})"
	killed = set(site_connections()) - set(before)
	kill_trees([worker.pid for worker in workers])
	for worker in workers:
		worker.wait()
	holder.rollback()  # the lock is let go: the waiting connection finds its client gone
	holder.close()
	# MariaDB rolls back each killed job's transaction as it finds its connection dropped
	deadline = time.time() + 60
	while killed & set(site_connections()) and time.time() < deadline:
		time.sleep(0.2)
	at_kill = queued()
	assert CHUNK_SIZE <= at_kill < size, f"killed with {at_kill} of {size} queued: not mid-way"
	mail_rows = frappe.db.count("Email Queue", {"reference_doctype": CAMPAIGN, "reference_name": campaign.doc.name})
	equal(mail_rows, at_kill, "mails on the Email Queue when the workers were killed, against members marked Queued")

	run_jobs(suite.bench_dir, "long", workers=2)  # started again: the chunks not begun
	due = size - queued()
	assert due > 0, f"the killed jobs' members were sent anyway (killed with {at_kill} of {size} queued): nothing was killed mid-chunk"
	print(f"    killed with {at_kill} of {size} queued; {due} still due after the workers ran again", flush=True)
	frappe.db.set_value(CAMPAIGN, campaign.doc.name, "modified", add_to_date(now_datetime(), hours=-1), update_modified=False)
	frappe.db.commit()
	resumed = resume_campaign_emails()  # the hourly job: the killed jobs' members are still due
	assert campaign.doc.name in resumed or queued() == size, f"the stalled campaign was not taken up: {resumed}"
	run_jobs(suite.bench_dir, "long", workers=2)
	doc = frappe.get_doc(CAMPAIGN, campaign.doc.name)
	equal((doc.email_status, doc.emails_queued, doc.emails_duplicate, doc.emails_invalid), ("Sent", size, 2, 1), "campaign after the restart")
	flush()
	received = [m["to"] for m in campaign.mails(suite)]
	equal(len(received), size, f"mails received (killed with {at_kill} queued)")
	equal(set(received), set(campaign.addresses), "addresses that received mail")


def smtp_down(suite: Suite) -> None:
	"""The mail server is down during a send: nothing is marked sent, the mail stays queued, and
	goes out once when the server is back."""
	from crm_plus.tests.factories import make_customer, make_repair_order

	flush()  # what an earlier case left unsent (a failed one's) would be tried first, not this case's
	addresses = []
	suite.sink.stop()
	try:
		repairs = []
		for n in range(3):
			customer = make_customer(f"_CP Mail Down {unique('x')}")
			address = f"{unique('down')}@example.com"
			frappe.db.set_value("Customer", customer, "email_id", address)
			repair = make_repair_order(customer)
			repair.submit()
			repairs.append(repair.name)
			addresses.append(address)
		frappe.db.commit()
		from frappe.email.queue import flush as frappe_flush

		try:
			frappe_flush()
		except frappe.ValidationError:
			pass  # "Email Queue flushing aborted due to too many failures.": Frappe stops trying, as it should
		frappe.db.rollback()
		rows = frappe.get_all(
			"Email Queue", {"reference_doctype": "Repair Order", "reference_name": ["in", repairs]}, ["name", "status", "retry"]
		)
		equal(len(rows), 3, "queued mails")
		equal({r.status for r in rows}, {"Not Sent"}, "status while the server is down")
		equal({r.retry for r in rows}, {1}, "retries counted")
		sent = frappe.get_all("Email Queue Recipient", {"parent": ["in", [r.name for r in rows]], "status": "Sent"})
		equal(sent, [], "recipients marked sent while the server is down")
	finally:
		suite.sink.start()
	flush()
	for address in addresses:
		equal(len(suite.sink.to(address)), 1, f"mails to {address} once the server is back")
	equal(
		set(frappe.get_all("Email Queue", {"reference_doctype": "Repair Order", "reference_name": ["in", repairs]}, pluck="status")),
		{"Sent"},
		"status once the server is back",
	)


CASES = [
	("the portal welcome mail's set-password link, followed in the browser, logs in to /service", portal_welcome),
	("complaint assignment mail, and one escalation mail when overdue", complaint_assignment_and_escalation),
	("repair ready-for-pickup mail to the customer", repair_ready),
	("daily follow-up digest mail", daily_digest),
	("missed promise to pay: one mail each to collector and manager", missed_promise),
	(f"campaign of {MEMBERS} members: one mail each, own merge fields, unsubscribe followed, no resend", campaign_mass_mail),
	("campaign of 2,000 members: two workers killed mid-way and started again, one mail per address", campaign_workers_killed),
	("SMTP server down: mail stays queued, goes out once when it is back", smtp_down),
]


def point_outbox_at(port: int, base_url: str) -> None:
	from frappe.installer import update_site_config

	from crm_plus.tests.setup import make_outgoing_email_account

	make_outgoing_email_account()
	name = frappe.db.get_value("Email Account", {"default_outgoing": 1})
	account = frappe.get_doc("Email Account", name)
	account.update({"smtp_server": "127.0.0.1", "smtp_port": port, "use_tls": 0, "use_ssl": 0, "no_smtp_authentication": 1})
	account.save()  # Frappe checks it can connect: the sink is up
	update_site_config("host_name", base_url)  # links in mail point at the served site
	frappe.local.conf.host_name = base_url
	frappe.db.commit()


def run_all(args) -> int:
	folder = tempfile.mkdtemp(prefix="crm_plus_mail_")
	sink = Sink(args.sink_python, args.port, folder)
	sink.start()
	suite = Suite(sink, args.base_url.rstrip("/"), args.bench_dir)
	started = time.time()
	try:
		point_outbox_at(args.port, suite.base_url)
		from crm_plus.tests.jobs import purge

		purge()
		flush()  # what earlier suites queued goes out first, and is not this suite's
		sink.clear()
		for name, fn in CASES:
			if args.only and args.only not in name:
				continue
			suite.run(name, fn)
	finally:
		sink.stop()
		shutil.rmtree(folder, ignore_errors=True)
	failed = [r for r in suite.results if not r[1]]
	print(f"\nMail suite: {len(suite.results)} cases through a real SMTP server in {time.time() - started:.0f} s")
	print(f"MAIL: {len(suite.results) - len(failed)} passed, {len(failed)} failed")
	return 1 if failed or not suite.results else 0


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--base-url", required=True)
	parser.add_argument("--sink-python", required=True, help="a Python with aiosmtpd")
	parser.add_argument("--port", type=int, default=2525)
	parser.add_argument("--bench-dir", default=os.path.abspath(".."))
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--only", help="run only the cases whose name contains this")
	args = parser.parse_args()
	import cssutils

	cssutils.log.setLevel(logging.CRITICAL)  # email styles premailer cannot parse (noise, not failures)
	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		code = run_all(args)
	finally:
		frappe.destroy()
	sys.exit(code)


if __name__ == "__main__":
	main()
