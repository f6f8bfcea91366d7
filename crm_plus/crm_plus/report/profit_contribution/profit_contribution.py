"""Profit Contribution (利润贡献分析): gross profit by customer, item, item group,
territory or sales person, with each one's share of the total and the cumulative share
(Pareto), and a Pareto chart. One query, whatever the data."""

import frappe
from frappe import _
from frappe.utils import flt

from crm_plus.analytics import facts
from crm_plus.analytics.common import check_filters, facts_sql, permission_conditions, profit_columns, sales_team_facts_sql

GROUPINGS = ("Customer", "Item", "Item Group", "Territory", "Sales Person")
# grouping -> (group column, name column, share of the line); constants only.
# By Sales Person a line counts for each sales person at their allocated percentage,
# as in ERPNext's Gross Profit report; lines of invoices without a sales team are left out.
# The name is looked up per group as the group is added up (in the order of the grouping's
# index, so no temporary table); shares and the running total are added up in Python.
GROUP_SQL = {
	"Customer": ("f.customer", "(select c.customer_name from `tabCustomer` c where c.name = f.customer)", "1"),
	"Item": ("f.item_code", "(select i.item_name from `tabItem` i where i.name = f.item_code)", "1"),
	"Item Group": ("f.item_group", "f.item_group", "1"),
	"Territory": ("f.territory", "f.territory", "1"),
	"Sales Person": ("st.sales_person", "st.sales_person", "st.allocated_percentage / 100"),
}
TOP_IN_CHART = 20


def execute(filters=None):
	filters = check_filters(filters, GROUPINGS)
	facts.ensure_current()
	rows = get_rows(filters)
	return get_columns(filters), rows, None, get_chart(rows), get_summary(rows)


def get_rows(filters) -> list[dict]:
	group, name, share = GROUP_SQL[filters.group_by]
	perm_sql, perm_params = permission_conditions("Sales Invoice", "si")
	if filters.group_by == "Sales Person":  # each invoice's facts, shared among its team
		source, revenue, cost = sales_team_facts_sql(perm_sql), "x.revenue", "x.cost"
	else:
		source, revenue, cost = facts_sql(perm_sql), "f.revenue", "f.cost"
	# plain tuples and floats: tens of thousands of groups at "large"
	rows = frappe.db.sql(
		f"""
		select {group} as grp, {name} as grp_name,
			cast(sum({revenue} * {share}) as double) as revenue, cast(sum({cost} * {share}) as double) as cost
		{source}
		group by {group}""",
		{**perm_params, "company": filters.company, "from_date": filters.from_date, "to_date": filters.to_date},
	)
	rows = sorted(
		((grp, grp_name, revenue or 0.0, cost or 0.0, (revenue or 0.0) - (cost or 0.0)) for grp, grp_name, revenue, cost in rows),
		key=lambda r: (-r[4], r[0] or ""),
	)
	total = sum(r[4] for r in rows)
	out, cumulative = [], 0.0
	for grp, grp_name, revenue, cost, profit in rows:
		cumulative += profit
		out.append(
			{
				"group": grp,
				"group_name": grp_name,
				"revenue": revenue,
				"cost": cost,
				"gross_profit": profit,
				"margin": profit / revenue * 100 if revenue else 0.0,
				"share": profit / total * 100 if total else 0.0,
				"cumulative_share": cumulative / total * 100 if total else 0.0,
			}
		)
	return out


def get_columns(filters) -> list[dict]:
	return [
		{"fieldname": "group", "label": _(filters.group_by), "fieldtype": "Link", "options": filters.group_by, "width": 170},
		{"fieldname": "group_name", "label": _("Name"), "fieldtype": "Data", "width": 170},
		*profit_columns(),
		{"fieldname": "share", "label": _("Share of Gross Profit %"), "fieldtype": "Percent", "precision": 1, "width": 130},
		{"fieldname": "cumulative_share", "label": _("Cumulative Share %"), "fieldtype": "Percent", "precision": 1, "width": 130},
	]


def get_chart(rows: list[dict]) -> dict:
	"""Pareto: each one's share of gross profit (bars) and the cumulative share (line)."""
	top = rows[:TOP_IN_CHART]
	return {
		"data": {
			"labels": [r["group"] or _("Not Set") for r in top],
			"datasets": [
				{"name": _("Share of Gross Profit %"), "chartType": "bar", "values": [round(r["share"], 2) for r in top]},
				{"name": _("Cumulative Share %"), "chartType": "line", "values": [round(r["cumulative_share"], 2) for r in top]},
			],
		},
		"type": "axis-mixed",
		"fieldtype": "Percent",
	}


def get_summary(rows: list[dict]) -> list[dict]:
	revenue = sum(r["revenue"] for r in rows)
	profit = sum(r["gross_profit"] for r in rows)
	# how many make 80 % of the profit (the Pareto "vital few")
	vital_few = next((i + 1 for i, r in enumerate(rows) if r["cumulative_share"] >= 80), len(rows))
	return [
		{"label": _("Revenue"), "value": revenue, "datatype": "Currency", "indicator": "Blue"},
		{"label": _("Gross Profit"), "value": profit, "datatype": "Currency", "indicator": "Green"},
		{"label": _("Gross Margin %"), "value": profit / revenue * 100 if revenue else 0, "datatype": "Percent", "indicator": "Green"},
		{"label": _("Make 80% of Gross Profit"), "value": vital_few, "datatype": "Int", "indicator": "Orange"},
	]
