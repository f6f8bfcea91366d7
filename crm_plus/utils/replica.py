"""Reads on a MariaDB replica, and what happens when the replica is down.

Frappe sends `@frappe.read_only()` work (query reports, and crm_plus's Customer 360) to
the replica when the site has `read_from_replica`, `replica_host` and `replica_db_port`.
If the replica cannot be reached Frappe fails the request. crm_plus's reads fall back to the
primary instead: the failure is remembered for a short while (REPLICA_DOWN_SECONDS), so
later requests go to the primary at once instead of waiting on the replica again, and
Frappe's error log says so once per verdict.
"""

import functools

import frappe
from frappe import _

REPLICA_DOWN_KEY = "crm_plus:replica_down"
REPLICA_DOWN_SECONDS = 30
# MySQL client errors for "could not connect" and "lost the connection"
CONNECTION_ERRORS = {2002, 2003, 2006, 2013}
# the server is read-only (1290), the user may not write (1142: command denied)
WRITE_REFUSED = {1290, 1142}


def on_replica() -> bool:
	"""This code is reading the replica now (inside a read-only call with a replica set)."""
	primary = getattr(frappe.local, "primary_db", None)
	return primary is not None and frappe.local.db is not primary


def replica_down() -> bool:
	return bool(frappe.cache.get_value(REPLICA_DOWN_KEY))


def before_request() -> None:
	"""While the replica is known to be down, this request reads the primary."""
	if frappe.conf.read_from_replica and replica_down():
		frappe.local.conf.read_from_replica = 0


def is_connection_error(e: Exception) -> bool:
	import pymysql

	return isinstance(e, pymysql.err.OperationalError) and bool(e.args) and e.args[0] in CONNECTION_ERRORS


def is_write_refused(e: Exception) -> bool:
	"""The replica refused a write (it is read-only, and the site's replica user may only read)."""
	import pymysql

	return isinstance(e, pymysql.err.MySQLError) and bool(e.args) and e.args[0] in WRITE_REFUSED


def read_only(fn):
	"""`frappe.read_only()`, falling back to the primary when the replica cannot be reached, and
	when what runs tried to write (Frappe's query_report.run, for one, logs a report's error
	in the database): then it runs again on the primary, as it would without a replica, and
	the Error Log says which call tried."""
	replica_fn = frappe.read_only()(fn)

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		if not frappe.conf.read_from_replica:
			return fn(*args, **kwargs)
		try:
			return replica_fn(*args, **kwargs)
		except Exception as e:
			if is_connection_error(e):
				mark_down(e)
			elif is_write_refused(e):
				use_primary()
				frappe.log_error(_("{0} tried to write on the read replica; it ran on the primary").format(fn.__qualname__), str(e))
			else:
				raise
			frappe.local.message_log = []  # what the try on the replica said; the primary's answer follows
			return fn(*args, **kwargs)

	return wrapper


def use_primary() -> None:
	"""The rest of this request reads the primary."""
	frappe.local.conf.read_from_replica = 0
	# Frappe swapped back to the primary; forget the replica connection
	for attr in ("replica_db", "primary_db"):
		if hasattr(frappe.local, attr):
			delattr(frappe.local, attr)


def mark_down(e: Exception) -> None:
	frappe.cache.set_value(REPLICA_DOWN_KEY, 1, expires_in_sec=REPLICA_DOWN_SECONDS)
	use_primary()
	frappe.log_error(
		_("The read replica {0}:{1} could not be reached; reading the primary for {2} seconds").format(
			frappe.conf.replica_host, frappe.conf.replica_db_port, REPLICA_DOWN_SECONDS
		),
		str(e),
	)


def facts_first() -> None:
	"""crm_plus's sales facts brought up to date on the primary (a replica cannot write them);
	when that rebuilt them now, the replica has not got them yet, so this request reads the
	primary."""
	from crm_plus.analytics.facts import ensure_current

	if ensure_current():
		use_primary()


@frappe.whitelist()
def run_report(
	report_name,
	filters=None,
	user=None,
	ignore_prepared_report=False,
	custom_columns=None,
	is_tree=False,
	parent_field=None,
	are_default_filters=True,
):
	"""Frappe's `frappe.desk.query_report.run` (hooks: override_whitelisted_methods): on the
	replica when the site has one, on the primary when the replica is down. crm_plus's sales
	facts are brought up to date first, on the primary (a replica cannot write them)."""
	args = dict(locals())  # Frappe's run takes the same arguments
	if frappe.conf.read_from_replica and frappe.get_cached_value("Report", report_name, "module") == "CRM Plus":
		if frappe.get_doc("Report", report_name).is_permitted():  # only a user who may run it
			facts_first()
	return _run_report(**args)


@read_only
def _run_report(**args):
	from frappe.desk.query_report import run

	return run.__wrapped__(**args)  # Frappe's own function, without its replica switch (ours is above)

