"""Product Sales Analysis (产品销售分析): per item or item group and period, quantity,
revenue, gross margin, number of customers and revenue growth against the previous
period. One query per period shown, whatever the data."""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import cint, flt

from crm_plus.analytics import facts
from crm_plus.analytics.common import (
	check_filters,
	facts_sql,
	raise_filter_error,
	period_label,
	period_range,
	period_start,
	permission_conditions,
	profit_columns,
)

GROUPINGS = ("Item", "Item Group")
# grouping -> (column of the sales facts, SQL for its name, the facts index in its order);
# constants, never input (the name is looked up per row after adding up, so the lines are
# read from the index)
GROUP_COLUMNS = {
	"Item": ("f.item_code", "(select i.item_name from `tabItem` i where i.name = t.grp)", "crm_plus_fact_item"),
	"Item Group": ("f.item_group", "t.grp", "crm_plus_fact_item_group"),
}
TOP_IN_CHART = 10
# By item, the items with the most revenue in the range (tens of thousands of items would
# make hundreds of thousands of rows); the summary still adds up every item.
DEFAULT_TOP_N = 100


def execute(filters=None):
	filters = check_filters(filters, GROUPINGS)
	facts.ensure_current()
	filters.top_n = DEFAULT_TOP_N if filters.get("top_n") in (None, "") else cint(filters.top_n)
	if filters.top_n < 0:
		raise_filter_error(_("Top N must be 0 (every item) or more."))
	# the user's permissions as SQL, once for every query
	filters.perm_sql, filters.perm_params = permission_conditions("Sales Invoice", "si")
	if filters.group_by == "Item":
		totals, groups = item_totals(filters)
	else:
		totals, groups = None, frappe.get_all("Item Group", pluck="name", order_by="name")
	rows = get_rows(filters, groups)
	message = None
	if totals and totals.count > len(groups):
		message = _("Showing the {0} items with the most revenue of {1} sold in the range; the summary counts all of them. Raise Top N (0 = every item) or filter by item group to see more.").format(
			len(groups), totals.count
		)
	return get_columns(filters), rows, message, get_chart(rows), get_summary(rows, totals)


def item_totals(filters) -> tuple[frappe._dict, list[str]]:
	"""Every item's revenue in the range (in the order of the item index), for the top N and
	the summary's totals. Returns (totals, the items to show: the top N, or every one)."""
	perm_sql, perm_params = filters.perm_sql, filters.perm_params
	per_item = frappe.db.sql(
		f"""select f.item_code, sum(f.qty), sum(f.revenue), sum(f.cost)
		{facts_sql(perm_sql)} group by f.item_code""",
		{**perm_params, "company": filters.company, "from_date": filters.from_date, "to_date": filters.to_date},
	)
	totals = frappe._dict(
		count=len(per_item),
		qty=sum(flt(r[1]) for r in per_item),
		revenue=sum(flt(r[2]) for r in per_item),
		cost=sum(flt(r[3]) for r in per_item),
	)
	if filters.top_n and len(per_item) > filters.top_n:
		per_item = sorted(per_item, key=lambda r: (-flt(r[2]), r[0] or ""))[: filters.top_n]
	return totals, [r[0] for r in per_item]


def get_rows(filters, groups: list[str]) -> list[dict]:
	"""Per group (item or item group) and period: quantity, revenue, cost and customers.
	One query per period (and one for the period before the first, for its growth), each
	reading that period's lines of these groups in the order of the grouping's index: the
	customers of a group in a period are counted as the lines stream by, where one query
	over the whole range would sort every line by group and period first (seconds at
	500,000 lines)."""
	if not groups:
		return []
	group, group_name, index = GROUP_COLUMNS[filters.group_by]
	first, last = period_range(filters)
	perm_sql, perm_params = filters.perm_sql, filters.perm_params
	figures: dict[tuple[str, int], dict] = {}
	for period in range(first - 1, last + 1):
		start = filters.from_date if period == first else period_start(filters.period, period)
		end = min(period_start(filters.period, period + 1) - timedelta(days=1), filters.to_date)
		for r in frappe.db.sql(
			f"""
			select t.*, {group_name} as grp_name from (
				select {group} as grp, sum(f.qty) as qty, sum(f.revenue) as revenue,
					sum(f.cost) as cost, count(distinct f.customer) as customers
				{facts_sql(perm_sql, index=index)}
					and {group} in %(groups)s
				group by grp
			) t""",
			{**perm_params, "company": filters.company, "from_date": start, "to_date": end, "groups": tuple(groups)},
			as_dict=True,
		):
			figures[(r.grp, period)] = r
	out = []
	for (grp, period), r in figures.items():
		if period < first:  # the extra period is only there for the growth of the first
			continue
		revenue, cost = flt(r.revenue), flt(r.cost)
		previous = flt(figures[(grp, period - 1)].revenue) if (grp, period - 1) in figures else 0.0
		out.append(
			{
				"period": period_label(filters.period, period),
				"group": grp,
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


def get_summary(rows: list[dict], totals: frappe._dict | None = None) -> list[dict]:
	if totals:  # every item, also those beyond the top N
		qty, revenue, profit = totals.qty, totals.revenue, totals.revenue - totals.cost
	else:
		qty = sum(r["qty"] for r in rows)
		revenue = sum(r["revenue"] for r in rows)
		profit = sum(r["gross_profit"] for r in rows)
	return [
		{"label": _("Quantity"), "value": qty, "datatype": "Float", "indicator": "Blue"},
		{"label": _("Revenue"), "value": revenue, "datatype": "Currency", "indicator": "Blue"},
		{"label": _("Gross Profit"), "value": profit, "datatype": "Currency", "indicator": "Green"},
		{"label": _("Gross Margin %"), "value": profit / revenue * 100 if revenue else 0, "datatype": "Percent", "indicator": "Green"},
	]
