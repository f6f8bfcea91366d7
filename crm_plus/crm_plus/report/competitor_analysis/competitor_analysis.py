# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

"""Competitor Analysis (竞争对手分析): for each competitor named on opportunities dated in the
period (ERPNext's Competitors table on Opportunity), how many opportunities and how much it
was up against, how many were won (ordered) and lost, the amount lost, the win rate won /
(won + lost), and how often follow-ups heard of it. Optionally per item group (amounts of
the opportunity's items of that group) or per territory. The chart: amount lost to the
five competitors that took most, per period.

A fixed number of queries; the user's permissions in them (opportunities as
frappe.get_list filters them, follow-ups through frappe.get_list itself)."""

import frappe
from frappe import _
from frappe.utils import add_days, flt

from crm_plus.analytics.common import period_label, period_range, period_sql, raise_filter_error
from crm_plus.pipeline.opportunity import OPEN_STATUSES
from crm_plus.pipeline.reports import check_pipeline_filters, opportunity_conditions

# group by -> (SQL for the second grouping, label, link doctype); constants only
GROUPS = {
	"Competitor": (None, None, None),
	"Item Group": ("ifnull(oi.item_group, '')", "Item Group", "Item Group"),
	"Territory": ("ifnull(o.territory, '')", "Territory", "Territory"),
}


def execute(filters: dict | None = None):
	filters = check_pipeline_filters(filters, tuple(GROUPS), "Competitor")
	if filters.get("competitor") and not frappe.db.exists("Competitor", filters.competitor):
		raise_filter_error(_("Competitor {0} does not exist.").format(frappe.bold(filters.competitor)))
	perm_sql, params = opportunity_conditions(filters)
	params.update(company=filters.company, from_date=filters.from_date, to_date=filters.to_date, open=OPEN_STATUSES)
	if filters.get("competitor"):
		perm_sql += " and cd.competitor = %(competitor)s"
		params["competitor"] = filters.competitor
	rows = competitor_rows(filters, perm_sql, params)
	if filters.group_by == "Competitor":
		add_follow_ups(filters, rows)
	return columns(filters), rows, None, chart(filters, perm_sql, params), summary(rows)


def competitor_rows(filters, perm_sql: str, params: dict) -> list[dict]:
	second, *_rest = GROUPS[filters.group_by]
	item_join = "left join `tabOpportunity Item` oi on oi.parent = o.name and oi.parenttype = 'Opportunity'" if filters.group_by == "Item Group" else ""
	amount = "coalesce(oi.base_amount, o.base_opportunity_amount)" if item_join else "o.base_opportunity_amount"
	group_sql = f", {second} as `group`" if second else ", '' as `group`"
	rows = frappe.db.sql(
		f"""
		select cd.competitor {group_sql},
			count(distinct o.name) as opportunities,
			sum({amount}) as amount,
			count(distinct case when o.status = 'Converted' then o.name end) as won,
			count(distinct case when o.status = 'Lost' then o.name end) as lost,
			count(distinct case when o.status in %(open)s then o.name end) as open_count,
			sum(case when o.status = 'Lost' then {amount} else 0 end) as lost_amount,
			sum(case when o.status = 'Converted' then {amount} else 0 end) as won_amount
		from `tabOpportunity` o
		join `tabCompetitor Detail` cd on cd.parent = o.name and cd.parenttype = 'Opportunity'
		{item_join}
		where o.company = %(company)s and o.transaction_date between %(from_date)s and %(to_date)s {perm_sql}
		group by cd.competitor, `group`
		order by lost_amount desc, amount desc, cd.competitor, `group`
		""",
		params,
		as_dict=True,
	)
	for row in rows:
		decided = row.won + row.lost
		row.win_rate = flt(100.0 * row.won / decided, 1) if decided else None
	return rows


def add_follow_ups(filters, rows: list[dict]) -> None:
	"""How many follow-ups in the period heard of each competitor: counted by
	frappe.get_list, so only the follow-ups the user may read."""
	counts = frappe.get_list(
		"Customer Follow Up",
		filters=[
			["competitor", "is", "set"],
			["date", ">=", filters.from_date],
			["date", "<", add_days(filters.to_date, 1)],
		],
		fields=["competitor", "count(name) as follow_ups"],
		group_by="competitor",
		order_by="competitor",
	)
	by_competitor = {c.competitor: c.follow_ups for c in counts}
	for row in rows:
		row.follow_ups = by_competitor.pop(row.competitor, 0)
	if filters.get("competitor"):
		by_competitor = {k: v for k, v in by_competitor.items() if k == filters.competitor}
	for competitor, follow_ups in sorted(by_competitor.items()):
		rows.append(
			frappe._dict(competitor=competitor, group="", opportunities=0, amount=0, won=0, lost=0, open_count=0,
				lost_amount=0, won_amount=0, win_rate=None, follow_ups=follow_ups)
		)


def chart(filters, perm_sql: str, params: dict) -> dict | None:
	rows = frappe.db.sql(
		f"""
		select cd.competitor, {period_sql(filters.period, "o.transaction_date")} as period_index,
			sum(o.base_opportunity_amount) as lost_amount
		from `tabOpportunity` o
		join `tabCompetitor Detail` cd on cd.parent = o.name and cd.parenttype = 'Opportunity'
		where o.company = %(company)s and o.status = 'Lost'
			and o.transaction_date between %(from_date)s and %(to_date)s {perm_sql}
		group by cd.competitor, period_index
		""",
		params,
		as_dict=True,
	)
	if not rows:
		return None
	totals = {}
	for row in rows:
		totals[row.competitor] = totals.get(row.competitor, 0) + flt(row.lost_amount)
	top = sorted(totals, key=lambda c: (-totals[c], c))[:5]
	first, last = period_range(filters)
	indexes = list(range(first, last + 1))
	values = {(r.competitor, r.period_index): flt(r.lost_amount) for r in rows}
	return {
		"data": {
			"labels": [period_label(filters.period, i) for i in indexes],
			"datasets": [{"name": c, "values": [values.get((c, i), 0) for i in indexes]} for c in top],
		},
		"type": "line",
		"fieldtype": "Currency",
	}


def columns(filters) -> list[dict]:
	_sql, label, doctype = GROUPS[filters.group_by]
	cols = [{"fieldname": "competitor", "label": _("Competitor"), "fieldtype": "Link", "options": "Competitor", "width": 170}]
	if label:
		cols.append({"fieldname": "group", "label": _(label), "fieldtype": "Link", "options": doctype, "width": 150})
	cols += [
		{"fieldname": "opportunities", "label": _("Opportunities"), "fieldtype": "Int", "width": 100},
		{"fieldname": "amount", "label": _("Amount"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "won", "label": _("Won"), "fieldtype": "Int", "width": 70},
		{"fieldname": "lost", "label": _("Lost"), "fieldtype": "Int", "width": 70},
		{"fieldname": "open_count", "label": _("Open"), "fieldtype": "Int", "width": 70},
		{"fieldname": "win_rate", "label": _("Win Rate (%)"), "fieldtype": "Percent", "precision": 1, "width": 100},
		{"fieldname": "lost_amount", "label": _("Lost Amount"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "won_amount", "label": _("Won Amount"), "fieldtype": "Currency", "width": 120},
	]
	if filters.group_by == "Competitor":
		cols.append({"fieldname": "follow_ups", "label": _("Follow-ups Mentioning"), "fieldtype": "Int", "width": 140})
	return cols


def summary(rows: list[dict]) -> list[dict]:
	won, lost = sum(r.won for r in rows), sum(r.lost for r in rows)
	return [
		{"label": _("Competitors"), "value": len({r.competitor for r in rows}), "datatype": "Int", "indicator": "blue"},
		{"label": _("Lost Amount"), "value": sum(flt(r.lost_amount) for r in rows), "datatype": "Currency", "indicator": "red"},
		{"label": _("Win Rate (%)"), "value": flt(100.0 * won / (won + lost), 1) if won + lost else 0, "datatype": "Percent", "indicator": "green"},
	]
