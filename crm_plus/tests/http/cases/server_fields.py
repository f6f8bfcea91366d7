"""Server-owned fields: values the app computes keep the app's value whatever a request
sends (by a user who may otherwise edit the record)."""

import frappe
from frappe.utils import get_datetime, now_datetime

from crm_plus.tests.factories import COMPANY
from crm_plus.tests.http.fixtures import (
	CUSTOMER_A,
	CUSTOMER_B,
	OTHER_COMPANY,
	make_complaint,
	make_contract,
	make_follow_up,
	make_receivable_follow_up,
	make_repair,
	publish,
)
from crm_plus.tests.http.run import equal, fresh, refused, succeeded

GROUP = "Server-owned fields"
PAST = "2020-01-01 08:00:00"


def currency() -> str:
	return frappe.get_cached_value("Company", COMPANY, "default_currency")


def stored(doctype: str, name: str, fields) -> dict:
	return fresh().get_value(doctype, name, list(fields), as_dict=True)


def unchanged(actor, doctype: str, name: str, sent: dict, s) -> None:
	before = stored(doctype, name, sent)
	s[actor].update(doctype, name, sent)  # a 200 that changes nothing is fine
	equal(stored(doctype, name, sent), before, f"{doctype} fields {sorted(sent)}")


def run(s) -> None:
	def complaint_dates():
		name = make_complaint()
		unchanged(
			"service_clerk", "Customer Complaint", name,
			{"opened_on": PAST, "response_by": PAST, "resolve_by": PAST, "first_responded_on": PAST,
			 "resolved_on": PAST, "escalated_on": PAST, "closed_on": PAST},
			s,
		)

	s.attack("a Service Clerk PUTs the service-level dates of a complaint", complaint_dates)

	def complaint_dates_on_insert():
		subject = f"backdated {frappe.generate_hash(length=6)}"
		response = s["service_clerk"].insert(
			"Customer Complaint",
			{"customer": CUSTOMER_A, "subject": subject, "description": "x", "severity": "Low",
			 "opened_on": PAST, "escalated_on": PAST, "first_responded_on": PAST, "resolve_by": PAST},
		)
		succeeded(response)
		row = stored("Customer Complaint", response.data["name"], ["opened_on", "escalated_on", "first_responded_on", "resolve_by"])
		assert get_datetime(row.opened_on) > get_datetime("2026-01-01"), f"opened_on is now, not {row.opened_on}"
		equal((row.escalated_on, row.first_responded_on), (None, None), "escalated, first response")
		assert get_datetime(row.resolve_by) > now_datetime(), "resolve-by from the severity"

	s.attack("a Service Clerk POSTs a complaint with back-dated service-level fields", complaint_dates_on_insert)

	def receivable_fields():
		name = make_receivable_follow_up()
		unchanged(
			"accounts_user", "Receivable Follow Up", name,
			{"status": "Closed", "outstanding_amount": 1, "outstanding_at_promise": 99999, "missed_alert_sent": 1, "last_contact_on": PAST},
			s,
		)

	s.attack("an Accounts User PUTs the status, amounts and alert flag of a receivable follow-up", receivable_fields)

	def receivable_history():
		name = make_receivable_follow_up()
		succeeded(s["accounts_user"].call("crm_plus.api.receivables.record_attempt", name=name, result="Reached", notes="real call"))
		doc = s["accounts_user"].get("Receivable Follow Up", name).data
		doc["attempts"][0]["notes"] = "rewritten"
		doc["attempts"][0]["user"] = "cp.http.sales.peer@example.com"
		doc["attempts"].append({"doctype": "Receivable Contact Attempt", "contacted_on": PAST, "mode": "Phone", "result": "Reached", "user": "cp.http.sales.peer@example.com"})
		s["accounts_user"].update("Receivable Follow Up", name, {"attempts": doc["attempts"]})
		rows = fresh().get_all("Receivable Contact Attempt", filters={"parent": name}, fields=["notes", "user"], order_by="idx")
		equal(rows[0].notes, "real call", "a recorded attempt")
		assert all(r.user == "cp.http.accounts@example.com" for r in rows), f"attempts are the caller's: {rows}"

	s.attack("an Accounts User rewrites a recorded contact attempt and adds one as someone else", receivable_history)

	def repair_fields():
		name = make_repair()
		before_log = fresh().count("Repair Order Status Log", {"parent": name})
		unchanged(
			"service_clerk", "Repair Order", name,
			{"ready_on": PAST, "delivered_on": PAST, "stock_entry": None, "sales_invoice": None},
			s,
		)
		s["service_clerk"].update("Repair Order", name, {"status_log": [{"status": "Delivered", "changed_by": "Administrator", "changed_on": PAST}]})
		log = fresh().get_all("Repair Order Status Log", filters={"parent": name}, fields=["status", "changed_by"])
		equal(len(log), before_log, "status log rows")
		assert all(r.status != "Delivered" for r in log), "no forged status"

	s.attack("a Service Clerk PUTs the ready/delivered times and the status log of a repair", repair_fields)

	def contract_fields(submit):
		name = make_contract(submit=submit)
		unchanged("sales_manager", "Contract Document", name, {"status": "Terminated", "renewed_to": name, "end_reminder_sent": 1}, s)

	s.attack("a Sales Manager PUTs the status of a submitted contract", contract_fields, True)
	s.attack("a Sales Manager PUTs the status of a draft contract", contract_fields, False)

	def renewal_of_other_customer():
		source = make_contract(CUSTOMER_B)
		response = s["sales_manager"].insert(
			"Contract Document",
			{"customer": CUSTOMER_A, "company": COMPANY, "currency": currency(), "start_date": "2027-01-01",
			 "end_date": "2027-12-31", "renewed_from": source},
		)
		refused(response, 417, because="ContractError")
		equal(fresh().get_value("Contract Document", source, ["status", "renewed_to"]), ("Active", None), "the source contract")

	s.attack("a renewal of customer A names customer B's contract", renewal_of_other_customer)

	def renewal_of_unreadable():
		# customer A's, but of a company the user's permissions exclude
		source = make_contract(CUSTOMER_A, company=OTHER_COMPANY)
		response = s["sales_restricted"].insert(
			"Contract Document",
			{"customer": CUSTOMER_A, "company": COMPANY, "currency": currency(), "start_date": "2027-01-01",
			 "end_date": "2027-12-31", "renewed_from": source},
		)
		refused(response, because="ContractError")
		equal(fresh().get_value("Contract Document", source, "renewed_to"), None, "the source contract")

	s.attack("a restricted Sales User renews a contract they cannot read", renewal_of_unreadable)

	def lifecycle_fields():
		frappe.db.set_value("Customer", CUSTOMER_A, {"crm_plus_lifecycle_status": "Active", "crm_plus_last_order_date": "2026-06-01"})
		publish()
		unchanged(
			"sales_peer", "Customer", CUSTOMER_A,
			{"crm_plus_lifecycle_status": "Lost", "crm_plus_status_since": "2020-01-01", "crm_plus_last_order_date": "2020-01-01"},
			s,
		)

	s.attack("a Sales User PUTs the lifecycle status of a customer", lifecycle_fields)

	def follow_up_fields():
		name = make_follow_up("sales_peer")
		unchanged(
			"sales_peer", "Customer Follow Up", name,
			{"todo": None, "reminder": None, "completed_by": name, "next_follow_up_status": "Done"},
			s,
		)

	s.attack("a Sales User PUTs the ToDo, reminder and completion of their follow-up", follow_up_fields)

	# --- legitimate paths ----------------------------------------------------------------
	def clerk_resolves():
		name = make_complaint()
		succeeded(s["service_clerk"].update("Customer Complaint", name, {"status": "Resolved", "resolution": "Seal replaced"}))
		row = stored("Customer Complaint", name, ["status", "first_responded_on", "resolved_on"])
		equal(row.status, "Resolved", "status")
		assert row.first_responded_on and row.resolved_on, "the app stamps the response and resolution"

	s.legit("a Service Clerk resolves a complaint: the app stamps the dates", clerk_resolves)

	def promise():
		name = make_receivable_follow_up()
		succeeded(
			s["accounts_user"].call(
				"crm_plus.api.receivables.record_attempt", name=name, result="Promised to Pay",
				promise_date=frappe.utils.add_days(frappe.utils.nowdate(), 3), promise_amount=100,
			)
		)
		row = stored("Receivable Follow Up", name, ["status", "outstanding_at_promise"])
		equal((row.status, row.outstanding_at_promise), ("Promised", 500), "status and the promise's measure")

	s.legit("an Accounts User records a promise to pay", promise)

	def opportunity_forecast_fields():
		opportunity = frappe.get_doc(
			{
				"doctype": "Opportunity",
				"opportunity_from": "Customer",
				"party_name": CUSTOMER_A,
				"company": COMPANY,
				"currency": currency(),
				"opportunity_amount": 1000,
				"probability": 40,
			}
		).insert(ignore_permissions=True)  # the suite's fixture
		publish()
		s["sales_manager"].update(
			"Opportunity", opportunity.name,
			{"crm_plus_weighted_amount": 999999, "base_opportunity_amount": 999999, "crm_plus_stage_history": []},
		)
		row = stored("Opportunity", opportunity.name, ["crm_plus_weighted_amount", "base_opportunity_amount"])
		equal((row.crm_plus_weighted_amount, row.base_opportunity_amount), (400, 1000), "weighted and company-currency amount")
		history = fresh().count("Opportunity Stage History", {"parent": opportunity.name})
		assert history == 1, f"the stage history keeps its row, has {history}"

	s.attack("a Sales Manager PUTs an opportunity's weighted amount, company-currency amount and stage history", opportunity_forecast_fields)

