import frappe
from frappe import _

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import STOCK_CHECK_FIELDS, stock_check_mode
from crm_plus.stock.shortage import get_shortages


@frappe.whitelist(methods=["POST"])  # reads only, but takes a whole document
def get_stock_shortages(doc: str | dict) -> dict:
	"""Short lines of an unsaved or saved Quotation, Sales Order or Delivery Note, for the form.

	One call for the whole document; the same check `validate` runs.
	"""
	values = frappe.parse_json(doc)
	if not isinstance(values, dict) or values.get("doctype") not in STOCK_CHECK_FIELDS:
		frappe.throw(_("Stock shortage check works on Quotations, Sales Orders and Delivery Notes only."))

	doctype, name = values["doctype"], values.get("name")
	if name and not values.get("__islocal") and frappe.db.exists(doctype, name):
		frappe.has_permission(doctype, "read", doc=name, throw=True)
	else:
		frappe.has_permission(doctype, "create", throw=True)

	mode = stock_check_mode(doctype)
	if mode == "Off":
		return {"mode": mode, "shortages": [], "unchecked": []}
	return {"mode": mode, **get_shortages(frappe.get_doc(values)).as_dict()}
