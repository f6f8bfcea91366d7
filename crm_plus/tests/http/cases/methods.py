"""Every whitelisted crm_plus method, called by every actor: who may is the role model of
docs/security.md; each call is checked in the database (done by who may, nothing done by
who may not). Methods that change data refuse GET."""

import frappe

from crm_plus.tests.factories import COMPANY
from crm_plus.tests.http.fixtures import (
	ACTORS,
	CUSTOMER_A,
	PNG,
	make_campaign,
	make_complaint,
	make_contract,
	make_follow_up,
	make_receivable_follow_up,
	make_repair,
	make_sales_order,
	publish,
	restrict,
	user_of,
)
from crm_plus.tests.http.run import fresh, refused, succeeded

GROUP = "Whitelisted methods"
TEMPLATE = "_CP HTTP Template"


def new_lead() -> str:
	lead = frappe.get_doc({"doctype": "Lead", "lead_name": f"_CP HTTP Method Lead {frappe.generate_hash(length=5)}", "company": COMPANY}).insert()
	restrict(user_of("sales_peer"), "Lead", lead.name, applicable_for="Lead")  # the peer's own lead
	publish()
	return lead.name


def campaign_with_template() -> str:
	if not frappe.db.exists("Email Template", TEMPLATE):
		frappe.get_doc({"doctype": "Email Template", "name": TEMPLATE, "subject": "Hello {{ first_name }}", "response": "News"}).insert()
	name = make_campaign()
	frappe.db.set_value("Marketing Campaign", name, "email_template", TEMPLATE)
	publish()
	return name


def quotation_dict() -> dict:
	return {
		"doctype": "Quotation",
		"quotation_to": "Customer",
		"party_name": CUSTOMER_A,
		"company": COMPANY,
		"items": [{"doctype": "Quotation Item", "item_code": "_CP HTTP Part", "qty": 1, "warehouse": "Stores - WP"}],
	}


def customer_contact() -> str:
	name = frappe.db.get_value("Contact", {"first_name": "_CP HTTP Contact"})
	if not name:
		name = frappe.get_doc(
			{"doctype": "Contact", "first_name": "_CP HTTP Contact", "links": [{"link_doctype": "Customer", "link_name": CUSTOMER_A}]}
		).insert().name
	return name


def competitor() -> str:
	if not frappe.db.exists("Competitor", "_CP HTTP Competitor"):
		frappe.get_doc({"doctype": "Competitor", "competitor_name": "_CP HTTP Competitor"}).insert()
	return "_CP HTTP Competitor"


# method -> (make the target, call it as an actor, did it take effect?, actors who may, changes data)
METHODS = {
	# reads: whoever may read the contact / customer / competitor (ERPNext's roles)
	"crm_plus.api.contact.contact_activity": (
		customer_contact,
		lambda a, t, http="GET": a.call("crm_plus.api.contact.contact_activity", http=http, contact=t),
		None,
		{"sales_restricted", "sales_peer", "sales_manager", "maintenance_user", "accounts_user"},
		False,
	),
	"crm_plus.api.contact.org_chart": (
		lambda: CUSTOMER_A,
		lambda a, t, http="GET": a.call("crm_plus.api.contact.org_chart", http=http, party_type="Customer", party=t),
		None,
		{"sales_restricted", "sales_peer", "sales_manager", "accounts_user"},
		False,
	),
	"crm_plus.api.competitor.competitor_summary": (
		competitor,
		lambda a, t, http="GET": a.call("crm_plus.api.competitor.competitor_summary", http=http, competitor=t),
		None,
		{"sales_restricted", "sales_peer", "sales_manager", "maintenance_user"},
		False,
	),
	"crm_plus.api.follow_up.complete_follow_up": (
		lambda: make_follow_up("sales_peer"),
		lambda a, t, http="POST": a.call("crm_plus.api.follow_up.complete_follow_up", http=http, name=t, outcome="Done by call"),
		lambda t: fresh().get_value("Customer Follow Up", t, "next_follow_up_status") == "Done",
		{"sales_peer", "sales_manager"},
		True,
	),
	"crm_plus.api.follow_up.record_follow_up": (
		lambda: f"recorded {frappe.generate_hash(length=6)}",
		lambda a, t, http="POST": a.call("crm_plus.api.follow_up.record_follow_up", http=http, party_type="Customer", party=CUSTOMER_A, summary=t),
		lambda t: bool(fresh().exists("Customer Follow Up", {"summary": t})),
		{"sales_restricted", "sales_peer", "sales_manager"},
		True,
	),
	"crm_plus.api.customer.customer_360": (
		lambda: CUSTOMER_A,
		lambda a, t, http="GET": a.call("crm_plus.api.customer.customer_360", http=http, customer=t, company=COMPANY),
		None,
		{"sales_restricted", "sales_peer", "sales_manager", "accounts_user"},
		False,
	),
	"crm_plus.api.customer.convert_to_customer": (
		new_lead,
		lambda a, t, http="POST": a.call("crm_plus.api.customer.convert_to_customer", http=http, party_type="Lead", party=t),
		lambda t: bool(fresh().exists("Customer", {"lead_name": t})),
		{"sales_peer", "sales_manager"},
		True,
	),
	"crm_plus.api.customer.matching_customers": (
		new_lead,
		lambda a, t, http="GET": a.call("crm_plus.api.customer.matching_customers", http=http, party_type="Lead", party=t),
		None,
		{"sales_restricted", "sales_peer", "sales_manager"},
		False,
	),
	"crm_plus.api.marketing.resolve_audience": (
		make_campaign,
		lambda a, t, http="POST": a.call("crm_plus.api.marketing.resolve_audience", http=http, campaign=t),
		lambda t: bool(fresh().get_value("Marketing Campaign", t, "audience_refreshed_on")),
		{"marketing_manager"},
		True,
	),
	"crm_plus.api.marketing.send_emails": (
		campaign_with_template,
		lambda a, t, http="POST": a.call("crm_plus.api.marketing.send_emails", http=http, campaign=t),
		lambda t: fresh().get_value("Marketing Campaign", t, "email_status") not in (None, "", "Not Sent"),
		{"marketing_manager"},
		True,
	),
	"crm_plus.api.contract.make_renewal": (
		lambda: make_contract(CUSTOMER_A),
		lambda a, t, http="POST": a.call("crm_plus.api.contract.make_renewal", http=http, source_name=t),
		None,
		{"sales_restricted", "sales_peer", "sales_manager"},
		False,
	),
	"crm_plus.api.contract.terminate": (
		lambda: make_contract(CUSTOMER_A),
		lambda a, t, http="POST": a.call("crm_plus.api.contract.terminate", http=http, name=t),
		lambda t: fresh().get_value("Contract Document", t, "status") == "Terminated",
		{"sales_manager"},
		True,
	),
	"crm_plus.api.receivables.record_attempt": (
		lambda: make_receivable_follow_up(CUSTOMER_A),
		lambda a, t, http="POST": a.call("crm_plus.api.receivables.record_attempt", http=http, name=t, result="Reached"),
		lambda t: fresh().count("Receivable Contact Attempt", {"parent": t}) > 0,
		{"sales_restricted", "sales_peer", "sales_manager", "accounts_user"},
		True,
	),
	"crm_plus.api.service.file_complaint": (
		lambda: f"filed {frappe.generate_hash(length=6)}",
		lambda a, t, http="POST": a.call("crm_plus.api.service.file_complaint", http=http, subject=t, description="x"),
		lambda t: bool(fresh().exists("Customer Complaint", {"subject": t})),
		{"portal_a", "portal_b"},
		True,
	),
	"crm_plus.api.service.order_items": (
		lambda: make_sales_order(CUSTOMER_A),
		lambda a, t, http="GET": a.call("crm_plus.api.service.order_items", http=http, doctype="Sales Order", name=t),
		None,
		{"portal_a"},
		False,
	),
	"crm_plus.api.service.attach_photo": (
		lambda: make_complaint(CUSTOMER_A),
		lambda a, t, http="POST": a.upload("crm_plus.api.service.attach_photo", "leak.png", PNG, "image/png", complaint=t)
		if http == "POST"
		else a.call("crm_plus.api.service.attach_photo", http=http, complaint=t),
		lambda t: bool(fresh().exists("File", {"attached_to_doctype": "Customer Complaint", "attached_to_name": t})),
		{"portal_a"},
		True,
	),
	"crm_plus.api.service.reply": (
		lambda: make_complaint(CUSTOMER_A),
		lambda a, t, http="POST": a.call("crm_plus.api.service.reply", http=http, complaint=t, message="Still leaking"),
		lambda t: bool(fresh().exists("Communication", {"reference_doctype": "Customer Complaint", "reference_name": t})),
		{"portal_a"},
		True,
	),
	"crm_plus.api.workspace.widget_docs": (
		lambda: [["Number Card", "Open Complaints"], ["Dashboard Chart", "Sales by Month"]],
		lambda a, t, http="GET": a.call("crm_plus.api.workspace.widget_docs", http=http, widgets=t),
		None,
		set(ACTORS) - {"guest"},  # a user reads only the widgets they may (tested in reads)
		False,
	),
	"crm_plus.api.workspace.number_cards": (
		lambda: [{"name": "Open Complaints", "filters": []}, {"name": "Sales This Month", "filters": []}],
		lambda a, t, http="POST": a.call("crm_plus.api.workspace.number_cards", http=http, cards=t),
		None,
		set(ACTORS) - {"guest"},
		False,
	),
	"crm_plus.api.stock.get_stock_shortages": (
		quotation_dict,
		lambda a, t, http="POST": a.call("crm_plus.api.stock.get_stock_shortages", http=http, doc=t),
		None,
		{"sales_restricted", "sales_peer", "sales_manager", "maintenance_user"},
		False,
	),
	"crm_plus.service.complaints.make_repair_order": (
		lambda: make_complaint(CUSTOMER_A, item_code="_CP HTTP Device"),
		lambda a, t, http="POST": a.call("crm_plus.service.complaints.make_repair_order", http=http, complaint=t),
		lambda t: bool(fresh().exists("Repair Order", {"complaint": t})),
		{"service_clerk"},
		True,
	),
	"crm_plus.service.complaints.make_service_visit": (
		lambda: make_complaint(CUSTOMER_A),
		lambda a, t, http="POST": a.call("crm_plus.service.complaints.make_service_visit", http=http, source_name=t),
		None,
		{"service_clerk"},
		False,
	),
	"Repair Order.set_status": (
		lambda: make_repair(CUSTOMER_A, technicians=[user_of("technician")]),
		lambda a, t, http="POST": a.run_doc_method("Repair Order", t, "set_status", http=http, status="Diagnosing"),
		lambda t: fresh().get_value("Repair Order", t, "status") == "Diagnosing",
		{"service_clerk", "technician"},
		True,
	),
	"Repair Order.make_sales_invoice": (
		lambda: make_repair(CUSTOMER_A),
		lambda a, t, http="POST": a.run_doc_method("Repair Order", t, "make_sales_invoice", http=http),
		lambda t: bool(fresh().exists("Sales Invoice", {"crm_plus_repair_order": t})),
		set(),
		True,
	),
}


def run(s) -> None:
	from crm_plus.tests.http.cases.abuse import clear_rate_limits

	def case(method, actor, allowed, http=None):
		make, call, took_effect, _who, _writes = METHODS[method]
		target = make()
		publish()
		response = call(s[actor], target, http) if http else call(s[actor], target)
		if allowed:
			succeeded(response)
			assert took_effect is None or took_effect(target), f"{method} did nothing for {actor}"
		else:
			refused(response)
			assert took_effect is None or not took_effect(target), f"{method} took effect for {actor}"

	for method, (_make, _call, _effect, allowed, writes) in METHODS.items():
		clear_rate_limits()
		for actor in ACTORS:
			kind = s.legit if actor in allowed else s.attack
			kind(f"{method} by {actor}", case, method, actor, actor in allowed)
		if writes and allowed:
			actor = sorted(allowed)[0]
			s.attack(f"{method} by GET ({actor})", case, method, actor, False, "GET")
