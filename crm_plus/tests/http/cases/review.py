"""Review workflow (提交审核): a Quotation or Sales Order under review is submitted only by
an approval, whatever door the request uses; the level and the author are the server's."""

import frappe
from frappe.utils import add_days, nowdate

from crm_plus.tests.factories import COMPANY, make_item
from crm_plus.tests.http.fixtures import CUSTOMER_A, publish
from crm_plus.tests.http.run import equal, fresh, refused, succeeded

GROUP = "Review workflow"
ITEM = "_CP HTTP Review Item"
APPLY = "frappe.model.workflow.apply_workflow"


def enable_review() -> None:
	settings = frappe.get_single("CRM Plus Settings")
	settings.update(
		{
			"review_enabled": 1,
			"review_quotation": 1,
			"review_sales_order": 1,
			"review_approver_role": "Sales User",
			"review_manager_role": "Sales Manager",
			"review_allow_self_approval": 0,
			"review_amount_threshold": 10000,
			"review_discount_threshold": 10,
			"stock_shortage_mode": "Off",
		}
	)
	settings.save()
	make_item(ITEM, is_stock_item=0)
	publish()


def values(doctype: str, rate: float) -> dict:
	out = {
		"company": COMPANY,
		"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
		"selling_price_list": "Standard Selling",
		"items": [{"item_code": ITEM, "qty": 1, "rate": rate}],
	}
	if doctype == "Quotation":
		out.update({"quotation_to": "Customer", "party_name": CUSTOMER_A, "valid_till": add_days(nowdate(), 30)})
	else:
		out.update({"customer": CUSTOMER_A, "delivery_date": add_days(nowdate(), 7)})
		out["items"][0]["delivery_date"] = add_days(nowdate(), 7)
	return out


def run(s) -> None:
	enable_review()

	def draft(doctype="Quotation", rate=100, author="sales_peer") -> str:
		response = s[author].insert(doctype, values(doctype, rate))
		succeeded(response)
		return response.data["name"]

	def pending(doctype="Quotation", rate=100, author="sales_peer") -> str:
		name = draft(doctype, rate, author)
		succeeded(s[author].call(APPLY, doc={"doctype": doctype, "name": name}, action="Submit for Review"))
		equal(state(doctype, name), ("Pending Review", 0), "state after Submit for Review")
		return name

	def state(doctype, name):
		return tuple(fresh().get_value(doctype, name, ["crm_plus_review_state", "docstatus"]))

	def stays_unsubmitted(doctype, name, response=None, because="ReviewError"):
		if response is not None:
			refused(response, because=because)
		equal(fresh().get_value(doctype, name, "docstatus"), 0, f"{doctype} {name} docstatus")

	# --- every door to docstatus 1 --------------------------------------------------------
	s.attack("author PUTs docstatus 1 on a draft quotation", lambda: (lambda n: stays_unsubmitted("Quotation", n, s["sales_peer"].update("Quotation", n, {"docstatus": 1})))(draft()))
	s.attack("author PUTs docstatus 1 on a pending quotation", lambda: (lambda n: stays_unsubmitted("Quotation", n, s["sales_peer"].update("Quotation", n, {"docstatus": 1})))(pending()))
	s.attack("an approver PUTs docstatus 1 on a pending quotation", lambda: (lambda n: stays_unsubmitted("Quotation", n, s["sales_restricted"].update("Quotation", n, {"docstatus": 1})))(pending()))
	s.attack("author PUTs docstatus 1 and state Approved on a draft", lambda: (lambda n: stays_unsubmitted("Quotation", n, s["sales_peer"].update("Quotation", n, {"docstatus": 1, "crm_plus_review_state": "Approved"})))(draft()))
	s.attack("author PUTs docstatus 1 on a pending Sales Order", lambda: (lambda n: stays_unsubmitted("Sales Order", n, s["sales_peer"].update("Sales Order", n, {"docstatus": 1})))(pending("Sales Order")))

	def client_submit(actor):
		name = pending()
		doc = s[actor].get("Quotation", name).data
		stays_unsubmitted("Quotation", name, s[actor].call("frappe.client.submit", doc=doc))

	s.attack("frappe.client.submit of a pending quotation by the author", client_submit, "sales_peer")
	s.attack("frappe.client.submit of a pending quotation by an approver", client_submit, "sales_restricted")

	def run_doc_method_submit(actor):
		name = pending()
		stays_unsubmitted("Quotation", name, s[actor].run_doc_method("Quotation", name, "submit"))

	s.attack("run_doc_method submit of a pending quotation", run_doc_method_submit, "sales_restricted")

	def bulk_submit():
		names = [draft(), pending()]
		succeeded(
			s["sales_manager"].call(
				"frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs",
				doctype="Quotation",
				docnames=names,
				action="submit",
			)
		)
		for name in names:
			stays_unsubmitted("Quotation", name)

	s.attack("list-view bulk submit of a draft and a pending quotation", bulk_submit)

	def bulk_update_state():
		name = pending()
		s["sales_peer"].call(
			"frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs",
			doctype="Quotation",
			docnames=[name],
			action="update",
			data={"crm_plus_review_state": "Approved"},
		)
		equal(state("Quotation", name), ("Pending Review", 0), "state")

	s.attack("bulk edit sets the state Approved (author)", bulk_update_state)

	def insert_submitted():
		response = s["sales_manager"].insert("Quotation", {**values("Quotation", 100), "docstatus": 1, "crm_plus_review_state": "Approved"})
		refused(response, because="ReviewError")
		assert not fresh().exists("Quotation", {"party_name": CUSTOMER_A, "docstatus": 1, "owner": "cp.http.sales.manager@example.com"}), "nothing submitted"

	s.attack("POST a quotation with docstatus 1", insert_submitted)

	def data_import_submit():
		# The worker's part of Data Import, run here as its worker runs it (the scheduler is
		# off on the test site): the rows set Document Status 1 on a pending quotation.
		from frappe.core.doctype.data_import.data_import import start_import

		name = pending()
		content = f"ID,Document Status\n{name},1\n"
		file = frappe.get_doc({"doctype": "File", "file_name": f"cp-http-import-{frappe.generate_hash(length=6)}.csv", "content": content, "is_private": 1}).insert()
		data_import = frappe.get_doc(
			{"doctype": "Data Import", "reference_doctype": "Quotation", "import_type": "Update Existing Records", "import_file": file.file_url}
		).insert()
		publish()
		start_import(data_import.name)
		stays_unsubmitted("Quotation", name)
		log = fresh().get_all("Data Import Log", filters={"data_import": data_import.name}, fields=["success", "messages", "exception"])
		assert log and not any(row.success for row in log), f"the import's row did not fail: {log}"
		assert "ReviewError" in (log[0].exception or "") + (log[0].messages or ""), f"not refused by the review: {log[0]}"

	s.attack("Data Import sets Document Status 1 on a pending quotation", data_import_submit)

	# --- the level and the author are the server's ------------------------------------------
	def level_spoofed():
		name = pending(rate=50000)
		equal(fresh().get_value("Quotation", name, "crm_plus_review_level"), "Manager", "level")
		response = s["sales_restricted"].update(
			"Quotation", name, {"crm_plus_review_state": "Approved", "docstatus": 1, "crm_plus_review_level": "Approver"}
		)
		stays_unsubmitted("Quotation", name, response)
		stays_unsubmitted("Quotation", name, s["sales_restricted"].call(APPLY, doc={"doctype": "Quotation", "name": name}, action="Approve"))
		equal(fresh().get_value("Quotation", name, "crm_plus_review_level"), "Manager", "level")

	s.attack("an approver approves a manager-level quotation, sending level Approver", level_spoofed)

	def level_sent_on_save():
		name = draft(rate=50000)
		s["sales_peer"].update("Quotation", name, {"crm_plus_review_level": "Approver"})
		equal(fresh().get_value("Quotation", name, "crm_plus_review_level"), "Manager", "level")

	s.attack("author saves a level of Approver on a manager-level draft", level_sent_on_save)

	def owner_spoofed():
		name = pending()
		s["sales_peer"].update("Quotation", name, {"owner": "cp.http.sales.restricted@example.com"})
		equal(fresh().get_value("Quotation", name, "owner"), "cp.http.sales.peer@example.com", "owner")
		response = s["sales_peer"].call(APPLY, doc={"doctype": "Quotation", "name": name}, action="Approve")
		stays_unsubmitted("Quotation", name, response, because="Self approval")

	s.attack("author makes a colleague the owner, then approves", owner_spoofed)

	def self_approval():
		name = pending(author="sales_restricted")
		response = s["sales_restricted"].call(APPLY, doc={"doctype": "Quotation", "name": name}, action="Approve")
		stays_unsubmitted("Quotation", name, response, because="Self approval")

	s.attack("author approves their own quotation", self_approval)

	# --- legitimate paths -------------------------------------------------------------------
	def peer_approves():
		name = pending()
		succeeded(s["sales_restricted"].call(APPLY, doc={"doctype": "Quotation", "name": name}, action="Approve"))
		equal(state("Quotation", name), ("Approved", 1), "approved and submitted")

	s.legit("a colleague approves a pending quotation: it is submitted", peer_approves)

	def manager_approves():
		name = pending("Sales Order", rate=50000)
		succeeded(s["sales_manager"].call(APPLY, doc={"doctype": "Sales Order", "name": name}, action="Approve"))
		equal(state("Sales Order", name), ("Approved", 1), "approved and submitted")

	s.legit("a Sales Manager approves a manager-level Sales Order", manager_approves)

	def reject_and_resubmit():
		name = pending()
		succeeded(s["sales_restricted"].call(APPLY, doc={"doctype": "Quotation", "name": name}, action="Reject"))
		equal(state("Quotation", name), ("Rejected", 0), "rejected")
		succeeded(s["sales_peer"].call(APPLY, doc={"doctype": "Quotation", "name": name}, action="Submit for Review"))
		equal(state("Quotation", name), ("Pending Review", 0), "pending again")

	s.legit("an approver rejects; the author submits for review again", reject_and_resubmit)

	# back to the settings the other groups expect
	frappe.get_single("CRM Plus Settings").update({"review_enabled": 0}).save()
	publish()
