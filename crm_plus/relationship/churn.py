"""Customer lifecycle (流失客户管理): New, Active, At Risk, Lost, Won Back.

Computed for every enabled customer by one set-based UPDATE from order history
(submitted Sales Orders and Sales Invoices), with thresholds from CRM Plus Settings:

- no order yet: New while the customer is younger than "At Risk After", then At Risk,
  then Lost after "Lost After" days, as if its creation were its last order;
- last order older than "Lost After" days: Lost; older than "At Risk After": At Risk;
- otherwise (ordering): Won Back if it was Lost (and stays Won Back for the "New
  Customer Period"), New if its first order is within that period, else Active.

Re-running on the same day gives the same result. Customers that turn At Risk get a
follow-up (with ToDo and reminder) for their account manager, or their owner.
"""

import frappe
from frappe import _
from frappe.utils import add_days, get_datetime, getdate, nowdate

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.utils.permissions import keep_server_fields

STATUSES = ("New", "Active", "At Risk", "Lost", "Won Back")
# the Customer fields the daily job owns (churn reason stays the user's)
LIFECYCLE_FIELDS = ("crm_plus_lifecycle_status", "crm_plus_status_since", "crm_plus_last_order_date")

# Each customer's first and last order up to %(today)s: submitted Sales Orders and Sales
# Invoices (a return is no order). The one definition of "last order" for the churn job,
# Customer Churn and Customer Analysis.
LAST_ORDER_SQL = """
	SELECT customer, MIN(order_date) AS first_order, MAX(order_date) AS last_order FROM (
		SELECT customer, transaction_date AS order_date FROM `tabSales Order`
		WHERE docstatus = 1 AND transaction_date <= %(today)s
		UNION ALL
		SELECT customer, posting_date FROM `tabSales Invoice`
		WHERE docstatus = 1 AND is_return = 0 AND posting_date <= %(today)s
	) orders GROUP BY customer"""

# The same last order, for one customer ({customer}: a column of the calling query), read
# from the crm_plus_last_order indexes: for a few customers out of many.
LAST_ORDER_OF_SQL = """greatest(
	coalesce((select max(lo_si.posting_date) from `tabSales Invoice` lo_si
		where lo_si.customer = {customer} and lo_si.docstatus = 1 and lo_si.is_return = 0
			and lo_si.posting_date <= %(today)s), '0001-01-01'),
	coalesce((select max(lo_so.transaction_date) from `tabSales Order` lo_so
		where lo_so.customer = {customer} and lo_so.docstatus = 1
			and lo_so.transaction_date <= %(today)s), '0001-01-01'))"""

# The new status of every enabled customer, with what it is computed from.
# DISTINCT (rows are unique anyway) keeps MariaDB from merging this derived table into
# the UPDATE below, which would then read and write tabCustomer in one step.
NEW_STATUS_SQL = f"""
SELECT DISTINCT c.name, c.crm_plus_lifecycle_status AS old_status, c.crm_plus_status_since AS old_since,
	o.first_order, o.last_order,
	CASE
		WHEN o.last_order IS NULL THEN CASE
			WHEN DATE(c.creation) < %(lost_before)s THEN 'Lost'
			WHEN DATE(c.creation) < %(at_risk_before)s THEN 'At Risk'
			ELSE 'New' END
		WHEN o.last_order < %(lost_before)s THEN 'Lost'
		WHEN o.last_order < %(at_risk_before)s THEN 'At Risk'
		WHEN c.crm_plus_lifecycle_status = 'Lost' THEN 'Won Back'
		WHEN c.crm_plus_lifecycle_status = 'Won Back' AND c.crm_plus_status_since >= %(new_since)s THEN 'Won Back'
		WHEN o.first_order >= %(new_since)s THEN 'New'
		ELSE 'Active'
	END AS new_status
FROM `tabCustomer` c
LEFT JOIN ({LAST_ORDER_SQL}) o ON o.customer = c.name
WHERE c.disabled = 0
"""


def lifecycle_thresholds() -> tuple[int, int, int]:
	"""(new, at risk, lost) in days, from CRM Plus Settings: the one set every screen uses."""
	settings = get_settings()
	return settings.churn_new_days or 90, settings.churn_at_risk_days or 90, settings.churn_lost_days or 180


def lifecycle_values(day=None) -> dict:
	"""The parameters of LAST_ORDER_SQL and NEW_STATUS_SQL for the lifecycle on `day`."""
	day = getdate(day or nowdate())
	new_days, at_risk_days, lost_days = lifecycle_thresholds()
	return {
		"today": day,
		"at_risk_before": add_days(day, -at_risk_days),
		"lost_before": add_days(day, -lost_days),
		"new_since": add_days(day, -new_days),
	}


def keep_lifecycle_fields(customer) -> None:
	"""validate of Customer: the lifecycle is computed by the daily job, never set by a request."""
	keep_server_fields(customer, LIFECYCLE_FIELDS)


def update_lifecycle_statuses(today: str | None = None) -> dict:
	"""The scheduled job. Returns how many customers are in each status now and which
	turned At Risk in this run."""
	settings = get_settings()
	values = lifecycle_values(today)
	turning_at_risk = frappe.db.sql(
		f"""SELECT n.name FROM ({NEW_STATUS_SQL}) n
		WHERE n.new_status = 'At Risk' AND NOT (n.old_status <=> 'At Risk')""",
		values,
		pluck=True,
	)
	frappe.db.sql(
		f"""UPDATE `tabCustomer` c JOIN ({NEW_STATUS_SQL}) n ON n.name = c.name
		SET c.crm_plus_status_since = IF(c.crm_plus_lifecycle_status <=> n.new_status,
				IFNULL(c.crm_plus_status_since, %(today)s), %(today)s),
			c.crm_plus_lifecycle_status = n.new_status,
			c.crm_plus_last_order_date = n.last_order""",
		values,
	)
	if settings.churn_follow_up and turning_at_risk:
		create_win_back_follow_ups(turning_at_risk, settings.churn_at_risk_days or 90)
	counts = dict(
		frappe.db.sql(
			"""SELECT crm_plus_lifecycle_status, COUNT(*) FROM `tabCustomer`
			WHERE disabled = 0 GROUP BY crm_plus_lifecycle_status"""
		)
	)
	return {"counts": counts, "turned_at_risk": turning_at_risk}


def create_win_back_follow_ups(customers: list[str], days: int) -> None:
	owners = frappe.get_all(
		"Customer",
		filters={"name": ["in", customers]},
		fields=["name", "account_manager", "owner"],
	)
	enabled_users = set(
		frappe.get_all(
			"User",
			filters={"name": ["in", {o.account_manager or o.owner for o in owners}], "enabled": 1},
			pluck="name",
		)
	)
	next_morning = get_datetime(f"{add_days(nowdate(), 1)} 09:00:00")
	for row in owners:
		user = row.account_manager if row.account_manager in enabled_users else row.owner
		if user not in enabled_users or user == "Guest":
			user = "Administrator"
		follow_up = frappe.get_doc(
			{
				"doctype": "Customer Follow Up",
				"party_type": "Customer",
				"customer": row.name,
				"follow_up_type": "Other",
				"user": user,
				"summary": _("No order for more than {0} days: the customer is now At Risk.").format(days),
				"next_follow_up_on": next_morning,
				"next_action": _("Contact the customer to win them back"),
			}
		)
		follow_up.insert(ignore_permissions=True)  # written by the scheduler for the owner
