# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

"""Sales Forecast (销售预测): open opportunities by the period of their expected closing
date × sales person, territory or customer group — pipeline, weighted (amount ×
probability), best case and committed (probability thresholds of CRM Plus Settings) — next
to what was actually ordered in the period (submitted Sales Orders, company currency, at
the sales team's allocated percentage). The "Overdue Opportunities" view lists the open
ones whose expected closing date has passed.

Two queries whatever the data size; the user's permissions are applied inside them."""

import frappe
from frappe import _
from frappe.utils import date_diff, flt, getdate, today

from crm_plus.analytics.common import period_label, period_range, period_sql, permission_conditions
from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.pipeline.opportunity import OPEN_STATUSES
from crm_plus.pipeline.reports import check_pipeline_filters, opportunity_conditions, relationship_condition

# group by -> (opportunity column, sales order column, label, link doctype); constants only
GROUPS = {
	"Sales Person": ("o.crm_plus_sales_person", "st.sales_person", "Sales Person", "Sales Person"),
	"Territory": ("o.territory", "so.territory", "Territory", "Territory"),
	"Customer Group": ("o.customer_group", "so.customer_group", "Customer Group", "Customer Group"),
}
VIEWS = ("Forecast", "Overdue Opportunities")


def execute(filters: dict | None = None):
	filters = check_pipeline_filters(filters, tuple(GROUPS), "Sales Person", VIEWS)
	if filters.view == "Overdue Opportunities":
		return overdue_columns(), overdue(filters), None, None, None
	settings = get_settings()
	filters.best_case = flt(settings.forecast_best_case_probability)
	filters.commit = flt(settings.forecast_commit_probability)
	data = forecast(filters)
	can_see_orders = frappe.has_permission("Sales Order", "read")
	if can_see_orders:
		merge_orders(filters, data)
	rows = sorted(data.values(), key=lambda r: (r.period_index, r.group or ""))
	filters.currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	for row in rows:
		row.currency = filters.currency
		row.period = period_label(filters.period, row.period_index)
		if not can_see_orders:
			row.ordered = None
		row.ordered_vs_weighted = flt(100.0 * flt(row.ordered) / row.weighted, 1) if row.weighted and row.ordered is not None else None
	message = None if can_see_orders else _("Ordered amounts are hidden: you may not read Sales Orders.")
	return columns(filters), rows, message, chart(filters, rows, can_see_orders), summary(filters, rows, can_see_orders)


def forecast(filters) -> dict:
	group_column = GROUPS[filters.group_by][0]
	perm_sql, params = opportunity_conditions(filters)
	params.update(
		company=filters.company, from_date=filters.from_date, to_date=filters.to_date,
		open=OPEN_STATUSES, best=filters.best_case, commit=filters.commit,
	)
	rows = frappe.db.sql(
		f"""
		select {period_sql(filters.period, "o.expected_closing")} as period_index,
			ifnull({group_column}, '') as `group`,
			count(*) as opportunities,
			sum(o.base_opportunity_amount) as pipeline,
			sum(o.crm_plus_weighted_amount) as weighted,
			sum(case when o.probability >= %(best)s then o.base_opportunity_amount else 0 end) as best_case,
			sum(case when o.probability >= %(commit)s then o.base_opportunity_amount else 0 end) as committed
		from `tabOpportunity` o
		where o.company = %(company)s and o.status in %(open)s
			and o.expected_closing between %(from_date)s and %(to_date)s {perm_sql}
		group by period_index, `group`
		""",
		params,
		as_dict=True,
	)
	out = {}
	for row in rows:
		row.ordered = 0.0
		out[(row.period_index, row.group)] = row
	return out


def merge_orders(filters, data: dict) -> None:
	"""What was ordered in each period and group: submitted Sales Orders by order date, net
	total in company currency, shared among the sales team at its allocated percentage."""
	group_column = GROUPS[filters.group_by][1]
	perm_sql, params = permission_conditions("Sales Order", "so")
	params.update(company=filters.company, from_date=filters.from_date, to_date=filters.to_date)
	team_join = (
		"left join `tabSales Team` st on st.parent = so.name and st.parenttype = 'Sales Order' and st.parentfield = 'sales_team'"
		if filters.group_by == "Sales Person"
		else ""
	)
	share = "ifnull(st.allocated_percentage, 100) / 100" if team_join else "1"
	relationship_sql = relationship_condition(filters, "so.customer", params)
	rows = frappe.db.sql(
		f"""
		select {period_sql(filters.period, "so.transaction_date")} as period_index,
			ifnull({group_column}, '') as `group`, sum(so.base_net_total * {share}) as ordered
		from `tabSales Order` so {team_join}
		where so.docstatus = 1 and so.company = %(company)s
			and so.transaction_date between %(from_date)s and %(to_date)s {perm_sql} {relationship_sql}
		group by period_index, `group`
		""",
		params,
		as_dict=True,
	)
	for row in rows:
		key = (row.period_index, row.group)
		if key not in data:
			data[key] = frappe._dict(
				period_index=row.period_index, group=row.group, opportunities=0, pipeline=0.0, weighted=0.0,
				best_case=0.0, committed=0.0, ordered=0.0,
			)
		data[key].ordered = flt(row.ordered)


def overdue(filters) -> list[dict]:
	perm_sql, params = opportunity_conditions(filters)
	params.update(company=filters.company, open=OPEN_STATUSES, today=getdate(today()))
	rows = frappe.db.sql(
		f"""
		select o.name as opportunity, o.opportunity_from, o.party_name, o.customer_name,
			o.crm_plus_sales_person as sales_person, o.sales_stage, o.probability, o.expected_closing,
			o.base_opportunity_amount as amount, o.crm_plus_weighted_amount as weighted
		from `tabOpportunity` o
		where o.company = %(company)s and o.status in %(open)s and o.expected_closing < %(today)s {perm_sql}
		order by o.expected_closing, o.name
		""",
		params,
		as_dict=True,
	)
	for row in rows:
		row.days_overdue = date_diff(params["today"], row.expected_closing)
	return rows


def columns(filters) -> list[dict]:
	_o, _s, label, doctype = GROUPS[filters.group_by]

	def money(fieldname, text, width=130):
		return {"fieldname": fieldname, "label": text, "fieldtype": "Currency", "options": "currency", "width": width}

	cols = [
		{"fieldname": "period", "label": _("Expected Closing"), "fieldtype": "Data", "width": 110},
		{"fieldname": "group", "label": _(label), "fieldtype": "Link", "options": doctype, "width": 170},
		{"fieldname": "opportunities", "label": _("Opportunities"), "fieldtype": "Int", "width": 100},
		money("pipeline", _("Pipeline")),
		money("weighted", _("Weighted")),
		money("best_case", _("Best Case")),
		money("committed", _("Committed")),
		money("ordered", _("Ordered")),
		{"fieldname": "ordered_vs_weighted", "label": _("Ordered vs Weighted (%)"), "fieldtype": "Percent", "precision": 1, "width": 180},
		{"fieldname": "currency", "label": _("Currency"), "fieldtype": "Link", "options": "Currency", "hidden": 1},
	]
	return cols


def overdue_columns() -> list[dict]:
	return [
		{"fieldname": "opportunity", "label": _("Opportunity"), "fieldtype": "Link", "options": "Opportunity", "width": 160},
		{"fieldname": "opportunity_from", "label": _("Opportunity From"), "fieldtype": "Link", "options": "DocType", "width": 100},
		{"fieldname": "party_name", "label": _("Party"), "fieldtype": "Dynamic Link", "options": "opportunity_from", "width": 150},
		{"fieldname": "customer_name", "label": _("Customer Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "sales_person", "label": _("Sales Person"), "fieldtype": "Link", "options": "Sales Person", "width": 130},
		{"fieldname": "sales_stage", "label": _("Sales Stage"), "fieldtype": "Link", "options": "Sales Stage", "width": 130},
		{"fieldname": "probability", "label": _("Probability (%)"), "fieldtype": "Percent", "precision": 1, "width": 100},
		{"fieldname": "expected_closing", "label": _("Expected Closing Date"), "fieldtype": "Date", "width": 120},
		{"fieldname": "days_overdue", "label": _("Days Overdue"), "fieldtype": "Int", "width": 100},
		{"fieldname": "amount", "label": _("Amount"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "weighted", "label": _("Weighted"), "fieldtype": "Currency", "width": 130},
	]


def chart(filters, rows: list[dict], can_see_orders: bool) -> dict | None:
	first, last = period_range(filters)
	indexes = list(range(first, last + 1))
	by_period = {i: frappe._dict(weighted=0.0, committed=0.0, ordered=0.0) for i in indexes}
	for row in rows:
		bucket = by_period.get(row.period_index)
		if bucket:
			bucket.weighted += flt(row.weighted)
			bucket.committed += flt(row.committed)
			bucket.ordered += flt(row.ordered)
	datasets = [
		{"name": _("Weighted"), "values": [by_period[i].weighted for i in indexes]},
		{"name": _("Committed"), "values": [by_period[i].committed for i in indexes]},
	]
	if can_see_orders:
		datasets.append({"name": _("Ordered"), "values": [by_period[i].ordered for i in indexes]})
	return {
		"data": {"labels": [period_label(filters.period, i) for i in indexes], "datasets": datasets},
		"type": "bar",
		"fieldtype": "Currency",
	}


def summary(filters, rows: list[dict], can_see_orders: bool) -> list[dict]:
	def total(field):
		return sum(flt(r.get(field)) for r in rows)

	perm_sql, params = opportunity_conditions(filters)
	params.update(company=filters.company, open=OPEN_STATUSES, today=getdate(today()))
	undated, overdue_count = frappe.db.sql(
		f"""select sum(o.expected_closing is null), sum(o.expected_closing < %(today)s)
		from `tabOpportunity` o where o.company = %(company)s and o.status in %(open)s {perm_sql}""",
		params,
	)[0]
	out = [
		{"label": _("Pipeline"), "value": total("pipeline"), "datatype": "Currency", "currency": filters.currency, "indicator": "blue"},
		{"label": _("Weighted"), "value": total("weighted"), "datatype": "Currency", "currency": filters.currency, "indicator": "blue"},
		{"label": _("Committed"), "value": total("committed"), "datatype": "Currency", "currency": filters.currency, "indicator": "green"},
	]
	if can_see_orders:
		out.append({"label": _("Ordered"), "value": total("ordered"), "datatype": "Currency", "currency": filters.currency, "indicator": "green"})
	out += [
		{"label": _("Overdue Opportunities"), "value": int(overdue_count or 0), "datatype": "Int", "indicator": "red"},
		{"label": _("Open Without Expected Closing Date"), "value": int(undated or 0), "datatype": "Int", "indicator": "orange"},
	]
	return out
