"""Background jobs of the throwaway test site.

The bench's job queue (Redis) outlives the test site and is saved to disk: jobs queued
by one run (the HTTP suite queues hundreds) would otherwise wait for the next run's
worker, for a site dropped and made again under the same name. scripts/test.sh drops
them for the new site and again before dropping it.

	bench --site S execute crm_plus.tests.jobs.purge
"""

import frappe


def site_jobs(queues: list[str] | None = None, site: str | None = None) -> list:
	"""The jobs of `site` (this site) waiting in these queues (every queue); other sites' are left out."""
	from frappe.utils.background_jobs import get_queue, get_queue_list

	site = site or frappe.local.site
	return [
		job for name in queues or get_queue_list() for job in get_queue(name).get_jobs() if (job.kwargs or {}).get("site") == site
	]


def purge(site: str | None = None) -> int:
	"""Delete the queued jobs of `site` (this site), in every queue; other sites' jobs stay."""
	site = site or frappe.local.site
	jobs = site_jobs(site=site)
	for job in jobs:
		job.delete()
	print(f"{len(jobs)} queued jobs of {site} dropped")
	return len(jobs)


def listening_workers() -> list[str]:
	"""The RQ workers on this machine that listen on the bench's queues now (a killed
	worker's registration stays in Redis a while; its process is gone). The test run needs
	the queues to itself: a worker it did not start takes its jobs, some before their
	transaction is committed, and the test of killing workers would kill the wrong ones."""
	import os
	import socket

	from rq import Worker

	from frappe.utils.background_jobs import get_queue_list, get_redis_conn

	ours = set(get_queue_list(build_queue_name=True))
	live = []
	for worker in Worker.all(connection=get_redis_conn()):
		if worker.hostname != socket.gethostname() or not ours.intersection(worker.queue_names()):
			continue
		try:
			os.kill(worker.pid, 0)
		except (ProcessLookupError, TypeError):
			continue
		except PermissionError:
			pass
		live.append(f"{worker.pid} ({', '.join(worker.queue_names())})")
	return live


def worker_env() -> dict:
	"""The environment for a worker the tests start: this one without CI. Frappe runs every
	job of a worker started with CI set as in a unit test (frappe.flags.in_test): its mail is
	never handed to the SMTP server and what it enqueues runs inline, not as jobs of their own.
	CI services set CI=true; the suites prove real workers, so theirs run without it."""
	import os

	return {key: value for key, value in os.environ.items() if key != "CI"}
