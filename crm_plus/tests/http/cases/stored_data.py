"""Permission hooks decide on stored data: a request that edits the very fields a
permission is decided on is judged on the record as the database holds it."""

import frappe

from crm_plus.tests.http.fixtures import (
	CUSTOMER_A,
	OTHER_TECHNICIAN,
	make_follow_up,
	make_repair,
	publish,
	user_of,
)
from crm_plus.tests.http.run import equal, fresh, refused, succeeded

GROUP = "Permission hooks decide on stored data"


def technicians(repair: str) -> set[str]:
	return set(fresh().get_all("Repair Order Technician", filters={"parent": repair, "parenttype": "Repair Order"}, pluck="user"))


def run(s) -> None:
	frappe.get_single("CRM Plus Settings").update({"follow_up_own_only": 1}).save()
	publish()

	# --- follow-ups ---------------------------------------------------------------------
	def take_colleagues_follow_up():
		name = make_follow_up("sales_restricted")
		response = s["sales_peer"].update("Customer Follow Up", name, {"user": user_of("sales_peer")})
		refused(response, 403)
		equal(fresh().get_value("Customer Follow Up", name, "user"), user_of("sales_restricted"), "user")

	s.attack("a Sales User PUTs user=self on a colleague's follow-up", take_colleagues_follow_up)

	def take_by_owner_field():
		name = make_follow_up("sales_restricted")
		response = s["sales_peer"].update("Customer Follow Up", name, {"owner": user_of("sales_peer"), "summary": "mine now"})
		refused(response, 403)
		equal(fresh().get_value("Customer Follow Up", name, ["owner", "summary"]), (user_of("sales_restricted"), "Called about the catalogue"), "owner, summary")

	s.attack("a Sales User PUTs owner=self on a colleague's follow-up", take_by_owner_field)

	def read_colleagues():
		name = make_follow_up("sales_restricted")
		refused(s["sales_peer"].get("Customer Follow Up", name), 403)
		listed = s["sales_peer"].list("Customer Follow Up", filters={"name": name})
		succeeded(listed)
		equal(listed.data, [], "list")

	s.attack("a Sales User reads a colleague's follow-up (form and list)", read_colleagues)

	def record_for_colleague():
		summary = f"for a colleague {frappe.generate_hash(length=6)}"
		response = s["sales_peer"].insert(
			"Customer Follow Up",
			{"party_type": "Customer", "customer": CUSTOMER_A, "summary": summary, "user": user_of("sales_restricted")},
		)
		refused(response, 403)
		assert not fresh().exists("Customer Follow Up", {"summary": summary}), "nothing recorded"

	s.attack("a Sales User records a follow-up for a colleague", record_for_colleague)

	def hand_own_to_colleague():
		name = make_follow_up("sales_peer")
		refused(s["sales_peer"].update("Customer Follow Up", name, {"user": user_of("sales_restricted")}), 403)
		equal(fresh().get_value("Customer Follow Up", name, "user"), user_of("sales_peer"), "user")

	s.attack("a Sales User hands their follow-up to a colleague (a manager's call)", hand_own_to_colleague)

	def manager_reassigns():
		name = make_follow_up("sales_peer")
		succeeded(s["sales_manager"].update("Customer Follow Up", name, {"user": user_of("sales_restricted")}))
		db = fresh()
		equal(db.get_value("Customer Follow Up", name, "user"), user_of("sales_restricted"), "user")
		todo = db.get_value("Customer Follow Up", name, "todo")
		equal(db.get_value("ToDo", todo, "allocated_to"), user_of("sales_restricted"), "the ToDo follows")

	s.legit("a Sales Manager (the reassigning role) hands a follow-up to another user", manager_reassigns)

	def own_edit():
		name = make_follow_up("sales_peer")
		succeeded(s["sales_peer"].update("Customer Follow Up", name, {"outcome": "Interested"}))
		equal(fresh().get_value("Customer Follow Up", name, "outcome"), "Interested", "outcome")

	s.legit("a Sales User edits their own follow-up", own_edit)

	# --- repair orders ---------------------------------------------------------------------
	def technician_adds_self():
		name = make_repair()
		response = s["technician"].update("Repair Order", name, {"technicians": [{"user": user_of("technician")}]})
		refused(response, 403)
		equal(technicians(name), set(), "technicians")

	s.attack("a Technician adds themself to a repair order they are not on", technician_adds_self)

	def technician_adds_self_by_doc_method():
		name = make_repair()
		doc = s["admin"].get("Repair Order", name).data
		doc["technicians"] = [{"user": user_of("technician"), "doctype": "Repair Order Technician"}]
		response = s["technician"].run_doc_method("Repair Order", name, "set_status", docs=doc, status="Diagnosing")
		refused(response, 403)
		equal(technicians(name), set(), "technicians")
		equal(fresh().get_value("Repair Order", name, "status"), "Received", "status")

	s.attack("a Technician sends an edited order (with themself on it) to run_doc_method", technician_adds_self_by_doc_method)

	def technician_assigns_colleague():
		name = make_repair(technicians=[user_of("technician")])
		doc = s["technician"].get("Repair Order", name).data
		response = s["technician"].update("Repair Order", name, {"technicians": doc["technicians"] + [{"user": OTHER_TECHNICIAN}]})
		refused(response, 403)
		equal(technicians(name), {user_of("technician")}, "technicians")

	s.attack("an assigned Technician assigns another technician (the clerk's call)", technician_assigns_colleague)

	def technician_reads_other():
		name = make_repair()
		refused(s["technician"].get("Repair Order", name), 403)
		equal(s["technician"].list("Repair Order", filters={"name": name}).data, [], "list")

	s.attack("a Technician reads a repair order they are not on", technician_reads_other)

	def clerk_assigns():
		name = make_repair()
		succeeded(s["service_clerk"].update("Repair Order", name, {"technicians": [{"user": user_of("technician")}]}))
		equal(technicians(name), {user_of("technician")}, "technicians")
		assert fresh().exists("ToDo", {"reference_name": name, "allocated_to": user_of("technician"), "status": "Open"}), "the technician's ToDo"
		succeeded(s["technician"].update("Repair Order", name, {"diagnosis": "Worn seal"}))
		equal(fresh().get_value("Repair Order", name, "diagnosis"), "Worn seal", "the technician works on it")

	s.legit("a Service Clerk assigns a technician, who then works on the order", clerk_assigns)
