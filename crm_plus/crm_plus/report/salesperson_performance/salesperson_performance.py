"""Salesperson Performance (销售人员业绩): per sales person, orders, revenue, gross profit,
collected amount, quotations won and lost (win rate), follow-ups done and complaints on
their customers (when those doctypes exist), against their targets. A fixed number of
queries (five, plus one for each of follow-ups and complaints when they exist).

Attribution, where ERPNext has none of its own:
- orders, revenue, gross profit and collected amount: the document's Sales Team, at each
  sales person's allocated percentage (as ERPNext's Sales Person-wise Transaction Summary);
- quotations have no Sales Team in ERPNext: a quotation to a customer counts for the
  sales persons of that customer's Sales Team;
- target: the Sales Person's targets (all item groups added up), spread over the months of
  their fiscal year by their Monthly Distribution, each month counted for the days of it
  inside the date range.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt

from crm_plus.analytics import facts
from crm_plus.analytics.common import (
	allowed_sales_persons_condition,
	check_filters,
	permission_conditions,
	sales_team_facts_sql,
)

FOLLOW_UP_DOCTYPE = "Customer Follow Up"
DATE_FIELDS = ("date", "opened_on", "posting_date", "transaction_date")
COMPLAINT_DOCTYPE = "Customer Complaint"
TOP_IN_CHART = 20
WON = ("Ordered", "Partially Ordered")
# first day of a Monthly Distribution month within its fiscal year (months before the
# fiscal year's first month fall in the following calendar year)
MONTH_START_SQL = """date_add(
	makedate(year(fy.year_start_date) + if(field(mdp.month, 'January', 'February', 'March', 'April', 'May',
		'June', 'July', 'August', 'September', 'October', 'November', 'December') < month(fy.year_start_date), 1, 0), 1),
	interval field(mdp.month, 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
		'September', 'October', 'November', 'December') - 1 month)"""


def execute(filters=None):
	filters = check_filters(filters)
	facts.ensure_current()
	extras = optional_sources()
	rows = get_rows(filters, extras)
	return get_columns(extras), rows, None, get_chart(rows), get_summary(rows)


def optional_sources() -> dict[str, dict]:
	"""Follow-ups and complaints come with later crm_plus features: their columns show only
	when the doctype's table exists. Fields are found from the doctype's links."""
	sources = {}
	for key, doctype, link in (
		("follow_ups", FOLLOW_UP_DOCTYPE, "Sales Person"),
		("complaints", COMPLAINT_DOCTYPE, "Customer"),
	):
		if not frappe.db.table_exists(doctype):
			continue
		meta = frappe.get_meta(doctype)
		field = next((df.fieldname for df in meta.fields if df.fieldtype == "Link" and df.options == link), None)
		# when the follow-up took place / the complaint was opened, else when it was entered
		date_field = next((f for f in DATE_FIELDS if meta.has_field(f)), "creation")
		if field:
			sources[key] = {
				"doctype": doctype,
				"field": field,
				"date_field": date_field,
				"submittable": meta.is_submittable,
			}
	return sources


def get_rows(filters, extras: dict) -> list[dict]:
	params = {"company": filters.company, "from_date": filters.from_date, "to_date": filters.to_date}
	sp_sql, sp_params = allowed_sales_persons_condition("st.sales_person")
	params.update(sp_params)
	table: dict[str, dict] = {}

	def merge(results, **fields):
		for r in results:
			row = table.setdefault(r.sales_person, new_row(r.sales_person, extras))
			for target, source in fields.items():
				row[target] = flt(r.get(source))

	# 1. sales orders
	perm_sql, perm_params = permission_conditions("Sales Order", "so")
	merge(
		frappe.db.sql(
			f"""
			select st.sales_person, count(distinct so.name) as orders, sum(st.allocated_amount) as order_value
			from `tabSales Order` so
			join `tabSales Team` st on st.parent = so.name and st.parenttype = 'Sales Order'
			where so.docstatus = 1 and so.company = %(company)s
				and so.transaction_date between %(from_date)s and %(to_date)s {perm_sql} {sp_sql}
			group by st.sales_person""",
			{**params, **perm_params},
			as_dict=True,
		),
		orders="orders",
		order_value="order_value",
	)
	# 2. invoice lines: revenue and gross profit at the allocated percentage
	perm_sql, perm_params = permission_conditions("Sales Invoice", "si")
	team_join = "join `tabSales Team` st on st.parent = si.name and st.parenttype = 'Sales Invoice'"
	merge(
		frappe.db.sql(
			f"""
			select st.sales_person,
				sum(x.revenue * st.allocated_percentage / 100) as revenue,
				sum(x.cost * st.allocated_percentage / 100) as cost
			{sales_team_facts_sql(perm_sql)} {sp_sql}
			group by st.sales_person""",
			{**params, **perm_params},
			as_dict=True,
		),
		revenue="revenue",
		cost="cost",
	)
	# 3. collected on those invoices (invoice total less what is still outstanding)
	merge(
		frappe.db.sql(
			f"""
			select st.sales_person,
				sum((if(si.base_rounded_total != 0, si.base_rounded_total, si.base_grand_total)
					- si.outstanding_amount * si.conversion_rate) * st.allocated_percentage / 100) as collected
			from `tabSales Invoice` si {team_join}
			where si.docstatus = 1 and si.is_opening != 'Yes' and si.company = %(company)s
				and si.posting_date between %(from_date)s and %(to_date)s {perm_sql} {sp_sql}
			group by st.sales_person""",
			{**params, **perm_params},
			as_dict=True,
		),
		collected="collected",
	)
	# 4. quotations to their customers: won (ordered) and lost
	perm_sql, perm_params = permission_conditions("Quotation", "q", customer_field="party_name", sales_team=False)
	merge(
		frappe.db.sql(
			f"""
			select st.sales_person,
				sum(case when q.status in %(won)s then 1 else 0 end) as won,
				sum(case when q.status = 'Lost' then 1 else 0 end) as lost
			from `tabQuotation` q
			join `tabSales Team` st on st.parent = q.party_name and st.parenttype = 'Customer'
			where q.docstatus = 1 and q.quotation_to = 'Customer' and q.company = %(company)s
				and q.transaction_date between %(from_date)s and %(to_date)s {perm_sql} {sp_sql}
			group by st.sales_person""",
			{**params, **perm_params, "won": WON},
			as_dict=True,
		),
		quotations_won="won",
		quotations_lost="lost",
	)
	# 5. targets: each month's share (the target's Monthly Distribution) for the days of
	# that month inside the date range
	target_sql, target_params = allowed_sales_persons_condition("td.parent")
	merge(
		frappe.db.sql(
			f"""
			select sales_person, sum(month_target
				* greatest(0, datediff(least(month_end, %(to_date)s), greatest(month_start, %(from_date)s)) + 1)
				/ day(month_end)) as target
			from (
				select td.parent as sales_person,
					td.target_amount * mdp.percentage_allocation / 100 as month_target,
					{MONTH_START_SQL} as month_start, last_day({MONTH_START_SQL}) as month_end
				from `tabTarget Detail` td
				join `tabFiscal Year` fy on fy.name = td.fiscal_year
				join `tabMonthly Distribution Percentage` mdp
					on mdp.parent = td.distribution_id and mdp.parenttype = 'Monthly Distribution'
				where td.parenttype = 'Sales Person' and td.target_amount != 0
					and fy.year_start_date <= %(to_date)s and fy.year_end_date >= %(from_date)s {target_sql}
			) months
			group by sales_person""",
			{**params, **target_params},
			as_dict=True,
		),
		target="target",
	)
	# 6. follow-ups done and complaints on their customers, when those exist
	if "follow_ups" in extras:
		src = extras["follow_ups"]
		merge(count_follow_ups(src, params), follow_ups="n")
	if "complaints" in extras:
		src = extras["complaints"]
		merge(count_complaints(src, params, sp_sql), complaints="n")

	rows = []
	for row in table.values():
		for field in ("orders", "quotations_won", "quotations_lost", *extras):
			row[field] = cint(row[field])
		row["gross_profit"] = row["revenue"] - row["cost"]
		decided = row["quotations_won"] + row["quotations_lost"]
		row["win_rate"] = row["quotations_won"] / decided * 100 if decided else None
		row["achievement"] = row["revenue"] / row["target"] * 100 if row["target"] else None
		rows.append(row)
	rows.sort(key=lambda r: (-r["revenue"], r["sales_person"]))
	return rows


def count_follow_ups(src: dict, params: dict):
	sp_sql, sp_params = allowed_sales_persons_condition(f"fu.`{src['field']}`")
	docstatus = "docstatus = 1" if src["submittable"] else "docstatus < 2"
	return frappe.db.sql(
		f"""
		select fu.`{src["field"]}` as sales_person, count(*) as n
		from `tab{src["doctype"]}` fu
		where fu.{docstatus} and date(fu.`{src["date_field"]}`) between %(from_date)s and %(to_date)s
			{sp_sql}
		group by fu.`{src["field"]}`""",
		{**params, **sp_params},
		as_dict=True,
	)


def count_complaints(src: dict, params: dict, sp_sql: str):
	docstatus = "docstatus = 1" if src["submittable"] else "docstatus < 2"
	return frappe.db.sql(
		f"""
		select st.sales_person, count(distinct c.name) as n
		from `tab{src["doctype"]}` c
		join `tabSales Team` st on st.parent = c.`{src["field"]}` and st.parenttype = 'Customer'
		where c.{docstatus} and date(c.`{src["date_field"]}`) between %(from_date)s and %(to_date)s {sp_sql}
		group by st.sales_person""",
		params,
		as_dict=True,
	)


def new_row(sales_person: str, extras: dict) -> dict:
	row = {
		"sales_person": sales_person,
		"orders": 0,
		"order_value": 0.0,
		"revenue": 0.0,
		"cost": 0.0,
		"collected": 0.0,
		"quotations_won": 0,
		"quotations_lost": 0,
		"target": 0.0,
	}
	for key in extras:
		row[key] = 0
	return row


def get_columns(extras: dict) -> list[dict]:
	columns = [
		{"fieldname": "sales_person", "label": _("Sales Person"), "fieldtype": "Link", "options": "Sales Person", "width": 160},
		{"fieldname": "orders", "label": _("Orders"), "fieldtype": "Int", "width": 80},
		{"fieldname": "order_value", "label": _("Order Value"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "revenue", "label": _("Revenue"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "gross_profit", "label": _("Gross Profit"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "collected", "label": _("Collected Amount"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "quotations_won", "label": _("Quotations Won"), "fieldtype": "Int", "width": 110},
		{"fieldname": "quotations_lost", "label": _("Quotations Lost"), "fieldtype": "Int", "width": 110},
		{"fieldname": "win_rate", "label": _("Win Rate %"), "fieldtype": "Percent", "precision": 1, "width": 100},
	]
	if "follow_ups" in extras:
		columns.append({"fieldname": "follow_ups", "label": _("Follow-ups Done"), "fieldtype": "Int", "width": 110})
	if "complaints" in extras:
		columns.append({"fieldname": "complaints", "label": _("Complaints"), "fieldtype": "Int", "width": 100})
	columns += [
		{"fieldname": "target", "label": _("Target"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "achievement", "label": _("Achievement %"), "fieldtype": "Percent", "precision": 1, "width": 110},
	]
	return columns


def get_chart(rows: list[dict]) -> dict:
	top = rows[:TOP_IN_CHART]
	return {
		"data": {
			"labels": [r["sales_person"] or _("Unassigned") for r in top],
			"datasets": [
				{"name": _("Revenue"), "values": [r["revenue"] for r in top]},
				{"name": _("Gross Profit"), "values": [r["gross_profit"] for r in top]},
				{"name": _("Target"), "values": [r["target"] for r in top]},
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}


def get_summary(rows: list[dict]) -> list[dict]:
	def total(field):
		return sum(r[field] for r in rows)

	won, lost = total("quotations_won"), total("quotations_lost")
	return [
		{"label": _("Revenue"), "value": total("revenue"), "datatype": "Currency", "indicator": "Blue"},
		{"label": _("Gross Profit"), "value": total("gross_profit"), "datatype": "Currency", "indicator": "Green"},
		{"label": _("Collected Amount"), "value": total("collected"), "datatype": "Currency", "indicator": "Green"},
		{"label": _("Win Rate %"), "value": won / (won + lost) * 100 if won + lost else 0, "datatype": "Percent", "indicator": "Orange"},
		{"label": _("Orders"), "value": cint(total("orders")), "datatype": "Int", "indicator": "Blue"},
	]
