"""Product Sales Analysis (产品销售分析): per item or item group and period, quantity,
revenue, gross margin, number of customers and revenue growth against the previous
period. One query, whatever the data."""

import frappe
from frappe import _
from frappe.utils import cint, flt

from crm_plus.analytics import facts
from crm_plus.analytics.common import (
	check_filters,
	facts_sql,
	period_label,
	period_range,
	period_sql,
	period_start,
	permission_conditions,
	profit_columns,
)

GROUPINGS = ("Item", "Item Group")
# grouping -> (column of Sales Invoice Item, column for its name); constants, never input
# (the name is looked up per row after adding up, so the lines are read from the index)
GROUP_COLUMNS = {
	"Item": ("f.item_code", "(select i.item_name from `tabItem` i where i.name = t.grp)"),
	"Item Group": ("f.item_group", "t.grp"),
}
TOP_IN_CHART = 10


def execute(filters=None):
	filters = check_filters(filters, GROUPINGS)
	facts.ensure_current()
	rows = get_rows(filters)
	return get_columns(filters), rows, None, get_chart(rows), get_summary(rows)


def get_rows(filters) -> list[dict]:
	group, group_name = GROUP_COLUMNS[filters.group_by]
	first, _last = period_range(filters)
	perm_sql, perm_params = permission_conditions("Sales Invoice", "si")
	# one period more at the start, for the growth of the first period shown
	params = {
		**perm_params,
		"company": filters.company,
		"from_date": period_start(filters.period, first - 1),
		"to_date": filters.to_date,
		"report_from": filters.from_date,
		"first_start": period_start(filters.period, first),
	}
	rows = frappe.db.sql(
		f"""
		select t.*, {group_name} as grp_name from (
			select {period_sql(filters.period, "f.posting_date")} as period, {group} as grp,
				sum(f.qty) as qty, sum(f.revenue) as revenue,
				sum(f.cost) as cost, count(distinct f.customer) as customers
			{facts_sql(perm_sql)}
				and (f.posting_date >= %(report_from)s or f.posting_date < %(first_start)s)
			group by period, grp
		) t""",
		params,
		as_dict=True,
	)
	# growth against the same item's previous period (a look-up in the rows just read)
	revenue_of = {(r.grp, cint(r.period)): flt(r.revenue) for r in rows}
	out = []
	for r in rows:
		period = cint(r.period)
		if period < first:  # the extra period is only there for the growth of the first
			continue
		revenue, cost = flt(r.revenue), flt(r.cost)
		previous = revenue_of.get((r.grp, period - 1), 0.0)
		out.append(
			{
				"period": period_label(filters.period, period),
				"group": r.grp,
				"group_name": r.grp_name,
				"qty": flt(r.qty),
				"revenue": revenue,
				"cost": cost,
				"gross_profit": revenue - cost,
				"margin": (revenue - cost) / revenue * 100 if revenue else 0.0,
				"customers": cint(r.customers),
				"previous_revenue": previous,
				"growth": (revenue - previous) / abs(previous) * 100 if previous else None,
			}
		)
	out.sort(key=lambda r: (r["group"] or "", r["period"]))
	return out


def get_columns(filters) -> list[dict]:
	return [
		{"fieldname": "group", "label": _(filters.group_by), "fieldtype": "Link", "options": filters.group_by, "width": 150},
		{"fieldname": "group_name", "label": _("Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 90},
		{"fieldname": "qty", "label": _("Quantity"), "fieldtype": "Float", "width": 100},
		*profit_columns(),
		{"fieldname": "customers", "label": _("Customers"), "fieldtype": "Int", "width": 90},
		{"fieldname": "previous_revenue", "label": _("Previous Period Revenue"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "growth", "label": _("Growth %"), "fieldtype": "Percent", "precision": 1, "width": 100},
	]


def get_chart(rows: list[dict]) -> dict:
	"""Revenue of the best-selling items (or groups) over the whole range."""
	revenue: dict[str, float] = {}
	for r in rows:
		revenue[r["group"]] = revenue.get(r["group"], 0) + r["revenue"]
	top = sorted(revenue.items(), key=lambda kv: kv[1], reverse=True)[:TOP_IN_CHART]
	return {
		"data": {"labels": [k for k, _v in top], "datasets": [{"name": _("Revenue"), "values": [v for _k, v in top]}]},
		"type": "bar",
		"fieldtype": "Currency",
	}


def get_summary(rows: list[dict]) -> list[dict]:
	revenue = sum(r["revenue"] for r in rows)
	profit = sum(r["gross_profit"] for r in rows)
	return [
		{"label": _("Quantity"), "value": sum(r["qty"] for r in rows), "datatype": "Float", "indicator": "Blue"},
		{"label": _("Revenue"), "value": revenue, "datatype": "Currency", "indicator": "Blue"},
		{"label": _("Gross Profit"), "value": profit, "datatype": "Currency", "indicator": "Green"},
		{"label": _("Gross Margin %"), "value": profit / revenue * 100 if revenue else 0, "datatype": "Percent", "indicator": "Green"},
	]
