# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

"""Campaign ROI: per campaign, what it brought (leads, opportunities, quotations,
orders, invoiced revenue and gross profit, attributed through ERPNext's Campaign field;
revenue and cost of goods are the invoices' sales facts, crm_plus.analytics.facts)
against what it cost (books tagged with the campaign + costs without a document).

Four queries whatever the data: campaigns, the attributed funnel (one UNION ALL of
grouped counts and sums), costs from the books, costs without a document."""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from crm_plus.analytics import facts
from crm_plus.analytics.common import fact_invoice_join
from crm_plus.marketing.costs import DIMENSION_FIELD
from crm_plus.utils.permissions import check_company, user_permission_sql


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	validate_filters(filters)
	facts.ensure_current()
	campaigns = get_campaigns(filters)
	data = build_rows(campaigns, filters) if campaigns else []
	return get_columns(filters), data, None, get_chart(data), get_summary(data, filters)


def validate_filters(filters):
	if not filters.company:
		frappe.throw(_("Select a company."))
	check_company(filters.company, "Marketing Campaign")
	if filters.from_date and filters.to_date and getdate(filters.from_date) > getdate(filters.to_date):
		frappe.throw(_("From date must be before to date."))


def get_campaigns(filters) -> list[dict]:
	conditions = {"company": filters.company}
	if filters.campaign:
		conditions["name"] = filters.campaign
	if filters.status:
		conditions["status"] = filters.status
	if filters.from_date:
		conditions["start_date"] = [">=", filters.from_date]
	if filters.to_date:
		conditions.setdefault("start_date", [])
		conditions["start_date"] = ["between", [filters.from_date or "1900-01-01", filters.to_date]]
	return frappe.get_list(
		"Marketing Campaign",
		filters=conditions,
		fields=["name", "campaign", "purpose", "status", "start_date"],
		order_by="start_date desc",
	)


# {lead}, {opp}, ... : the user-permission conditions of each doctype (utils.permissions)
FUNNEL_SQL = """
SELECT 'leads' AS kind, l.campaign_name AS campaign, COUNT(*) AS n, 0 AS amount FROM `tabLead` l
	WHERE l.campaign_name IN %(campaigns)s AND (l.company = %(company)s OR IFNULL(l.company, '') = '') {lead}
	GROUP BY l.campaign_name
UNION ALL
SELECT 'opportunities', o.campaign, COUNT(*), 0 FROM `tabOpportunity` o
	WHERE o.campaign IN %(campaigns)s AND o.company = %(company)s {opp} GROUP BY o.campaign
UNION ALL
SELECT 'quotations', q.campaign, COUNT(*), SUM(q.base_net_total) FROM `tabQuotation` q
	WHERE q.campaign IN %(campaigns)s AND q.company = %(company)s AND q.docstatus = 1 {quotation} GROUP BY q.campaign
UNION ALL
SELECT 'orders', so.campaign, COUNT(*), SUM(so.base_net_total) FROM `tabSales Order` so
	WHERE so.campaign IN %(campaigns)s AND so.company = %(company)s AND so.docstatus = 1 {order} GROUP BY so.campaign
UNION ALL
SELECT 'revenue', f.campaign, COUNT(DISTINCT f.sales_invoice), SUM(f.revenue)
	FROM `tabCRM Plus Sales Fact` f {invoice_join}
	WHERE f.campaign IN %(campaigns)s AND f.company = %(company)s {invoice} GROUP BY f.campaign
UNION ALL
SELECT 'cogs', f.campaign, 0, SUM(f.cost)
	FROM `tabCRM Plus Sales Fact` f {invoice_join}
	WHERE f.campaign IN %(campaigns)s AND f.company = %(company)s {invoice} GROUP BY f.campaign
"""
# each part of the funnel: its doctype and table alias in FUNNEL_SQL
FUNNEL_PARTS = {
	"lead": ("Lead", "l"),
	"opp": ("Opportunity", "o"),
	"quotation": ("Quotation", "q"),
	"order": ("Sales Order", "so"),
	"invoice": ("Sales Invoice", "si"),
}


def funnel_query() -> tuple[str, dict]:
	"""FUNNEL_SQL with the user's permissions: a doctype the user may not read counts
	nothing, and only the records their user permissions allow count."""
	conditions, params = {}, {}
	for key, (doctype, alias) in FUNNEL_PARTS.items():
		if not frappe.has_permission(doctype, "read"):
			conditions[key] = " and 1 = 0"
			continue
		extra = {f"{alias}.`party_name`": "Customer"} if doctype == "Quotation" else None
		conditions[key], more = user_permission_sql(doctype, alias, extra)
		params.update(more)
	return FUNNEL_SQL.format(**conditions, invoice_join=fact_invoice_join(conditions["invoice"])), params


def build_rows(campaigns, filters) -> list[dict]:
	erpnext_campaigns = [c.campaign for c in campaigns if c.campaign] or [""]
	funnel: dict[tuple[str, str], tuple[int, float]] = {}
	sql, params = funnel_query()
	for r in frappe.db.sql(sql, {"campaigns": erpnext_campaigns, "company": filters.company, **params}, as_dict=True):
		funnel[(r.kind, r.campaign)] = (r.n, flt(r.amount))
	names = [c.name for c in campaigns]
	books = dict(
		frappe.db.sql(
			f"""SELECT gle.`{DIMENSION_FIELD}`, SUM(gle.debit - gle.credit) FROM `tabGL Entry` gle
			JOIN `tabAccount` acc ON acc.name = gle.account
			WHERE gle.`{DIMENSION_FIELD}` IN %(names)s AND gle.company = %(company)s
				AND gle.is_cancelled = 0 AND acc.root_type = 'Expense'
			GROUP BY gle.`{DIMENSION_FIELD}`""",
			{"names": names, "company": filters.company},
		)
		if frappe.db.has_column("GL Entry", DIMENSION_FIELD)
		else []
	)
	manual = dict(
		frappe.db.sql(
			"""SELECT parent, SUM(amount) FROM `tabMarketing Campaign Cost`
			WHERE parenttype = 'Marketing Campaign' AND parent IN %(names)s GROUP BY parent""",
			{"names": names},
		)
	)
	rows = []
	for c in campaigns:
		def count(kind):
			return funnel.get((kind, c.campaign), (0, 0))[0]

		def amount(kind):
			return funnel.get((kind, c.campaign), (0, 0))[1]

		cost = flt(books.get(c.name)) + flt(manual.get(c.name))
		revenue = amount("revenue")
		gross_profit = revenue - amount("cogs")
		rows.append(
			{
				"campaign": c.name,
				"purpose": _(c.purpose),
				"status": _(c.status),
				"start_date": c.start_date,
				"leads": count("leads"),
				"opportunities": count("opportunities"),
				"quotations": count("quotations"),
				"orders": count("orders"),
				"order_value": amount("orders"),
				"revenue": revenue,
				"gross_profit": gross_profit,
				"cost": cost,
				"roi_revenue": ratio(revenue - cost, cost),
				"roi_gross_profit": ratio(gross_profit - cost, cost),
				"cost_per_lead": ratio(cost, count("leads"), percent=False),
				"cost_per_order": ratio(cost, count("orders"), percent=False),
			}
		)
	return rows


def ratio(numerator: float, denominator: float, percent: bool = True) -> float | None:
	if not denominator:
		return None
	return flt(numerator / denominator * (100 if percent else 1), 2)


def get_columns(filters) -> list[dict]:
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")

	def money(label, fieldname, width=120):
		return {"label": label, "fieldname": fieldname, "fieldtype": "Currency", "options": currency, "width": width}

	def count(label, fieldname):
		return {"label": label, "fieldname": fieldname, "fieldtype": "Int", "width": 90}

	return [
		{"label": _("Marketing Campaign"), "fieldname": "campaign", "fieldtype": "Link", "options": "Marketing Campaign", "width": 180},
		{"label": _("Purpose"), "fieldname": "purpose", "fieldtype": "Select", "width": 110},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Select", "width": 90},
		count(_("Leads"), "leads"),
		count(_("Opportunities"), "opportunities"),
		count(_("Quotations"), "quotations"),
		count(_("Orders"), "orders"),
		money(_("Order Value"), "order_value"),
		money(_("Invoiced Revenue"), "revenue"),
		money(_("Gross Profit"), "gross_profit"),
		money(_("Actual Cost"), "cost"),
		{"label": _("ROI on Revenue (%)"), "fieldname": "roi_revenue", "fieldtype": "Percent", "precision": 1, "width": 110},
		{"label": _("ROI on Gross Profit (%)"), "fieldname": "roi_gross_profit", "fieldtype": "Percent", "precision": 1, "width": 120},
		money(_("Cost per Lead"), "cost_per_lead", 110),
		money(_("Cost per Order"), "cost_per_order", 110),
	]


def get_chart(data) -> dict | None:
	if not data:
		return None
	stages = [("leads", _("Leads")), ("opportunities", _("Opportunities")), ("quotations", _("Quotations")), ("orders", _("Orders"))]
	return {
		"data": {
			"labels": [label for _key, label in stages],
			"datasets": [{"name": _("Funnel"), "values": [sum(r[key] for r in data) for key, _label in stages]}],
		},
		"type": "bar",
		"barOptions": {"spaceRatio": 0.2},
		"colors": ["#5e64ff"],
	}


def get_summary(data, filters) -> list[dict]:
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	cost = sum(r["cost"] for r in data)
	revenue = sum(r["revenue"] for r in data)
	gross_profit = sum(r["gross_profit"] for r in data)
	return [
		{"label": _("Actual Cost"), "value": cost, "datatype": "Currency", "currency": currency, "indicator": "Red"},
		{"label": _("Invoiced Revenue"), "value": revenue, "datatype": "Currency", "currency": currency, "indicator": "Blue"},
		{"label": _("Gross Profit"), "value": gross_profit, "datatype": "Currency", "currency": currency, "indicator": "Green"},
		{"label": _("ROI on Gross Profit (%)"), "value": ratio(gross_profit - cost, cost) or 0, "datatype": "Percent", "indicator": "Green"},
	]
