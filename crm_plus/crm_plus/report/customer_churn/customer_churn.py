# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

"""Lost, at-risk and won-back customers with last order, lifetime value, churn reason
and owner. One query for the rows; the chart and summary are made from those rows, so
all three show the same customers (user permissions are applied in the query)."""

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate

from crm_plus.analytics import facts
from crm_plus.analytics.common import fact_invoice_join
from crm_plus.relationship.churn import STATUSES
from crm_plus.utils.permissions import check_company, user_permission_sql

DEFAULT_STATUSES = ["At Risk", "Lost", "Won Back"]


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	validate_filters(filters)
	facts.ensure_current()
	data = get_data(filters)
	return get_columns(filters), data, None, get_chart(data), get_summary(data, filters)


def validate_filters(filters):
	if not filters.company:
		frappe.throw(_("Select a company."))
	check_company(filters.company, "Sales Invoice")
	statuses = filters.status or DEFAULT_STATUSES
	if isinstance(statuses, str):
		statuses = frappe.parse_json(statuses) if statuses.startswith("[") else [statuses]
	unknown = [s for s in statuses if s not in STATUSES]
	if unknown:
		frappe.throw(_("Unknown lifecycle status: {0}").format(", ".join(unknown)))
	filters.status = statuses
	# lifetime value is what the customer's invoices add up to: only for who may read them
	filters.show_value = bool(frappe.has_permission("Sales Invoice", "read"))


def get_data(filters) -> list[dict]:
	values = {"company": filters.company, "statuses": tuple(filters.status)}
	conditions = ""
	for field in ("customer_group", "territory"):
		if filters.get(field):
			conditions += f" and c.{field} = %({field})s"  # field: a constant of this loop
			values[field] = filters[field]
	perm_sql, perm_params = user_permission_sql("Customer", "c")
	inv_perm_sql, inv_perm_params = user_permission_sql("Sales Invoice", "si")
	values.update(perm_params, **inv_perm_params)
	rows = frappe.db.sql(
		f"""
		select c.name as customer, c.customer_name, c.customer_group, c.territory,
			c.crm_plus_lifecycle_status as lifecycle_status, c.crm_plus_status_since as status_since,
			c.crm_plus_last_order_date as last_order_date, c.crm_plus_churn_reason as churn_reason,
			c.account_manager, (select sum(f.revenue) from `tabCRM Plus Sales Fact` f {fact_invoice_join(inv_perm_sql)}
				where f.customer = c.name and f.company = %(company)s {inv_perm_sql}) as lifetime_value
		from `tabCustomer` c
		where c.crm_plus_lifecycle_status in %(statuses)s {conditions} {perm_sql}
		order by c.crm_plus_last_order_date
		""",
		values,
		as_dict=True,
	)
	today = getdate(nowdate())  # parsed once, not once per row
	for row in rows:
		row.lifetime_value = flt(row.lifetime_value) if filters.show_value else None
		row.days_since_last_order = (today - getdate(row.last_order_date)).days if row.last_order_date else None
	return rows


def get_columns(filters) -> list[dict]:
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	columns = [
		{"label": _("Customer"), "fieldname": "customer", "fieldtype": "Link", "options": "Customer", "width": 180},
		{"label": _("Customer Name"), "fieldname": "customer_name", "fieldtype": "Data", "width": 160},
		{"label": _("Lifecycle Status"), "fieldname": "lifecycle_status", "fieldtype": "Select", "width": 110},
		{"label": _("Since"), "fieldname": "status_since", "fieldtype": "Date", "width": 120},
		{"label": _("Last Order Date"), "fieldname": "last_order_date", "fieldtype": "Date", "width": 120},
		{"label": _("Days Since Last Order"), "fieldname": "days_since_last_order", "fieldtype": "Int", "width": 90},
		{
			"label": _("Lifetime Value"),
			"fieldname": "lifetime_value",
			"fieldtype": "Currency",
			"options": currency,
			"width": 130,
		},
		{"label": _("Churn Reason"), "fieldname": "churn_reason", "fieldtype": "Link", "options": "Customer Churn Reason", "width": 130},
		{"label": _("Account Manager"), "fieldname": "account_manager", "fieldtype": "Link", "options": "User", "width": 150},
		{"label": _("Customer Group"), "fieldname": "customer_group", "fieldtype": "Link", "options": "Customer Group", "width": 120},
		{"label": _("Territory"), "fieldname": "territory", "fieldtype": "Link", "options": "Territory", "width": 110},
	]
	return [c for c in columns if filters.show_value or c["fieldname"] != "lifetime_value"]


def get_chart(data) -> dict:
	counts = {status: 0 for status in STATUSES}
	for row in data:
		counts[row.lifecycle_status] += 1
	labels = [s for s in STATUSES if counts[s]]
	return {
		"data": {"labels": [_(s, context="Lifecycle Status") for s in labels], "datasets": [{"name": _("Customers"), "values": [counts[s] for s in labels]}]},
		"type": "bar",
		"colors": ["#f59e0b"],
	}


def get_summary(data, filters) -> list[dict]:
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	def count(status):
		return sum(1 for r in data if r.lifecycle_status == status)
	return [
		{"label": _("At Risk"), "value": count("At Risk"), "indicator": "Orange", "datatype": "Int"},
		{"label": _("Lost"), "value": count("Lost"), "indicator": "Red", "datatype": "Int"},
		{"label": _("Won Back"), "value": count("Won Back"), "indicator": "Green", "datatype": "Int"},
	] + ([
		{
			"label": _("Lifetime Value of At Risk and Lost"),
			"value": sum(r.lifetime_value for r in data if r.lifecycle_status in ("At Risk", "Lost")),
			"indicator": "Red",
			"datatype": "Currency",
			"currency": currency,
		},
	] if filters.show_value else [])
