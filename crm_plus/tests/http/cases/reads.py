"""Reports and read APIs reveal only what the user may read: report access by role, the
company asked about, user permissions inside the figures, figures of doctypes the user
cannot read, campaign members' addresses."""

import frappe
from frappe.utils import add_days, nowdate

from crm_plus.tests.factories import COMPANY
from crm_plus.tests.http.fixtures import (
	ACTORS,
	CUSTOMER_A,
	CUSTOMER_B,
	OTHER_COMPANY,
	make_campaign,
	make_invoice,
)
from crm_plus.tests.http.run import equal, refused, succeeded

GROUP = "Reports and read APIs"
DATES = {"from_date": add_days(nowdate(), -365), "to_date": nowdate()}
# report -> (filters, actors who may run it). Frappe lets a user run a report when they hold
# one of its roles and may report on its reference doctype; docs/security.md has the table.
REPORTS = {
	"Customer Churn": ({"company": COMPANY}, {"sales_restricted", "sales_peer", "sales_manager"}),
	# on Sales Invoice, which ERPNext's Sales User and Sales Manager may not read: Accounts
	# Manager and System Manager run these (of the actors, nobody)
	"Customer Analysis": ({"company": COMPANY, **DATES}, set()),
	"Product Sales Analysis": ({"company": COMPANY, **DATES}, set()),
	"Profit Contribution": ({"company": COMPANY, **DATES}, set()),
	"Salesperson Performance": ({"company": COMPANY, **DATES}, set()),
	"Receivables Follow-up": ({"company": COMPANY}, {"accounts_user"}),
	"Campaign ROI": ({"company": COMPANY}, {"marketing_manager", "sales_manager"}),
	"Complaint Analysis": ({}, {"service_clerk", "sales_manager"}),
	"Repair Turnaround": ({"company": COMPANY}, {"service_clerk"}),
	# on Opportunity, which sales users read
	"Sales Forecast": ({"company": COMPANY, **DATES}, {"sales_restricted", "sales_peer", "sales_manager"}),
	"Pipeline Movement": ({"company": COMPANY, **DATES}, {"sales_restricted", "sales_peer", "sales_manager"}),
	"Competitor Analysis": ({"company": COMPANY, **DATES}, {"sales_restricted", "sales_peer", "sales_manager"}),
}


def rows(response) -> list[dict]:
	return [r for r in response.message["result"] if isinstance(r, dict)]


def run(s) -> None:
	# --- who may run each report -------------------------------------------------------
	def access(report, actor, allowed):
		filters = REPORTS[report][0]
		response = s[actor].report(report, filters)
		if allowed:
			succeeded(response)
		else:
			refused(response, 403)
			assert not (response.json or {}).get("message"), "no figures"

	for report, (_filters, allowed) in REPORTS.items():
		for actor in ACTORS:
			kind = s.legit if actor in allowed else s.attack
			kind(f"{report} run by {actor}", access, report, actor, actor in allowed)

	# --- what the rows hold -------------------------------------------------------------
	frappe.db.set_value("Customer", CUSTOMER_A, "crm_plus_lifecycle_status", "Lost")
	frappe.db.set_value("Customer", CUSTOMER_B, "crm_plus_lifecycle_status", "Lost")
	make_invoice(CUSTOMER_A, 300)
	make_invoice(CUSTOMER_B, 700)

	def churn_rows_restricted():
		response = s["sales_restricted"].report("Customer Churn", {"company": COMPANY, "status": ["Lost"]})
		succeeded(response)
		customers = {r["customer"] for r in rows(response)}
		assert CUSTOMER_A in customers, "their own customer"
		assert CUSTOMER_B not in customers, "customer B leaked"

	s.attack("a Sales User restricted to customer A reads Customer Churn", churn_rows_restricted)

	def churn_other_company():
		refused(s["sales_restricted"].report("Customer Churn", {"company": OTHER_COMPANY}), 403)

	s.attack("a Sales User restricted to one company asks Customer Churn about another", churn_other_company)

	def pipeline_other_company(report):
		refused(s["sales_restricted"].report(report, {**REPORTS[report][0], "company": OTHER_COMPANY}), 403)

	for report in ("Sales Forecast", "Pipeline Movement", "Competitor Analysis"):
		s.attack(f"a Sales User restricted to one company asks {report} about another", pipeline_other_company, report)

	def churn_without_invoice_read():
		response = s["sales_peer"].report("Customer Churn", {"company": COMPANY, "status": ["Lost"]})
		succeeded(response)
		fieldnames = {c.get("fieldname") for c in response.message["columns"] if isinstance(c, dict)}
		assert "lifetime_value" not in fieldnames, "no lifetime value column"
		assert all(r.get("lifetime_value") is None for r in rows(response)), "no invoice figures"
		assert not any("Lifetime" in str(x.get("label")) for x in response.message.get("report_summary") or []), "no invoice summary"

	s.attack("a Sales User (no Sales Invoice read) sees no invoice revenue in Customer Churn", churn_without_invoice_read)

	def churn_admin_sees_value():
		response = s["admin"].report("Customer Churn", {"company": COMPANY, "status": ["Lost"]})
		succeeded(response)
		values = {r["customer"]: r.get("lifetime_value") for r in rows(response)}
		assert values.get(CUSTOMER_B), f"B's lifetime value: {values.get(CUSTOMER_B)}"

	s.legit("a user who reads invoices sees lifetime values in Customer Churn", churn_admin_sees_value)

	def repair_turnaround_for_clerk():
		succeeded(s["service_clerk"].report("Repair Turnaround", {"company": COMPANY}))

	s.legit("a Service Clerk (no Company form access) runs Repair Turnaround for their company", repair_turnaround_for_clerk)

	def receivables_top_n():
		every = s["accounts_user"].report("Receivables Follow-up", {"company": COMPANY, "top_n": 0})
		succeeded(every)
		shown = s["accounts_user"].report("Receivables Follow-up", {"company": COMPANY, "top_n": 1})
		succeeded(shown)
		all_rows, top = rows(every), rows(shown)
		assert len(all_rows) > 1, f"test data: {len(all_rows)} open invoices"
		equal(len(top), 2, "the largest row and the total row")
		equal(top[-1].get("is_total_row"), 1, "the last row is the total")
		equal(round(top[-1]["outstanding"], 2), round(sum(r["outstanding"] for r in all_rows), 2), "total of every row")
		assert shown.message.get("skip_total_row"), "no Frappe total row adding up only the shown rows"

	s.legit("Receivables Follow-up with Top N: the largest balance and a total row for all", receivables_top_n)

	def receivables_negative_top_n():
		response = s["accounts_user"].report("Receivables Follow-up", {"company": COMPANY, "top_n": -1})
		refused(response, 417, because="ValidationError")
		assert "Top N must be 0" in response.error, f"the message: {response!r}"

	s.attack("Receivables Follow-up refuses a negative Top N with a message", receivables_negative_top_n)

	# --- Customer 360 -------------------------------------------------------------------
	def customer_360_other_customer():
		refused(s["sales_restricted"].call("crm_plus.api.customer.customer_360", http="GET", customer=CUSTOMER_B), 403)

	s.attack("customer_360 of customer B for a user restricted to A", customer_360_other_customer)

	def customer_360_other_company():
		refused(s["sales_restricted"].call("crm_plus.api.customer.customer_360", http="GET", customer=CUSTOMER_A, company=OTHER_COMPANY), 403)

	s.attack("customer_360 asked about a company the user may not see", customer_360_other_company)

	def customer_360_no_invoice_read():
		response = s["sales_restricted"].call("crm_plus.api.customer.customer_360", http="GET", customer=CUSTOMER_A, company=COMPANY)
		succeeded(response)
		equal(response.message.get("lifetime_revenue"), None, "revenue for a user who may not read invoices")

	s.attack("customer_360 hides invoice figures from a Sales User", customer_360_no_invoice_read)

	def customer_360_accounts():
		response = s["accounts_user"].call("crm_plus.api.customer.customer_360", http="GET", customer=CUSTOMER_A, company=COMPANY)
		succeeded(response)
		assert response.message.get("lifetime_revenue"), f"revenue: {response.message}"

	s.legit("customer_360 with revenue for an Accounts User (who reads invoices)", customer_360_accounts)

	# --- the workspace's cards ------------------------------------------------------------
	def cards_of(actor):
		response = s[actor].call(
			"crm_plus.api.workspace.number_cards",
			cards=[{"name": "Open Complaints", "filters": []}, {"name": "Sales This Month", "filters": []}],
		)
		succeeded(response)
		return response.message

	def portal_user_sees_no_figures():
		equal(cards_of("portal_a"), {"Open Complaints": None, "Sales This Month": None}, "the figures")
		docs = s["portal_a"].call("crm_plus.api.workspace.widget_docs", http="GET", widgets=[["Number Card", "Open Complaints"]])
		succeeded(docs)
		equal(docs.message, [], "card documents")

	s.attack("a portal user asks for the workspace's figures", portal_user_sees_no_figures)

	def sales_user_sees_no_invoice_figures():
		values = cards_of("sales_peer")
		equal(values["Sales This Month"], None, "invoice revenue for a user who may not read invoices")
		assert values["Open Complaints"] is not None, "the complaints they may read are counted"

	s.attack("a Sales User asks for the invoice figures of the workspace", sales_user_sees_no_invoice_figures)

	# --- campaign members' addresses --------------------------------------------------------
	campaign = make_campaign()

	def member_emails_hidden(actor):
		response = s[actor].get("Marketing Campaign", campaign)
		succeeded(response)
		assert all(not m.get("email") for m in response.data["members"]), "member addresses"
		listed = s[actor].list("Marketing Campaign", fields=["name", "`tabMarketing Campaign Member`.`email`"], filters={"name": campaign})
		assert not listed.ok or all(not r.get("email") for r in listed.data), f"addresses through the list API: {listed.data}"

	s.attack("a Sales Manager reads a campaign's member addresses", member_emails_hidden, "sales_manager")
	s.attack("a Sales User reads a campaign's member addresses", member_emails_hidden, "sales_peer")

	def member_emails_marketing():
		response = s["marketing_manager"].get("Marketing Campaign", campaign)
		succeeded(response)
		equal([m.get("email") for m in response.data["members"]], ["cp.http.member.a@example.com"], "addresses")

	s.legit("a Marketing Manager reads the member addresses", member_emails_marketing)
