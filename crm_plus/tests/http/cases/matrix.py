"""The role model of docs/security.md, tried cell by cell through /api/resource: every
actor lists, reads (a record of customer A and one of B), creates, updates and deletes
every crm_plus doctype, and the database says whether it happened."""

import os
import random
import re

import frappe
from frappe.utils import add_days, nowdate

from crm_plus.tests.factories import COMPANY
from crm_plus.tests.http.fixtures import (
	ACTORS,
	CUSTOMER_A,
	CUSTOMER_B,
	make_complaint,
	make_contract,
	make_follow_up,
	make_invoice,
	make_receivable_follow_up,
	make_repair,
	new_name,
	publish,
	user_of,
)
from crm_plus.tests.http.run import equal, fresh, refused, succeeded

GROUP = "Role matrix (/api/resource)"
SECURITY_MD = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "docs", "security.md")
SINGLE = "CRM Plus Settings"


def role_model() -> dict[str, dict[str, set[str]]]:
	"""doctype -> actor -> the letters of its cell, from the table in docs/security.md."""
	with open(SECURITY_MD, encoding="utf-8") as f:
		lines = [line.strip() for line in f if line.startswith("| ")]
	header = next(line for line in lines if line.startswith("| Doctype |"))
	actors = [c.strip() for c in header.strip("|").split("|")][1:]
	model = {}
	for line in lines[lines.index(header) + 2 :]:
		cells = [c.strip() for c in line.strip("|").split("|")]
		if len(cells) != len(actors) + 1:
			break
		model[cells[0]] = {actor: set(re.findall(r"\b[RWCD]\b", cell)) for actor, cell in zip(actors, cells[1:])}
	return model


# --- the records each doctype is tried on ----------------------------------------------------


def complaint(customer):
	return make_complaint(customer)


def follow_up(customer):
	# customer A's: the peer's; customer B's: the restricted user's (whom user permissions hide)
	return make_follow_up("sales_peer" if customer == CUSTOMER_A else "sales_restricted", customer)


def repair(customer):
	return make_repair(customer, technicians=[user_of("technician")] if customer == CUSTOMER_A else [])


def contract(customer):
	return make_contract(customer, submit=False)


def receivable(customer):
	return make_receivable_follow_up(customer)


def campaign(customer):
	from crm_plus.tests.http.fixtures import make_campaign

	return make_campaign()


def category(customer):
	return frappe.get_doc({"doctype": "Complaint Category", "category_name": new_name("_CP HTTP Category")}).insert().name


def churn_reason(customer):
	return frappe.get_doc({"doctype": "Customer Churn Reason", "reason": new_name("_CP HTTP Reason")}).insert().name


def sales_fact(customer):
	# the fact crm_plus writes when an invoice of the customer is submitted
	return frappe.db.get_value("CRM Plus Sales Fact", {"sales_invoice": make_invoice(customer)})


def new_values(doctype: str) -> dict:
	"""What a user would POST to create one (for customer A)."""
	currency = frappe.get_cached_value("Company", COMPANY, "default_currency")
	return {
		"Customer Complaint": lambda: {"customer": CUSTOMER_A, "subject": new_name("matrix"), "description": "x", "severity": "Low"},
		"Customer Follow Up": lambda: {"party_type": "Customer", "customer": CUSTOMER_A, "summary": new_name("matrix")},
		"Repair Order": lambda: {"customer": CUSTOMER_A, "company": COMPANY, "item_code": "_CP HTTP Device", "fault_description": new_name("matrix")},
		"Contract Document": lambda: {"customer": CUSTOMER_A, "company": COMPANY, "currency": currency, "start_date": nowdate(), "end_date": add_days(nowdate(), 100), "terms": new_name("matrix")},
		"Receivable Follow Up": lambda: {"sales_invoice": make_invoice(CUSTOMER_A), "collector": user_of("accounts_user"), "outcome": new_name("matrix")},
		"Marketing Campaign": lambda: {"campaign_name": new_name("_CP HTTP Matrix"), "purpose": "Other", "company": COMPANY, "start_date": nowdate(), "end_date": nowdate()},
		"Complaint Category": lambda: {"category_name": new_name("_CP HTTP Matrix")},
		"Customer Churn Reason": lambda: {"reason": new_name("_CP HTTP Matrix")},
		# valid links (Frappe checks them before permission), a revenue no fact has
		"CRM Plus Sales Fact": lambda: {"sales_invoice": make_invoice(CUSTOMER_A), "company": COMPANY, "customer": CUSTOMER_A, "revenue": 987654 + random.randint(1, 999) / 1000, "cost": 0},
	}[doctype]()


DOCTYPES = {
	# doctype -> (make a record of a customer, a harmless field to change, identifying field of a new one)
	"Customer Complaint": (complaint, "root_cause", "subject"),
	"Customer Follow Up": (follow_up, "outcome", "summary"),
	"Repair Order": (repair, "accessories_received", "fault_description"),
	"Contract Document": (contract, "terms", "terms"),
	"Receivable Follow Up": (receivable, "outcome", "outcome"),
	"Marketing Campaign": (campaign, "description", "campaign_name"),
	"Complaint Category": (category, "description", "category_name"),
	"Customer Churn Reason": (churn_reason, "description", "reason"),
	"CRM Plus Sales Fact": (sales_fact, "cost", "revenue"),
}
# doctypes whose records belong to a customer (user permissions on Customer narrow them)
CUSTOMER_RECORDS = {"Customer Complaint", "Customer Follow Up", "Repair Order", "Contract Document", "Receivable Follow Up"}


def sees(actor: str, doctype: str, customer: str) -> bool:
	"""Within the role table, the scope rules of docs/security.md."""
	if actor == "sales_restricted" and doctype in CUSTOMER_RECORDS and customer != CUSTOMER_A:
		return False
	if doctype == "Customer Follow Up" and actor in ("sales_restricted", "sales_peer"):
		# the record of A is the peer's, the record of B the restricted user's (hidden by customer)
		return actor == "sales_peer" and customer == CUSTOMER_A
	if doctype == "Repair Order" and actor == "technician":
		return customer == CUSTOMER_A  # assigned to A's order only
	return True


def run(s) -> None:
	model = role_model()
	assert set(DOCTYPES) | {SINGLE} <= set(model), f"docs/security.md lacks rows: {set(DOCTYPES) - set(model)}"
	frappe.get_single("CRM Plus Settings").update({"follow_up_own_only": 1}).save()
	publish()
	records = {doctype: {c: make(c) for c in (CUSTOMER_A, CUSTOMER_B)} for doctype, (make, _f, _i) in DOCTYPES.items()}
	publish()

	def listing(actor, doctype, may):
		response = s[actor].list(doctype)
		if not may:
			refused(response, 403)
			return
		succeeded(response)
		listed = {row["name"] for row in response.data}
		for customer, name in records[doctype].items():
			if not sees(actor, doctype, customer):
				assert name not in listed, f"{name} ({customer}) is listed for {actor}"

	def reading(actor, doctype, customer, may):
		response = s[actor].get(doctype, records[doctype][customer])
		if may:
			succeeded(response)
			equal(response.data["name"], records[doctype][customer], "the record")
		else:
			refused(response, 403, 404)

	def creating(actor, doctype, may):
		make, _field, key = DOCTYPES[doctype]
		values = new_values(doctype)
		response = s[actor].insert(doctype, values)
		exists = fresh().exists(doctype, {key: values[key]})
		if may:
			succeeded(response)
			assert exists, "created"
		else:
			refused(response, 403)
			assert not exists, f"a {doctype} was created"

	def updating(actor, doctype, customer, may):
		_make, field, _key = DOCTYPES[doctype]
		name = records[doctype][customer]
		value = new_name("changed")
		response = s[actor].update(doctype, name, {field: value})
		stored = fresh().get_value(doctype, name, field)
		if may:
			succeeded(response)
			equal(stored, value, field)
		else:
			refused(response, 403, 404, 417)
			assert stored != value, f"{field} changed"

	def deleting(actor, doctype, may):
		make, _field, _key = DOCTYPES[doctype]
		name = make(CUSTOMER_A)
		publish()
		response = s[actor].delete(doctype, name)
		exists = fresh().exists(doctype, name)
		if may:
			succeeded(response)
			assert not exists, "deleted"
		else:
			refused(response, 403, 404, 417)
			assert exists, "it was deleted"

	def single(actor, may_read, may_write):
		response = s[actor].get(SINGLE, SINGLE)
		(succeeded if may_read else lambda r: refused(r, 403))(response)
		before = fresh().get_single_value(SINGLE, "churn_lost_days")
		response = s[actor].update(SINGLE, SINGLE, {"churn_lost_days": before + 1})
		after = fresh().get_single_value(SINGLE, "churn_lost_days")
		if may_write:
			succeeded(response)
			equal(after, before + 1, "churn_lost_days")
			s["admin"].update(SINGLE, SINGLE, {"churn_lost_days": before})
		else:
			refused(response, 403)
			equal(after, before, "churn_lost_days")

	for doctype in DOCTYPES:
		for actor in ACTORS:
			letters = model[doctype].get(actor, model[doctype].get("portal_a") if actor == "portal_b" else set())
			for op, may, fn, args in (
				("lists", "R" in letters, listing, ()),
				("reads A's", "R" in letters and sees(actor, doctype, CUSTOMER_A), reading, (CUSTOMER_A,)),
				("reads B's", "R" in letters and sees(actor, doctype, CUSTOMER_B), reading, (CUSTOMER_B,)),
				("creates", "C" in letters, creating, ()),
				("updates A's", "W" in letters and sees(actor, doctype, CUSTOMER_A), updating, (CUSTOMER_A,)),
				("updates B's", "W" in letters and sees(actor, doctype, CUSTOMER_B), updating, (CUSTOMER_B,)),
				("deletes", "D" in letters and sees(actor, doctype, CUSTOMER_A), deleting, ()),
			):
				if fn is reading or fn is updating:
					call_args = (actor, doctype, args[0], may)
				else:
					call_args = (actor, doctype, may)
				(s.legit if may else s.attack)(f"{actor} {op} {doctype}", fn, *call_args)

	for actor in ACTORS:
		letters = model[SINGLE].get(actor, model[SINGLE].get("portal_a") if actor == "portal_b" else set())
		may_read, may_write = "R" in letters, "W" in letters
		(s.legit if may_read else s.attack)(f"{actor} reads and writes {SINGLE}", single, actor, may_read, may_write)
