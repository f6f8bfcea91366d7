"""Cross-record links: every record a crm_plus hook reaches with the system's rights is
checked against the caller and against the record that links it."""

import frappe
from frappe.utils import nowdate

from crm_plus.tests.factories import COMPANY, WAREHOUSE
from crm_plus.tests.http.fixtures import (
	CUSTOMER_A,
	CUSTOMER_B,
	OTHER_WAREHOUSE,
	SERVICE_PERSON,
	make_complaint,
	make_follow_up,
	make_receivable_follow_up,
	make_repair,
	publish,
	restrict,
	user_of,
)
from crm_plus.tests.http.run import equal, fresh, refused, succeeded

GROUP = "Cross-record links"


def visit_values(customer: str, complaint: str) -> dict:
	return {
		"customer": customer,
		"company": COMPANY,
		"mntc_date": nowdate(),
		"maintenance_type": "Breakdown",
		"completion_status": "Fully Completed",
		"crm_plus_complaint": complaint,
		"purposes": [{"item_code": "_CP HTTP Device", "description": "Visit", "work_done": "Fixed", "service_person": SERVICE_PERSON}],
	}


def run(s) -> None:
	frappe.get_single("CRM Plus Settings").update({"resolve_complaint_on_visits": 1}).save()
	publish()

	def visit_for_other_customer():
		complaint = make_complaint(CUSTOMER_A)
		response = s["admin"].insert("Maintenance Visit", {**visit_values(CUSTOMER_B, complaint), "docstatus": 1})
		refused(response, 417, because="VisitComplaintError")
		equal(fresh().get_value("Customer Complaint", complaint, "status"), "Open", "the complaint")
		assert not fresh().exists("Maintenance Visit", {"crm_plus_complaint": complaint}), "no visit"

	s.attack("a visit of customer B resolves customer A's complaint", visit_for_other_customer)

	def visit_without_complaint_write():
		complaint = make_complaint(CUSTOMER_A)
		response = s["maintenance_user"].insert("Maintenance Visit", {**visit_values(CUSTOMER_A, complaint), "docstatus": 1})
		refused(response, 403, because="PermissionError")
		equal(fresh().get_value("Customer Complaint", complaint, "status"), "Open", "the complaint")

	s.attack("a Maintenance User (no write on complaints) submits a visit that resolves one", visit_without_complaint_write)

	def repair_of_other_customer():
		complaint = make_complaint(CUSTOMER_B)
		response = s["service_clerk"].insert(
			"Repair Order",
			{"customer": CUSTOMER_A, "company": COMPANY, "item_code": "_CP HTTP Device", "fault_description": "x", "complaint": complaint},
		)
		refused(response, 417, because="RepairOrderInputError")
		equal(fresh().get_value("Customer Complaint", complaint, "status"), "Open", "B's complaint")

	s.attack("a repair order of customer A names customer B's complaint", repair_of_other_customer)

	def lead_history_without_write():
		lead = frappe.get_doc({"doctype": "Lead", "lead_name": f"_CP HTTP Lead {frappe.generate_hash(length=5)}", "company": COMPANY}).insert()
		follow_up = frappe.get_doc(
			{"doctype": "Customer Follow Up", "party_type": "Lead", "lead": lead.name, "summary": "Lead call", "user": "Administrator"}
		).insert()
		frappe.get_doc({"doctype": "Comment", "comment_type": "Comment", "reference_doctype": "Lead", "reference_name": lead.name, "content": "secret note"}).insert()
		publish()
		response = s["sales_peer"].insert(
			"Customer",
			{"customer_name": f"_CP HTTP Grab {frappe.generate_hash(length=5)}", "customer_group": "All Customer Groups",
			 "territory": "All Territories", "lead_name": lead.name},
		)
		succeeded(response)  # the customer is made ...
		customer = response.data["name"]
		db = fresh()
		equal(db.get_value("Customer Follow Up", follow_up.name, ["party_type", "customer"]), ("Lead", None), "the lead's follow-up")
		assert not db.exists("Comment", {"reference_doctype": "Customer", "reference_name": customer, "content": ("like", "%secret note%")}), "no comment copied"
		assert "not moved" in response.text or "Nothing Carried Over" in response.text, "a message says why"

	s.attack("a Sales User without write on a Lead (user permissions) creates a customer naming it", lead_history_without_write)

	def parts_from_forbidden_warehouse():
		name = make_repair(parts=[OTHER_WAREHOUSE])
		before = fresh().count("Stock Entry", {"crm_plus_repair_order": name})
		response = s["service_clerk"].run_doc_method("Repair Order", name, "submit")
		refused(response, 403, because="PermissionError")
		db = fresh()
		equal(db.get_value("Repair Order", name, "docstatus"), 0, "the repair order")
		equal(db.count("Stock Entry", {"crm_plus_repair_order": name}), before, "stock entries")

	s.attack("a Service Clerk submits a repair issuing parts from a warehouse they may not use", parts_from_forbidden_warehouse)

	def assign_to_portal_user(actor, doctype, make, values):
		name = make()
		before = fresh().get_value(doctype, name, list(values))
		response = s[actor].update(doctype, name, values)
		refused(response, 417, because="not an active desk user")
		equal(fresh().get_value(doctype, name, list(values)), before, "the assignment")
		assert not fresh().exists("DocShare", {"share_doctype": doctype, "share_name": name, "user": user_of("portal_b")}), "shared with a portal user"

	s.attack("a Service Clerk assigns customer A's complaint to B's portal user", assign_to_portal_user, "service_clerk", "Customer Complaint", make_complaint, {"assignee": user_of("portal_b")})
	s.attack("a Sales Manager hands a follow-up to a portal user", assign_to_portal_user, "sales_manager", "Customer Follow Up", lambda: make_follow_up("sales_peer"), {"user": user_of("portal_b")})
	s.attack("an Accounts User makes a portal user the collector of an invoice", assign_to_portal_user, "accounts_user", "Receivable Follow Up", make_receivable_follow_up, {"collector": user_of("portal_b")})

	# --- legitimate paths ---------------------------------------------------------------
	def clerk_visit_resolves():
		complaint = make_complaint(CUSTOMER_A, item_code="_CP HTTP Device")
		made = s["service_clerk"].call("crm_plus.service.complaints.make_service_visit", source_name=complaint)
		succeeded(made)
		visit = made.message
		equal((visit["customer"], visit["crm_plus_complaint"]), (CUSTOMER_A, complaint), "the visit made from it")
		visit["purposes"][0].update({"service_person": SERVICE_PERSON, "work_done": "Fixed on site"})
		visit.update({"completion_status": "Fully Completed", "docstatus": 1})
		for key in ("name", "__islocal", "__unsaved"):
			visit.pop(key, None)
		succeeded(s["service_clerk"].insert("Maintenance Visit", visit))
		equal(fresh().get_value("Customer Complaint", complaint, "status"), "Resolved", "the complaint")

	s.legit("a Service Clerk makes a visit from a complaint and completes it: the complaint is resolved", clerk_visit_resolves)

	def parts_from_allowed_warehouse():
		name = make_repair(parts=[WAREHOUSE])
		succeeded(s["service_clerk"].run_doc_method("Repair Order", name, "submit"))
		db = fresh()
		equal(db.get_value("Repair Order", name, ["docstatus", "status"]), (1, "Ready for Pickup"), "the repair order")
		entry = db.get_value("Stock Entry", {"crm_plus_repair_order": name, "docstatus": 1})
		assert entry and db.exists("Stock Ledger Entry", {"voucher_no": entry, "warehouse": WAREHOUSE, "is_cancelled": 0}), "the parts left the Stores"

	s.legit("a Service Clerk submits a repair with parts from the Stores", parts_from_allowed_warehouse)

	def convert_with_write():
		lead = frappe.get_doc({"doctype": "Lead", "lead_name": f"_CP HTTP Own Lead {frappe.generate_hash(length=5)}", "company": COMPANY}).insert()
		restrict(user_of("sales_peer"), "Lead", lead.name, applicable_for="Lead")  # the peer may edit this lead
		follow_up = frappe.get_doc(
			{"doctype": "Customer Follow Up", "party_type": "Lead", "lead": lead.name, "summary": "Lead call", "user": "Administrator"}
		).insert()
		publish()
		response = s["sales_peer"].call("crm_plus.api.customer.convert_to_customer", party_type="Lead", party=lead.name)
		succeeded(response)
		customer = response.message["customer"]
		equal(fresh().get_value("Customer Follow Up", follow_up.name, ["party_type", "customer"]), ("Customer", customer), "the follow-up moved")

	s.legit("a Sales User who may edit a Lead converts it: its history moves", convert_with_write)
