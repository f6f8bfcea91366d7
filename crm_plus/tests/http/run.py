"""The trust-boundary suite: crm_plus's rules tried over HTTP against the served test
site, as Guest, two customers' portal users and a low-privilege user of every role, with
the database checked after each attempt (a 200 that changed nothing is fine; a refusal
that changed something is not).

	env/bin/python -m crm_plus.tests.http.run --site SITE --base-url URL   (from sites/)

scripts/test.sh runs it after the server tests, while the site is served. It prints each
failure, the size of the matrix, "N attacks refused of N", "N legitimate paths of N",
and exits non-zero when anything failed. docs/security.md says what is tried.
"""

import argparse
import logging
import sys
import time
import traceback

import frappe

ATTACK, LEGIT = "attack", "legit"


class Suite:
	"""Cases and their outcomes. A case is a function that makes its requests and asserts
	on the responses and on the database; it passes when it returns."""

	def __init__(self, base_url: str, credentials: dict, only: str | None = None):
		from crm_plus.tests.http.client import Actor
		from crm_plus.tests.http.fixtures import ACTORS

		self.base_url = base_url
		self.only = only
		self.results: list[tuple[str, str, str, bool, str]] = []  # (kind, group, name, passed, detail)
		self.actors = {
			key: Actor(base_url, key, user, *(credentials.get(key) or (None, None))) for key, (user, _r, _t) in ACTORS.items()
		}
		self.admin = Actor(base_url, "admin", "Administrator", *credentials["admin"])
		self.group = ""

	def __getitem__(self, actor: str):
		return self.admin if actor == "admin" else self.actors[actor]

	def run(self, kind: str, name: str, fn, *args) -> None:
		if self.only and self.only not in f"{self.group} {name}":
			return
		try:
			fn(*args)
			passed, detail = True, ""
		except AssertionError as e:
			passed, detail = False, str(e) or traceback.format_exc(limit=3)
		except Exception:
			passed, detail = False, traceback.format_exc(limit=6)
		finally:
			frappe.db.rollback()
			frappe.set_user("Administrator")
		self.results.append((kind, self.group, name, passed, detail))
		if not passed:
			print(f"FAIL [{kind}] {self.group}: {name}\n    {detail.strip()}", flush=True)

	def attack(self, name: str, fn, *args) -> None:
		self.run(ATTACK, name, fn, *args)

	def legit(self, name: str, fn, *args) -> None:
		self.run(LEGIT, name, fn, *args)


# --- helpers the cases share --------------------------------------------------------------


def fresh():
	"""The database as it is now (the served site committed since our last read)."""
	frappe.db.rollback()
	return frappe.db


def refused(response, *statuses, because: str | None = None) -> None:
	"""The request was refused (with one of `statuses`), and, given `because` (an exception
	class name), for that reason and not another."""
	allowed = statuses or (401, 403, 404, 405, 409, 417, 429)
	assert response.status in allowed, f"expected a refusal {allowed}, got {response!r}"
	if because:
		assert because in response.error, f"refused, but not because of {because}: {response!r}"


def succeeded(response) -> None:
	assert response.status in (200, 202), f"expected success, got {response!r}"


def equal(actual, expected, what: str = "") -> None:
	assert actual == expected, f"{what}: expected {expected!r}, got {actual!r}"


# --- running it -------------------------------------------------------------------------------


def run_all(base_url: str, only: str | None = None) -> int:
	from crm_plus.tests.http import cases
	from crm_plus.tests.http.fixtures import ACTORS, prepare

	started = time.time()
	credentials = prepare()
	settings = frappe.get_single("CRM Plus Settings").as_dict()  # the groups change some; put back after
	suite = Suite(base_url, credentials, only)
	try:
		for module in cases.MODULES:
			suite.group = module.GROUP
			try:
				module.run(suite)
			except Exception:  # a group that breaks down fails; the other groups still run
				frappe.db.rollback()
				suite.results.append((ATTACK, module.GROUP, "the group runs to its end", False, traceback.format_exc(limit=6)))
				print(f"FAIL {module.GROUP}: the group broke down\n    {traceback.format_exc(limit=6)}", flush=True)
	finally:
		frappe.db.rollback()
		restored = frappe.get_single("CRM Plus Settings")
		restored.update({k: v for k, v in settings.items() if k not in ("modified", "modified_by", "creation", "owner")})
		restored.save()
		frappe.db.commit()  # the settings as they were, for whatever runs next on the site

	attacks = [r for r in suite.results if r[0] == ATTACK]
	legit = [r for r in suite.results if r[0] == LEGIT]
	failed = [r for r in suite.results if not r[3]]
	print()
	print(f"HTTP matrix: {len(ACTORS)} actors, {len(suite.results)} cases in {len(cases.MODULES)} groups ({time.time() - started:.0f} s)")
	for module in cases.MODULES:
		rows = [r for r in suite.results if r[1] == module.GROUP]
		if rows:
			print(f"  {module.GROUP}: {sum(r[3] for r in rows)} of {len(rows)}")
	print(f"{sum(r[3] for r in attacks)} attacks refused of {len(attacks)}")
	print(f"{sum(r[3] for r in legit)} legitimate paths of {len(legit)}")
	print(f"HTTP: {len(suite.results) - len(failed)} passed, {len(failed)} failed")
	return 1 if failed or not suite.results else 0


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--base-url", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--only", help="run only the cases whose group or name contains this")
	args = parser.parse_args()
	import cssutils

	cssutils.log.setLevel(logging.CRITICAL)  # email styles premailer cannot parse (noise, not failures)
	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	try:
		code = run_all(args.base_url, args.only)
	finally:
		frappe.destroy()
	sys.exit(code)


if __name__ == "__main__":
	main()
