"""Customer Analysis (客户分析): per period and customer group or territory, new, active,
at-risk and lost customers, revenue and orders, with a trend chart; or the list of lost
customers. Two queries for the trend, one for the list, whatever the data."""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate

from crm_plus.analytics import facts
from crm_plus.analytics.common import (
	LAST_ORDER_INDEX_NAME,
	check_filters,
	period_label,
	period_sql,
	permission_conditions,
	raise_filter_error,
)
from crm_plus.relationship.churn import LAST_ORDER_OF_SQL, lifecycle_thresholds, lifecycle_values

GROUPINGS = ("Customer Group", "Territory")
VIEWS = ("Trend", "Lost Customers")
# grouping -> column of Sales Invoice (constants, never input)
GROUP_COLUMNS = {"Customer Group": "si.customer_group", "Territory": "si.territory"}


def execute(filters=None):
	filters = check_filters(filters, GROUPINGS)
	filters.view = filters.get("view") or "Trend"
	if filters.view not in VIEWS:
		raise_filter_error(
			_("Unknown view {0}. Choose one of: {1}.").format(frappe.bold(filters.view), ", ".join(_(v) for v in VIEWS))
		)
	# at risk and lost after the days set in CRM Plus Settings, as the lifecycle on the
	# Customer and Customer Churn (crm_plus.relationship.churn)
	_new, filters.at_risk_after_days, filters.lost_after_days = lifecycle_thresholds()
	facts.ensure_current()
	if filters.view == "Lost Customers":
		return lost_customers(filters)
	return trend(filters)


# --- trend -------------------------------------------------------------------------------

def trend(filters):
	rows = trend_rows(filters)
	columns = trend_columns(filters)
	return columns, rows, None, trend_chart(rows), trend_summary(rows)


def trend_rows(filters) -> list[dict]:
	group = GROUP_COLUMNS[filters.group_by]
	perm_sql, perm_params = permission_conditions("Sales Invoice", "si")
	params = {
		**perm_params,
		"company": filters.company,
		"from_date": filters.from_date,
		"to_date": filters.to_date,
		"lost_after": filters.lost_after_days,
		"at_risk_after": filters.at_risk_after_days,
	}
	# revenue (returns net against it) and orders (a credit note is no order) per period and
	# group, from the invoices: an invoice's revenue is the sum of its sales facts
	# (facts.INVOICE_REVENUE_SQL), read here from one covering index on Sales Invoice
	sales = frappe.db.sql(
		f"""
		select {period_sql(filters.period, "si.posting_date")} as period, {group} as grp,
			sum({facts.INVOICE_REVENUE_SQL}) as revenue,
			sum(case when si.is_return = 0 then 1 else 0 end) as orders
		from `tabSales Invoice` si
		where si.docstatus = 1 and si.is_opening != 'Yes' and si.company = %(company)s
			and si.posting_date between %(from_date)s and %(to_date)s {perm_sql}
		group by period, grp""",
		params,
		as_dict=True,
	)
	# One pass over each customer's purchases (returns are not purchases), in date order
	# per customer and group, yields the customer counts: a purchase is "active" in its
	# period when it is the customer's first in that period (from From Date on); "new" when it is their first
	# ever; it yields an "at_risk" event N/2 days later and a "lost" event N days later when
	# no purchase came before then. Each counts in the period it falls in. The query
	# returns how many purchases share each combination of (group, active, new, at-risk,
	# lost period): a few hundred rows, and no row-per-event table. Two invoices on one day
	# need no merging: the earlier one's next purchase is that same day, so it yields no
	# at-risk or lost event, and only one of them is the first.
	at_risk_date = "date_add(p.posting_date, interval %(at_risk_after)s day)"
	lost_date = "date_add(p.posting_date, interval %(lost_after)s day)"
	events = frappe.db.sql(
		f"""
		select grp, active_period, new_period, at_risk_period, lost_period, count(*) as customers
		from (
			select p.grp,
				case when p.posting_date >= %(from_date)s
					and (p.previous_date is null or p.previous_date < %(from_date)s
						or {period_sql(filters.period, "p.previous_date")} != {period_sql(filters.period, "p.posting_date")})
					then {period_sql(filters.period, "p.posting_date")} end as active_period,
				case when p.nth = 1 and p.posting_date >= %(from_date)s
					then {period_sql(filters.period, "p.posting_date")} end as new_period,
				case when {at_risk_date} between %(from_date)s and %(to_date)s
					and (p.next_date is null or p.next_date > {at_risk_date})
					then {period_sql(filters.period, at_risk_date)} end as at_risk_period,
				case when {lost_date} between %(from_date)s and %(to_date)s
					and (p.next_date is null or p.next_date > {lost_date})
					then {period_sql(filters.period, lost_date)} end as lost_period
			from (
				select {group} as grp, si.posting_date,
					row_number() over (partition by si.customer, {group} order by si.posting_date) as nth,
					lag(si.posting_date) over (partition by si.customer, {group} order by si.posting_date) as previous_date,
					lead(si.posting_date) over (partition by si.customer, {group} order by si.posting_date) as next_date
				from `tabSales Invoice` si
				where si.docstatus = 1 and si.is_opening != 'Yes' and si.is_return = 0
					and si.company = %(company)s and si.posting_date <= %(to_date)s {perm_sql}
			) p
		) e
		where active_period is not null or new_period is not null
			or at_risk_period is not null or lost_period is not null
		group by grp, active_period, new_period, at_risk_period, lost_period""",
		params,
		as_dict=True,
	)

	table: dict[tuple, dict] = {}

	def row(period, grp):
		key = (cint(period), grp)
		if key not in table:
			table[key] = {
				"period": period_label(filters.period, cint(period)),
				"period_index": cint(period),
				"group": grp,
				"new_customers": 0,
				"active_customers": 0,
				"at_risk_customers": 0,
				"lost_customers": 0,
				"revenue": 0.0,
				"orders": 0,
			}
		return table[key]

	for s in sales:
		r = row(s.period, s.grp)
		r["revenue"], r["orders"] = flt(s.revenue), cint(s.orders)
	for e in events:
		for kind in ("active", "new", "at_risk", "lost"):
			period = e[f"{kind}_period"]
			if period is not None:
				row(period, e.grp)[f"{kind}_customers"] += cint(e.customers)
	return [table[key] for key in sorted(table, key=lambda k: (k[0], k[1] or ""))]


def trend_columns(filters) -> list[dict]:
	group_doctype = filters.group_by
	return [
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 100},
		{"fieldname": "group", "label": _(filters.group_by), "fieldtype": "Link", "options": group_doctype, "width": 160},
		{"fieldname": "new_customers", "label": _("New Customers"), "fieldtype": "Int", "width": 120},
		{"fieldname": "active_customers", "label": _("Active Customers"), "fieldtype": "Int", "width": 120},
		{"fieldname": "at_risk_customers", "label": _("At-Risk Customers"), "fieldtype": "Int", "width": 120},
		{"fieldname": "lost_customers", "label": _("Lost Customers"), "fieldtype": "Int", "width": 120},
		{"fieldname": "revenue", "label": _("Revenue"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "orders", "label": _("Orders"), "fieldtype": "Int", "width": 90},
	]


def per_period(rows: list[dict], field: str) -> dict[str, float]:
	totals: dict[str, float] = {}
	for r in rows:
		totals[r["period"]] = totals.get(r["period"], 0) + r[field]
	return totals


def trend_chart(rows: list[dict]) -> dict:
	fields = (
		("new_customers", _("New Customers")),
		("active_customers", _("Active Customers")),
		("at_risk_customers", _("At-Risk Customers")),
		("lost_customers", _("Lost Customers")),
	)
	labels = list(dict.fromkeys(r["period"] for r in rows))
	datasets = []
	for field, name in fields:
		totals = per_period(rows, field)
		datasets.append({"name": name, "values": [totals.get(label, 0) for label in labels]})
	return {"data": {"labels": labels, "datasets": datasets}, "type": "line", "fieldtype": "Int"}


def trend_summary(rows: list[dict]) -> list[dict]:
	def total(field):
		return sum(r[field] for r in rows)

	return [
		{"label": _("Revenue"), "value": total("revenue"), "datatype": "Currency", "indicator": "Blue"},
		{"label": _("Orders"), "value": total("orders"), "datatype": "Int", "indicator": "Blue"},
		{"label": _("New Customers"), "value": total("new_customers"), "datatype": "Int", "indicator": "Green"},
		{"label": _("At-Risk Customers"), "value": total("at_risk_customers"), "datatype": "Int", "indicator": "Orange"},
		{"label": _("Lost Customers"), "value": total("lost_customers"), "datatype": "Int", "indicator": "Red"},
	]


# --- lost customers ------------------------------------------------------------------------

def lost_customers(filters):
	"""Customers who bought from the company and are Lost on To Date by the lifecycle rule
	(crm_plus.relationship.churn: last order, a Sales Order or Sales Invoice, more than the
	Lost days of CRM Plus Settings before), their last order on or after From Date. What the
	churn job would write on that date. One query."""
	perm_sql, perm_params = permission_conditions("Sales Invoice", "si")
	# Each customer's invoices of the company, added up in customer order from the
	# crm_plus_last_order index (the last order is at least the last invoice, so only
	# customers whose last invoice is old enough can be lost), then their last order and
	# their fields, each looked up by key (scalar sub-queries: a join here makes MariaDB
	# re-read the invoices per customer). Sorted in Python.
	rows = frappe.db.sql(
		f"""
		select s.customer, s.orders, s.revenue, s.last_order_amount,
			cast({LAST_ORDER_OF_SQL.format(customer="s.customer")} as date) as last_order_date,
			(select c.customer_name from `tabCustomer` c where c.name = s.customer) as customer_name,
			(select c.territory from `tabCustomer` c where c.name = s.customer) as territory,
			(select c.customer_group from `tabCustomer` c where c.name = s.customer) as customer_group
		from (
			select si.customer, count(*) as orders, cast(sum(si.base_net_total) as double) as revenue,
				cast(substring_index(group_concat(si.base_net_total order by si.posting_date desc, si.name desc), ',', 1)
					as double) as last_order_amount
			from `tabSales Invoice` si force index ({LAST_ORDER_INDEX_NAME})
			where si.docstatus = 1 and si.is_opening != 'Yes' and si.is_return = 0
				and si.company = %(company)s and si.posting_date <= %(to_date)s {perm_sql}
			group by si.customer
			having max(si.posting_date) < %(lost_before)s
		) s
		having last_order_date >= %(from_date)s and last_order_date < %(lost_before)s
			and (select c.disabled from `tabCustomer` c where c.name = s.customer) = 0""",
		{
			**perm_params,
			"company": filters.company,
			"from_date": filters.from_date,
			"to_date": filters.to_date,
			**lifecycle_values(filters.to_date),
		},
		as_dict=True,
	)
	to_date = getdate(filters.to_date)
	for r in rows:
		r.days_since_last_order = (to_date - r.last_order_date).days
	rows.sort(key=lambda r: (-r.days_since_last_order, r.customer))
	columns = [
		{"fieldname": "customer", "label": _("Customer"), "fieldtype": "Link", "options": "Customer", "width": 160},
		{"fieldname": "customer_name", "label": _("Customer Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "territory", "label": _("Territory"), "fieldtype": "Link", "options": "Territory", "width": 120},
		{"fieldname": "customer_group", "label": _("Customer Group"), "fieldtype": "Link", "options": "Customer Group", "width": 120},
		{"fieldname": "orders", "label": _("Orders"), "fieldtype": "Int", "width": 90},
		{"fieldname": "revenue", "label": _("Revenue"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "last_order_amount", "label": _("Last Order Amount"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "last_order_date", "label": _("Last Order Date"), "fieldtype": "Date", "width": 120},
		{"fieldname": "days_since_last_order", "label": _("Days Since Last Order"), "fieldtype": "Int", "width": 110},
	]
	by_territory: dict[str, int] = {}
	for r in rows:
		by_territory[r.territory] = by_territory.get(r.territory, 0) + 1
	chart = {
		"data": {
			"labels": list(by_territory),
			"datasets": [{"name": _("Lost Customers"), "values": list(by_territory.values())}],
		},
		"type": "bar",
		"fieldtype": "Int",
	}
	summary = [
		{"label": _("Lost Customers"), "value": len(rows), "datatype": "Int", "indicator": "Red"},
		{"label": _("Revenue"), "value": sum(flt(r.revenue) for r in rows), "datatype": "Currency", "indicator": "Blue"},
	]
	return columns, rows, None, chart, summary
