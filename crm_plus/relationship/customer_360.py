"""Customer 360: one summary of a customer, for the Customer form and the REST API.

Its cost is fixed whatever the customer's history: one query for the figures (scalar
sub-queries, each on indexed columns), one for the customer's own fields. Figures the
user may not read (no read permission on Sales Invoice, say) come back as None.

Money is in the company's currency: revenue, cost of goods and gross profit are the
customer's sales facts (crm_plus.analytics.facts: submitted invoice lines, returns
negative, cost of goods as ERPNext's Gross Profit report takes it); receivables come from the Payment Ledger, as ERPNext's
Accounts Receivable reads them. Opportunity amounts are converted with the
opportunity's own rate: ERPNext fills base_opportunity_amount only in the browser.
"""

import frappe
from frappe.utils import add_months, flt, getdate, nowdate

from crm_plus.analytics import facts

# Connections that crm_plus adds to the Customer dashboard. Later capabilities append
# theirs here: (doctype, link fieldname on that doctype).
CUSTOMER_CONNECTIONS: list[tuple[str, str]] = [("Customer Follow Up", "customer")]
# after-sales service
CUSTOMER_CONNECTIONS += [("Customer Complaint", "customer"), ("Repair Order", "customer")]
# contracts and receivables (issue 5)
CUSTOMER_CONNECTIONS += [("Contract Document", "customer"), ("Receivable Follow Up", "customer")]

OPEN_OPPORTUNITY_EXCLUDED = ("Converted", "Lost", "Closed")
OPEN_QUOTATION_STATUSES = ("Open", "Replied", "Partially Ordered")

# figure -> the doctype whose read permission it needs
PERMISSION_OF = {
	"lifetime_revenue": "Sales Invoice",
	"revenue_last_12_months": "Sales Invoice",
	"gross_profit": "Sales Invoice",
	"last_order_date": "Sales Order",
	"outstanding": "Sales Invoice",
	"overdue": "Sales Invoice",
	"open_opportunities": "Opportunity",
	"open_opportunity_amount": "Opportunity",
	"open_quotations": "Quotation",
	"open_quotation_amount": "Quotation",
	"last_follow_up": "Customer Follow Up",
	"next_follow_up": "Customer Follow Up",
	"next_follow_up_action": "Customer Follow Up",
	"open_complaints": "Customer Complaint",
	"repairs_in_progress": "Repair Order",
}


def get_customer_360(customer: str, company: str | None = None) -> dict:
	company = company or default_company()
	today = getdate(nowdate())
	values = {
		"customer": customer,
		"company": company,
		"today": today,
		"year_ago": add_months(today, -12),
		"opp_excluded": OPEN_OPPORTUNITY_EXCLUDED,
		"quotation_open": OPEN_QUOTATION_STATUSES,
	}
	facts.ensure_current()
	figures = frappe.db.sql(SUMMARY_SQL, values, as_dict=True)[0]
	party = frappe.db.get_value(
		"Customer",
		customer,
		["customer_name", "crm_plus_lifecycle_status", "crm_plus_status_since", "crm_plus_churn_reason"],
		as_dict=True,
	)

	revenue = flt(figures.lifetime_revenue)
	summary = {
		"customer": customer,
		"customer_name": party.customer_name,
		"company": company,
		"currency": frappe.get_cached_value("Company", company, "default_currency") if company else None,
		"lifetime_revenue": revenue,
		"revenue_last_12_months": flt(figures.revenue_last_12_months),
		"gross_profit": flt(revenue - flt(figures.cost_of_goods)),
		"last_order_date": figures.last_order_date,
		"outstanding": flt(figures.outstanding),
		"overdue": flt(figures.overdue),
		"open_opportunities": figures.open_opportunities or 0,
		"open_opportunity_amount": flt(figures.open_opportunity_amount),
		"open_quotations": figures.open_quotations or 0,
		"open_quotation_amount": flt(figures.open_quotation_amount),
		"last_follow_up": figures.last_follow_up,
		"next_follow_up": figures.next_follow_up,
		"next_follow_up_action": figures.next_follow_up_action,
		"open_complaints": figures.open_complaints or 0,
		"repairs_in_progress": figures.repairs_in_progress or 0,
		"lifecycle_status": party.crm_plus_lifecycle_status,
		"lifecycle_status_since": party.crm_plus_status_since,
		"churn_reason": party.crm_plus_churn_reason,
	}
	for key, doctype in PERMISSION_OF.items():
		if not frappe.has_permission(doctype, "read"):
			summary[key] = None
	return summary


def default_company() -> str | None:
	return frappe.defaults.get_user_default("Company") or frappe.db.get_single_value(
		"Global Defaults", "default_company"
	)


def default_currency() -> str | None:
	"""The currency of the user's default company: what company-currency amounts are shown in."""
	company = default_company()
	return frappe.get_cached_value("Company", company, "default_currency") if company else None


SUMMARY_SQL = """
SELECT
	(SELECT SUM(f.revenue) FROM `tabCRM Plus Sales Fact` f
		WHERE f.customer = %(customer)s AND f.company = %(company)s
	) AS lifetime_revenue,
	(SELECT SUM(f.revenue) FROM `tabCRM Plus Sales Fact` f
		WHERE f.customer = %(customer)s AND f.company = %(company)s AND f.posting_date > %(year_ago)s
	) AS revenue_last_12_months,
	(SELECT SUM(f.cost) FROM `tabCRM Plus Sales Fact` f
		WHERE f.customer = %(customer)s AND f.company = %(company)s
	) AS cost_of_goods,
	(SELECT MAX(so.transaction_date) FROM `tabSales Order` so
		WHERE so.customer = %(customer)s AND so.company = %(company)s AND so.docstatus = 1
	) AS last_order_date,
	(SELECT SUM(ple.amount) FROM `tabPayment Ledger Entry` ple
		WHERE ple.party_type = 'Customer' AND ple.party = %(customer)s AND ple.company = %(company)s
			AND ple.delinked = 0 AND ple.account_type = 'Receivable'
	) AS outstanding,
	(SELECT SUM(o.amount) FROM (
		SELECT SUM(ple.amount) AS amount,
			MAX(CASE WHEN ple.voucher_no = ple.against_voucher_no THEN ple.due_date END) AS due_date
		FROM `tabPayment Ledger Entry` ple
		WHERE ple.party_type = 'Customer' AND ple.party = %(customer)s AND ple.company = %(company)s
			AND ple.delinked = 0 AND ple.account_type = 'Receivable'
		GROUP BY ple.against_voucher_type, ple.against_voucher_no
		) o WHERE o.amount > 0 AND o.due_date < %(today)s
	) AS overdue,
	(SELECT COUNT(*) FROM `tabOpportunity` opp
		WHERE opp.opportunity_from = 'Customer' AND opp.party_name = %(customer)s
			AND opp.status NOT IN %(opp_excluded)s
	) AS open_opportunities,
	(SELECT SUM(opp.opportunity_amount * IF(opp.conversion_rate > 0, opp.conversion_rate, 1))
		FROM `tabOpportunity` opp
		WHERE opp.opportunity_from = 'Customer' AND opp.party_name = %(customer)s
			AND opp.status NOT IN %(opp_excluded)s
	) AS open_opportunity_amount,
	(SELECT COUNT(*) FROM `tabQuotation` q
		WHERE q.quotation_to = 'Customer' AND q.party_name = %(customer)s AND q.docstatus = 1
			AND q.status IN %(quotation_open)s
	) AS open_quotations,
	(SELECT SUM(q.base_net_total) FROM `tabQuotation` q
		WHERE q.quotation_to = 'Customer' AND q.party_name = %(customer)s AND q.docstatus = 1
			AND q.status IN %(quotation_open)s
	) AS open_quotation_amount,
	(SELECT MAX(f.date) FROM `tabCustomer Follow Up` f WHERE f.customer = %(customer)s) AS last_follow_up,
	(SELECT MIN(f.next_follow_up_on) FROM `tabCustomer Follow Up` f
		WHERE f.customer = %(customer)s AND f.next_follow_up_status = 'Open'
	) AS next_follow_up,
	(SELECT f.next_action FROM `tabCustomer Follow Up` f
		WHERE f.customer = %(customer)s AND f.next_follow_up_status = 'Open'
		ORDER BY f.next_follow_up_on LIMIT 1
	) AS next_follow_up_action,
	(SELECT COUNT(*) FROM `tabCustomer Complaint` cc
		WHERE cc.customer = %(customer)s AND cc.status IN ('Open', 'In Progress')
	) AS open_complaints,
	(SELECT COUNT(*) FROM `tabRepair Order` ro
		WHERE ro.customer = %(customer)s AND ro.docstatus < 2
			AND ro.status NOT IN ('Delivered', 'Cancelled')
	) AS repairs_in_progress
"""
