"""The contact view (联系人): whom a contact reports to (直接领导) — within the same customer,
supplier or other party, never in a circle —, what relates to one contact, and a party's
contacts as an org chart."""

import frappe
from frappe import _

from crm_plus.relationship.customer_360 import default_currency


class ReportsToError(frappe.ValidationError):
	pass


def validate_reports_to(doc) -> None:
	boss = doc.get("crm_plus_reports_to")
	if not boss:
		return
	if boss == doc.name:
		frappe.throw(_("A contact cannot report to themself."), ReportsToError, title=_("Invalid Reports To"))
	ours = {(link.link_doctype, link.link_name) for link in doc.get("links") or []}
	theirs = set(
		frappe.get_all("Dynamic Link", filters={"parenttype": "Contact", "parent": boss}, fields=["link_doctype", "link_name"], as_list=True)
	)
	if ours and not ours & {tuple(link) for link in theirs}:
		frappe.throw(
			_("{0} is not a contact of the same customer or supplier as this contact.").format(frappe.bold(boss)),
			ReportsToError,
			title=_("Invalid Reports To"),
		)
	seen, current = {doc.name}, boss
	while current:
		if current in seen:
			frappe.throw(
				_("{0} already reports, directly or not, to this contact: reporting to them would make a circle.").format(
					frappe.bold(boss)
				),
				ReportsToError,
				title=_("Invalid Reports To"),
			)
		seen.add(current)
		current = frappe.db.get_value("Contact", current, "crm_plus_reports_to")


# --- what relates to one contact (the contact form's activity panel) --------------------

# doctype -> (the field naming the contact, date, title, status, amount in company currency)
ACTIVITY = {
	"Customer Follow Up": ("contact", "date", "summary", "next_follow_up_status", None),
	"Opportunity": ("contact_person", "transaction_date", "title", "status", "base_opportunity_amount"),
	"Quotation": ("contact_person", "transaction_date", "title", "status", "base_grand_total"),
	"Sales Order": ("contact_person", "transaction_date", "title", "status", "base_grand_total"),
	"Customer Complaint": ("contact", "opened_on", "subject", "status", None),
	"Repair Order": ("contact", "received_on", "item_name", "status", None),
}
RECENT = 5


def get_contact_activity(contact: str) -> dict:
	"""Where this contact is the contact person: per doctype the user may read, how many
	records and the latest few, each read through frappe.get_list (so with the user's
	permissions); their e-mails; whom they report to and who reports to them."""
	sections = []
	for doctype, (field, date, title, status, amount) in ACTIVITY.items():
		if not frappe.has_permission(doctype, "read"):
			continue
		fields = ["name", f"{date} as on_date", f"{title} as title", f"{status} as status"]
		if amount:
			fields.append(f"{amount} as amount")
		sections.append(section(doctype, {field: contact}, fields, date))
	if frappe.has_permission("Communication", "read"):
		sections.append(
			section(
				"Communication",
				[["Communication Link", "link_doctype", "=", "Contact"], ["Communication Link", "link_name", "=", contact]],
				["name", "communication_date as on_date", "subject as title", "sent_or_received as status"],
				"communication_date",
			)
		)
	boss = frappe.db.get_value("Contact", contact, "crm_plus_reports_to")
	return {
		"reports_to": contact_card(boss) if boss and frappe.has_permission("Contact", "read", doc=boss) else None,
		"direct_reports": frappe.get_list(
			"Contact", filters={"crm_plus_reports_to": contact}, fields=["name", "full_name", "designation"], order_by="full_name"
		),
		"sections": sections,
		"currency": default_currency(),
	}


def section(doctype: str, filters, fields: list[str], date: str) -> dict:
	count = frappe.get_list(doctype, filters=filters, fields=["count(distinct `tab{0}`.name) as count".format(doctype)])
	return {
		"doctype": doctype,
		"count": count[0].count if count else 0,
		"recent": frappe.get_list(doctype, filters=filters, fields=fields, order_by=f"{date} desc", limit_page_length=RECENT),
	}


def contact_card(name: str) -> dict:
	return frappe.db.get_value("Contact", name, ["name", "full_name", "designation"], as_dict=True)


def get_org_chart(link_doctype: str, link_name: str) -> list[dict]:
	"""The contacts of a customer or supplier the user may read, with whom each reports to."""
	return frappe.get_list(
		"Contact",
		filters=[["Dynamic Link", "link_doctype", "=", link_doctype], ["Dynamic Link", "link_name", "=", link_name]],
		fields=["name", "full_name", "designation", "crm_plus_reports_to as reports_to", "email_id", "mobile_no", "phone"],
		order_by="full_name",
		distinct=True,
	)
