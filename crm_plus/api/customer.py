import frappe

from crm_plus.relationship.conversion import convert, find_matching_customers
from crm_plus.relationship.customer_360 import default_company, get_customer_360
from crm_plus.utils.permissions import check_company
from crm_plus.utils.replica import facts_first, read_only


@frappe.whitelist(methods=["GET"])
def customer_360(customer: str, company: str | None = None) -> dict:
	"""Everything about a customer in one answer. 403 without read permission on it.

	GET /api/method/crm_plus.api.customer.customer_360?customer=<name>[&company=<company>]
	"""
	frappe.has_permission("Customer", "read", doc=customer, throw=True)
	company = company or default_company()
	check_company(company, "Sales Invoice")
	if frappe.conf.read_from_replica:
		facts_first()
	return _customer_360(customer, company)


@read_only  # on the replica when the site has one
def _customer_360(customer: str, company: str) -> dict:
	return get_customer_360(customer, company)


@frappe.whitelist(methods=["GET"])
def matching_customers(party_type: str, party: str) -> list[dict]:
	"""Customers that look like this Lead or Prospect (same name, email or phone), for the
	convert dialog to suggest; never chosen for the user. Only customers the user may read."""
	frappe.has_permission(party_type, "read", doc=party, throw=True)
	return find_matching_customers(party_type, party)


@frappe.whitelist(methods=["POST"])
def convert_to_customer(
	party_type: str,
	party: str,
	customer: str | None = None,
	create_opportunity: bool = False,
	opportunity_amount: float = 0,
	sales_stage: str | None = None,
	next_step: str | None = None,
) -> dict:
	"""Convert a Lead or Prospect (write permission on it needed), carrying over its
	follow-ups, ToDos, events, notes, communications, attachments, opportunities and
	quotations; optionally make an Opportunity for the customer in the same step."""
	frappe.has_permission(party_type, "write", doc=party, throw=True)
	if customer is None:
		frappe.has_permission("Customer", "create", throw=True)
	opportunity = None
	if create_opportunity:
		opportunity = {"amount": opportunity_amount, "sales_stage": sales_stage, "next_step": next_step}
	return convert(party_type, party, customer or None, opportunity)
