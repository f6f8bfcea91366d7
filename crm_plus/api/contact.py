"""The contact view (联系人): what relates to one contact, and a customer's or supplier's
contacts as an org chart (直接领导)."""

import frappe

from crm_plus.relationship.contacts import get_contact_activity, get_org_chart

PARTIES = ("Customer", "Supplier")


@frappe.whitelist(methods=["GET"])
def contact_activity(contact: str) -> dict:
	"""403 without read permission on the contact; each part only from what the user may read."""
	frappe.has_permission("Contact", "read", doc=contact, throw=True)
	return get_contact_activity(contact)


@frappe.whitelist(methods=["GET"])
def org_chart(party_type: str, party: str) -> list[dict]:
	"""403 without read permission on the customer or supplier."""
	if party_type not in PARTIES:
		frappe.throw(frappe._("Contacts of a Customer or a Supplier only."), frappe.ValidationError)
	frappe.has_permission(party_type, "read", doc=party, throw=True)
	return get_org_chart(party_type, party)
