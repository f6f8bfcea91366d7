# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

"""Pipeline Movement (商机变化): what happened to opportunities between two dates, read from
their stage history (crm_plus.pipeline.opportunity).

- Summary, per sales person, territory or customer group: created (opportunity date in
  the period), quoted, won (ordered: status Converted), lost, slipped (expected closing
  date moved later), the conversion rate won / (won + lost) and the average days from the
  opportunity's date to its win.
- Stages: per sales stage, how many opportunities entered it in the period, how many moved
  on, and the average days they spent in it (until the next stage, or until the
  opportunity was won, lost or closed; still open ones count until today).
- Lost: the opportunities lost in the period with the stage they were lost in, their
  reasons and the competitors they went to.

A fixed number of queries per view (the summary two, the others one), whose work follows
the changes made in the period; the user's permissions in them."""

import frappe
from frappe import _
from frappe.utils import add_days, flt, now_datetime

from crm_plus.crm_plus.report.sales_forecast.sales_forecast import GROUPS
from crm_plus.pipeline.opportunity import HISTORY_FIELD, OPEN_STATUSES
from crm_plus.pipeline.reports import check_pipeline_filters, opportunity_conditions

VIEWS = ("Summary", "Stages", "Lost")

# history rows `h` changed in the period, each with the row before it `p` (same opportunity,
# previous idx): an index on changed_on finds the period's rows, the parent index their
# neighbours, so the work follows the period's changes, not the whole history (constant SQL)
# (the table holds Opportunity's crm_plus_stage_history rows only, so parenttype and
# parentfield need no condition, and the indexes of on_doctype_update cover every column read)
PERIOD_ROWS_SQL = """
	from `tabOpportunity Stage History` h
	join `tabOpportunity` o on o.name = h.parent
	left join `tabOpportunity Stage History` p on p.parent = h.parent and p.idx = h.idx - 1
	where h.changed_on >= %(start)s and h.changed_on < %(end)s
		and o.company = %(company)s"""
# the row entered a status it was not in before
ENTERED = "ifnull(p.status, '') != h.status"

def execute(filters: dict | None = None):
	filters = check_pipeline_filters(filters, tuple(GROUPS), "Sales Person", VIEWS)
	perm_sql, params = opportunity_conditions(filters)
	params.update(
		company=filters.company,
		from_date=filters.from_date,
		to_date=filters.to_date,
		start=filters.from_date,
		end=add_days(filters.to_date, 1),
		history_field=HISTORY_FIELD,
		open=OPEN_STATUSES,
		now=now_datetime(),
	)
	if filters.view == "Stages":
		rows = stages(perm_sql, params)
		return stage_columns(), rows, None, stage_chart(rows), None
	if filters.view == "Lost":
		return lost_columns(), lost(perm_sql, params), None, None, None
	rows = summary_rows(filters, perm_sql, params)
	return summary_columns(filters), rows, None, summary_chart(rows), summary(rows)


def summary_rows(filters, perm_sql: str, params: dict) -> list[dict]:
	group_column = GROUPS[filters.group_by][0]
	created = frappe.db.sql(
		f"""
		select ifnull({group_column}, '') as `group`, count(*) as created
		from `tabOpportunity` o
		where o.company = %(company)s and o.transaction_date between %(from_date)s and %(to_date)s {perm_sql}
		group by `group`
		""",
		params,
		as_dict=True,
	)
	events = frappe.db.sql(
		f"""
		select ifnull({group_column}, '') as `group`,
			count(distinct case when {ENTERED} and h.status = 'Quotation' then o.name end) as quoted,
			count(distinct case when {ENTERED} and h.status = 'Converted' then o.name end) as won,
			count(distinct case when {ENTERED} and h.status = 'Lost' then o.name end) as lost,
			count(distinct case when h.expected_closing > p.expected_closing then o.name end) as slipped,
			avg(case when {ENTERED} and h.status = 'Converted' then datediff(h.changed_on, o.transaction_date) end) as days_to_win,
			sum(case when {ENTERED} and h.status = 'Converted' then o.base_opportunity_amount else 0 end) as won_amount,
			sum(case when {ENTERED} and h.status = 'Lost' then o.base_opportunity_amount else 0 end) as lost_amount
		{PERIOD_ROWS_SQL} {perm_sql}
		group by `group`
		""",
		params,
		as_dict=True,
	)
	rows = {}
	empty = dict(created=0, quoted=0, won=0, lost=0, slipped=0, days_to_win=None, won_amount=0.0, lost_amount=0.0)
	for row in created:
		rows.setdefault(row.group, frappe._dict(group=row.group, **empty)).created = row.created
	for row in events:
		target = rows.setdefault(row.group, frappe._dict(group=row.group, **empty))
		target.update({k: v for k, v in row.items() if k != "group"})
	out = [r for r in rows.values() if r.created or r.quoted or r.won or r.lost or r.slipped]
	out.sort(key=lambda r: r.group or "")
	for row in out:
		decided = row.won + row.lost
		row.conversion_rate = flt(100.0 * row.won / decided, 1) if decided else None
		row.days_to_win = flt(row.days_to_win, 1) if row.days_to_win is not None else None
	return out


def stages(perm_sql: str, params: dict) -> list[dict]:
	"""A stage is entered when an opportunity's stage changes to it (or it starts in it)
	while open, and left at the next row that changes the stage or ends the opportunity
	(won, lost, closed); one still in it counts until now."""
	rows = frappe.db.sql(
		f"""
		select e.sales_stage, count(*) as entered, sum(e.left_on is not null) as moved_on,
			avg(timestampdiff(second, e.changed_on, ifnull(e.left_on, %(now)s)) / 86400) as avg_days,
			max(sp.crm_plus_probability) as probability
		from (
			select h.sales_stage, h.changed_on,
				(select min(n.changed_on) from `tabOpportunity Stage History` n
					where n.parent = h.parent and n.idx > h.idx
						and (ifnull(n.sales_stage, '') != ifnull(h.sales_stage, '') or n.status not in %(open)s)) as left_on
			{PERIOD_ROWS_SQL} {perm_sql}
				and ifnull(h.sales_stage, '') != '' and h.status in %(open)s
				and (p.name is null or ifnull(p.sales_stage, '') != h.sales_stage or p.status not in %(open)s)
		) e
		left join `tabSales Stage` sp on sp.name = e.sales_stage
		group by e.sales_stage
		order by probability, e.sales_stage
		""",
		params,
		as_dict=True,
	)
	for row in rows:
		row.avg_days = flt(row.avg_days, 1)
	return rows


def lost(perm_sql: str, params: dict) -> list[dict]:
	return frappe.db.sql(
		f"""
		select o.name as opportunity, o.party_name, o.customer_name, o.crm_plus_sales_person as sales_person,
			o.sales_stage, o.base_opportunity_amount as amount, min(h.changed_on) as lost_on,
			(select group_concat(lr.lost_reason order by lr.idx separator ', ') from `tabOpportunity Lost Reason Detail` lr
				where lr.parent = o.name and lr.parenttype = 'Opportunity') as lost_reasons,
			(select group_concat(cd.competitor order by cd.idx separator ', ') from `tabCompetitor Detail` cd
				where cd.parent = o.name and cd.parenttype = 'Opportunity') as competitors,
			o.order_lost_reason as detailed_reason
		{PERIOD_ROWS_SQL} {perm_sql}
			and o.status = 'Lost' and h.status = 'Lost' and {ENTERED}
		group by o.name
		order by lost_on, o.name
		""",
		params,
		as_dict=True,
	)


def summary_columns(filters) -> list[dict]:
	_o, _s, label, doctype = GROUPS[filters.group_by]

	def count(fieldname, text):
		return {"fieldname": fieldname, "label": text, "fieldtype": "Int", "width": 90}

	return [
		{"fieldname": "group", "label": _(label), "fieldtype": "Link", "options": doctype, "width": 170},
		count("created", _("Created")),
		count("quoted", _("Quoted")),
		count("won", _("Won")),
		count("lost", _("Lost")),
		count("slipped", _("Slipped")),
		{"fieldname": "conversion_rate", "label": _("Conversion Rate (%)"), "fieldtype": "Percent", "precision": 1, "width": 130},
		{"fieldname": "days_to_win", "label": _("Average Days to Win"), "fieldtype": "Float", "precision": 1, "width": 130},
		{"fieldname": "won_amount", "label": _("Won Amount"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "lost_amount", "label": _("Lost Amount"), "fieldtype": "Currency", "width": 130},
	]


def stage_columns() -> list[dict]:
	return [
		{"fieldname": "sales_stage", "label": _("Sales Stage"), "fieldtype": "Link", "options": "Sales Stage", "width": 170},
		{"fieldname": "probability", "label": _("Default Probability (%)"), "fieldtype": "Percent", "precision": 1, "width": 130},
		{"fieldname": "entered", "label": _("Entered"), "fieldtype": "Int", "width": 90},
		{"fieldname": "moved_on", "label": _("Moved On"), "fieldtype": "Int", "width": 90},
		{"fieldname": "avg_days", "label": _("Average Days in Stage"), "fieldtype": "Float", "precision": 1, "width": 150},
	]


def lost_columns() -> list[dict]:
	return [
		{"fieldname": "opportunity", "label": _("Opportunity"), "fieldtype": "Link", "options": "Opportunity", "width": 160},
		{"fieldname": "customer_name", "label": _("Customer Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "sales_person", "label": _("Sales Person"), "fieldtype": "Link", "options": "Sales Person", "width": 130},
		{"fieldname": "sales_stage", "label": _("Sales Stage"), "fieldtype": "Link", "options": "Sales Stage", "width": 130},
		{"fieldname": "amount", "label": _("Amount"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "lost_on", "label": _("Lost On"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "lost_reasons", "label": _("Lost Reasons"), "fieldtype": "Data", "width": 180},
		{"fieldname": "competitors", "label": _("Competitors"), "fieldtype": "Data", "width": 180},
		{"fieldname": "detailed_reason", "label": _("Detailed Reason"), "fieldtype": "Data", "width": 200},
	]


def summary_chart(rows: list[dict]) -> dict | None:
	if not rows:
		return None
	labels = [row.group or _("Unassigned") for row in rows]
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": _("Created"), "values": [row.created for row in rows]},
				{"name": _("Won"), "values": [row.won for row in rows]},
				{"name": _("Lost"), "values": [row.lost for row in rows]},
			],
		},
		"type": "bar",
	}


def stage_chart(rows: list[dict]) -> dict | None:
	if not rows:
		return None
	return {
		"data": {
			"labels": [row.sales_stage for row in rows],
			"datasets": [{"name": _("Average Days in Stage"), "values": [row.avg_days for row in rows]}],
		},
		"type": "bar",
	}


def summary(rows: list[dict]) -> list[dict]:
	won, lost_count = sum(r.won for r in rows), sum(r.lost for r in rows)
	return [
		{"label": _("Created"), "value": sum(r.created for r in rows), "datatype": "Int", "indicator": "blue"},
		{"label": _("Won"), "value": won, "datatype": "Int", "indicator": "green"},
		{"label": _("Lost"), "value": lost_count, "datatype": "Int", "indicator": "red"},
		{"label": _("Slipped"), "value": sum(r.slipped for r in rows), "datatype": "Int", "indicator": "orange"},
		{
			"label": _("Conversion Rate (%)"),
			"value": flt(100.0 * won / (won + lost_count), 1) if won + lost_count else 0,
			"datatype": "Percent",
			"indicator": "green",
		},
	]
