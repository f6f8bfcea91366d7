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


def read_only(fn):
	"""`frappe.read_only()`, falling back to the primary when the replica cannot be reached."""
	replica_fn = frappe.read_only()(fn)

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		if not frappe.conf.read_from_replica:
			return fn(*args, **kwargs)
		try:
			return replica_fn(*args, **kwargs)
		except Exception as e:
			if not is_connection_error(e):
				raise
			mark_down(e)
			return fn(*args, **kwargs)

	return wrapper


def mark_down(e: Exception) -> None:
	frappe.cache.set_value(REPLICA_DOWN_KEY, 1, expires_in_sec=REPLICA_DOWN_SECONDS)
	frappe.local.conf.read_from_replica = 0
	# Frappe swapped back to the primary; forget the dead replica connection
	for attr in ("replica_db", "primary_db"):
		if hasattr(frappe.local, attr):
			delattr(frappe.local, attr)
	frappe.log_error(
		_("The read replica {0}:{1} could not be reached; reading the primary for {2} seconds").format(
			frappe.conf.replica_host, frappe.conf.replica_db_port, REPLICA_DOWN_SECONDS
		),
		str(e),
	)


@frappe.whitelist()
@read_only
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
	replica when the site has one, on the primary when the replica is down."""
	from frappe.desk.query_report import run

	return run.__wrapped__(  # Frappe's own function, without its replica switch (ours is above)
		report_name,
		filters=filters,
		user=user,
		ignore_prepared_report=ignore_prepared_report,
		custom_columns=custom_columns,
		is_tree=is_tree,
		parent_field=parent_field,
		are_default_filters=are_default_filters,
	)
