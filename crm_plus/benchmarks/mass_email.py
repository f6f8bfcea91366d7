"""Benchmark: a campaign's mass e-mail queued by 1 and by 2 RQ workers, in the same run.

	bench --site <site> execute crm_plus.benchmarks.mass_email.run
	bench --site <site> execute crm_plus.benchmarks.mass_email.run --kwargs '{"members": 10000}'

Run it on a test site where crm_plus's tests have run (it needs the test company, Wind Power
LLC), never on a production site, with no other workers running (it refuses to start while
any listen on the bench's queues): it starts its own (what `bench worker --queue long` runs,
one or two side by side, stopped after each run) and deletes what it made at the end unless
keep=1.

A campaign of `members` members (50,000 by default; their customers and member rows are
written in SQL, so the audience is not what is timed) with an Email Template of three merge
fields. For each number of workers, from the same state (every member Pending, no mail
queued): Send Emails (the planner job decides each member's fate and queues chunk jobs of
500 members), then the workers run until the queue is empty. Timed: from Send Emails to the
last member Queued. Checked: every member Queued, exactly one Email Queue row per address.
Prints members queued per second for each and the ratio of 2 workers to 1. Nothing is sent:
queueing is what the workers do; Frappe's scheduler sends the queue.
"""

import os
import subprocess
import time

import frappe
from frappe.utils import now_datetime, nowdate

from crm_plus.marketing.mass_email import CHUNK_SIZE
from crm_plus.tests.jobs import worker_env

CAMPAIGN = "Marketing Campaign"
MEMBER = "Marketing Campaign Member"
TAG = "_CP Bench Mail"


def run(members: int = 50000, workers: str = "1,2", keep: int = 0) -> None:
	from crm_plus.tests.jobs import listening_workers, purge

	frappe.only_for("System Manager")
	others = listening_workers()
	if others:  # they would take the chunks too, and the counts of workers would be wrong
		frappe.throw(f"Stop the workers listening on this bench's queues first: {', '.join(others)}")
	purge()  # this site's jobs left by an earlier run would run first
	campaign = make_campaign(members)
	print(f"{members:,} members in chunks of {CHUNK_SIZE} ({-(-members // CHUNK_SIZE)} jobs)")
	rates = {}
	try:
		for n in [int(w) for w in str(workers).split(",")]:
			reset(campaign)
			took = send(campaign, n)
			check(campaign, members)
			rates[n] = members / took
			print(f"{n} worker{'s' if n > 1 else ''}: {members:,} members queued in {took:.1f} s = {rates[n]:.0f} members/s")
		if 1 in rates and 2 in rates:
			print(f"2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")
	finally:
		if not keep:
			clean_up(campaign)


def make_campaign(members: int) -> str:
	from crm_plus.tests.factories import COMPANY

	clean_up(frappe.db.get_value(CAMPAIGN, {"campaign_name": TAG}))
	template = TAG
	if not frappe.db.exists("Email Template", template):
		frappe.get_doc(
			{"doctype": "Email Template", "name": template, "subject": "{{ member_name }}：新品上市",
			 "response": "<p>尊敬的 {{ first_name }}，您好！</p><p>{{ campaign }} · {{ email }}</p>"}
		).insert()
	doc = frappe.get_doc(
		{"doctype": CAMPAIGN, "campaign_name": TAG, "company": COMPANY, "start_date": nowdate(),
		 "purpose": "Product Launch", "email_template": template}
	).insert()
	now = now_datetime()
	rows = [(f"{TAG} {n:06d}", f"客户{n:06d} Bench", f"bench-{n:06d}@example.com") for n in range(members)]
	for start in range(0, members, 5000):
		batch = rows[start : start + 5000]
		frappe.db.bulk_insert(
			"Customer",
			["name", "customer_name", "customer_type", "customer_group", "territory", "email_id", "owner", "modified_by", "creation", "modified"],
			[(name, title, "Company", "All Customer Groups", "All Territories", email, "Administrator", "Administrator", now, now) for name, title, email in batch],
		)
		frappe.db.bulk_insert(
			MEMBER,
			["name", "parent", "parenttype", "parentfield", "idx", "member_type", "member", "member_name", "email", "email_status", "owner", "modified_by", "creation", "modified"],
			[(frappe.generate_hash(length=12), doc.name, CAMPAIGN, "members", start + i + 1, "Customer", name, title, email, "Pending", "Administrator", "Administrator", now, now)
			 for i, (name, title, email) in enumerate(batch)],
		)
	frappe.db.commit()  # a command-line entry point: the workers read what it made
	return doc.name


def reset(campaign: str) -> None:
	queued = frappe.get_all("Email Queue", {"reference_doctype": CAMPAIGN, "reference_name": campaign}, pluck="name")
	for start in range(0, len(queued), 5000):
		names = queued[start : start + 5000]
		frappe.db.delete("Email Queue Recipient", {"parent": ["in", names]})
		frappe.db.delete("Email Queue", {"name": ["in", names]})
	frappe.db.sql(f"UPDATE `tab{MEMBER}` SET email_status = 'Pending', email_queue = NULL WHERE parent = %s", campaign)
	frappe.db.set_value(CAMPAIGN, campaign, "email_status", "Not Sent")
	frappe.db.commit()  # a command-line entry point: each run starts from the same state


def send(campaign: str, workers: int) -> float:
	"""Send Emails, with `workers` workers listening on the long queue (as on a production
	bench: a burst worker would leave as soon as it finds the queue empty, before the planner
	job has queued the chunks); timed until the campaign is Sent."""
	from crm_plus.api.marketing import send_emails

	bench_dir = frappe.utils.get_bench_path()
	# what `bench worker --queue long` runs, started without the bench CLI in between, so that
	# stopping it stops the worker itself (a worker left behind would join the next run)
	pool = [
		subprocess.Popen(
			[os.path.join(bench_dir, "env", "bin", "python"), "-m", "frappe.utils.bench_helper", "frappe", "worker", "--queue", "long"],
			cwd=os.path.join(bench_dir, "sites"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=worker_env(),
		)
		for _ in range(workers)
	]
	try:
		time.sleep(3)  # the workers are listening
		started = time.time()
		send_emails(campaign)
		frappe.db.commit()  # the planner job is queued on commit
		while True:
			time.sleep(0.5)
			frappe.db.rollback()
			if frappe.db.get_value(CAMPAIGN, campaign, "email_status") == "Sent":
				return time.time() - started
			if time.time() - started > 7200:
				raise AssertionError("the campaign was not sent in two hours")
	finally:
		for process in pool:
			process.terminate()  # a warm shutdown: an RQ worker finishes its job first
		for process in pool:
			process.wait()


def check(campaign: str, members: int) -> None:
	statuses = dict(frappe.db.sql(f"SELECT email_status, COUNT(*) FROM `tab{MEMBER}` WHERE parent = %s GROUP BY 1", campaign))
	assert statuses == {"Queued": members}, statuses
	twice = frappe.db.sql(
		"""SELECT r.recipient FROM `tabEmail Queue Recipient` r JOIN `tabEmail Queue` q ON q.name = r.parent
		WHERE q.reference_doctype = %s AND q.reference_name = %s GROUP BY r.recipient HAVING COUNT(*) > 1 LIMIT 1""",
		(CAMPAIGN, campaign),
	)
	assert not twice, f"{twice[0][0]} queued twice"
	rows = frappe.db.count("Email Queue", {"reference_doctype": CAMPAIGN, "reference_name": campaign})
	assert rows == members, f"{rows} mails queued for {members} members"


def clean_up(campaign: str | None) -> None:
	if campaign:
		reset(campaign)
		frappe.db.delete(MEMBER, {"parent": campaign})
		frappe.delete_doc(CAMPAIGN, campaign, force=True, ignore_permissions=True)
	frappe.db.sql("DELETE FROM `tabCustomer` WHERE name LIKE %s", f"{TAG} %")
	frappe.db.commit()  # a command-line entry point
