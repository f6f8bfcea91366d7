"""The CRM Plus workspace in few requests: its number cards' and charts' documents in one,
the cards' figures in another (Frappe asks once per widget for each)."""

import frappe
from frappe.desk.doctype.number_card.number_card import get_result

MODULE = "CRM Plus"


WIDGET_DOCTYPES = ("Number Card", "Dashboard Chart")


@frappe.whitelist(methods=["GET"])
def widget_docs(widgets: list | str) -> list[dict]:
	"""The documents of crm_plus's number cards and charts among `widgets` ([doctype, name]
	pairs) that the user may read, for the workspace to show without asking for each."""
	wanted = {}
	for doctype, name in frappe.parse_json(widgets):
		if doctype in WIDGET_DOCTYPES:
			wanted.setdefault(doctype, []).append(name)
	return [
		frappe.get_doc(doctype, name).as_dict()
		for doctype, names in wanted.items()
		for name in frappe.get_all(doctype, filters={"name": ("in", names), "module": MODULE}, pluck="name")
		if frappe.has_permission(doctype, "read", doc=name)
	]


@frappe.whitelist(methods=["POST"])  # reads only; the filters of eight cards make a long query string
def number_cards(cards: list | str) -> dict:
	"""{card name: value} for crm_plus's Document Type cards, each computed as Frappe computes
	a card (frappe.get_list, so with the user's permissions) with the filters the page sent."""
	cards = frappe.parse_json(cards)
	names = [c.get("name") for c in cards if c.get("name")]
	docs = {
		d.name: d
		for d in frappe.get_all(
			"Number Card",
			filters={"name": ("in", names), "module": MODULE, "type": "Document Type"},
			fields=["name", "function", "aggregate_function_based_on", "document_type", "parent_document_type"],
		)
	}
	out = {}
	for card in cards:
		doc = docs.get(card.get("name"))
		if not doc:
			continue
		if not frappe.has_permission(doc.document_type, "read"):
			out[doc.name] = None
			continue
		out[doc.name] = get_result(doc, card.get("filters"))
	return out
