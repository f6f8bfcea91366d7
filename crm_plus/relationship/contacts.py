"""直接领导: whom a contact reports to, within the same customer, supplier or other party,
and never in a circle."""

import frappe
from frappe import _


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
