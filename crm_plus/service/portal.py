"""The customer portal for service (/service): a customer's portal users file complaints
and follow their complaints and repair orders.

Portal users get no desk permission on complaints or repair orders (so /app and
/api/resource refuse them); these pages read with the customer filter applied in the
query, from the Customer's Portal Users table (ERPNext's link between a website user
and a customer).
"""

import frappe
from frappe import _
from frappe.utils import strip_html

COMPLAINT_FIELDS = ["name", "subject", "status", "severity", "item_code", "serial_no", "creation", "resolution", "resolved_on"]
REPAIR_FIELDS = ["name", "item_code", "item_name", "serial_no", "status", "warranty_status", "promised_date", "received_on", "total"]


class PortalServiceError(frappe.ValidationError):
	pass


def portal_customers(user: str | None = None) -> list[str]:
	user = user or frappe.session.user
	if user == "Guest":
		return []
	return frappe.get_all("Portal User", filters={"parenttype": "Customer", "user": user}, pluck="parent")


def require_portal_customers() -> list[str]:
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see your service requests."), frappe.PermissionError)
	customers = portal_customers()
	if not customers:
		frappe.throw(_("Your account is not linked to a customer."), frappe.PermissionError)
	return customers


def complaints_for(customers: list[str]) -> list[dict]:
	# portal read of the user's own customers' records; the filter is the permission
	return frappe.get_all(
		"Customer Complaint", filters={"customer": ("in", customers)}, fields=COMPLAINT_FIELDS, order_by="creation desc"
	)


def repairs_for(customers: list[str]) -> list[dict]:
	return frappe.get_all(
		"Repair Order",
		filters={"customer": ("in", customers), "docstatus": ("<", 2)},
		fields=REPAIR_FIELDS,
		order_by="creation desc",
	)


def get_own(doctype: str, name: str, customers: list[str]):
	"""The record when it is one of the user's customers', else 404 (not 403: a stranger
	learns nothing, not even that it exists)."""
	if not name or not frappe.db.exists(doctype, {"name": name, "customer": ("in", customers)}):
		raise frappe.DoesNotExistError(_("Not found"))
	return frappe.get_doc(doctype, name)


def complaint_history(name: str) -> list[dict]:
	"""Status changes of a complaint, from its version log (track_changes)."""
	versions = frappe.get_all(
		"Version", filters={"ref_doctype": "Customer Complaint", "docname": name}, fields=["data", "creation"], order_by="creation asc"
	)
	history = []
	for version in versions:
		for change in frappe.parse_json(version.data).get("changed", []):
			if change[0] == "status":
				history.append({"status": change[2], "on": version.creation})
	return history


def customer_contact(user: str, customer: str) -> str | None:
	"""The user's contact among the customer's contacts, if there is one."""
	rows = frappe.db.sql(
		"""SELECT c.name FROM `tabContact` c
		JOIN `tabDynamic Link` dl ON dl.parent = c.name AND dl.parenttype = 'Contact'
			AND dl.link_doctype = 'Customer' AND dl.link_name = %(customer)s
		WHERE c.user = %(user)s LIMIT 1""",
		{"user": user, "customer": customer},
	)
	return rows[0][0] if rows else None


def delivered_to(serial_no: str, customer: str) -> bool:
	"""The serial no was sold to `customer`: ERPNext's record on the serial, or a
	submitted delivery note or stock-updating invoice of that customer that shipped it."""
	if frappe.db.get_value("Serial No", serial_no, "customer") == customer:
		return True
	rows = frappe.db.sql(
		"""
		SELECT 1 FROM `tabSerial and Batch Entry` sbe
		JOIN `tabSerial and Batch Bundle` sbb ON sbb.name = sbe.parent
		LEFT JOIN `tabDelivery Note` dn ON sbb.voucher_type = 'Delivery Note' AND dn.name = sbb.voucher_no
		LEFT JOIN `tabSales Invoice` si ON sbb.voucher_type = 'Sales Invoice' AND si.name = sbb.voucher_no
		WHERE sbe.serial_no = %(serial)s AND sbb.docstatus = 1 AND sbb.is_cancelled = 0
			AND sbb.type_of_transaction = 'Outward' AND COALESCE(dn.customer, si.customer) = %(customer)s
		LIMIT 1""",
		{"serial": serial_no, "customer": customer},
	)
	return bool(rows)


def file_complaint(subject: str, description: str, customer: str | None = None, item_code: str | None = None, serial_no: str | None = None) -> str:
	customers = require_portal_customers()
	customer = customer or customers[0]
	if customer not in customers:
		frappe.throw(_("You can file complaints for your own company only."), frappe.PermissionError)
	if not (subject or "").strip() or not strip_html(description or "").strip():
		frappe.throw(_("Describe the problem: a subject and a description are needed."), PortalServiceError)
	if serial_no and not delivered_to(serial_no, customer):
		# the same answer whether it does not exist or is someone else's
		frappe.throw(_("Serial No {0} is not among the items delivered to you.").format(serial_no), PortalServiceError)
	if item_code and not frappe.db.exists("Item", {"name": item_code, "disabled": 0}):
		frappe.throw(_("Item {0} is not found.").format(item_code), PortalServiceError)
	contact = customer_contact(frappe.session.user, customer)
	doc = frappe.get_doc(
		{
			"doctype": "Customer Complaint",
			"customer": customer,
			"contact": contact,
			"channel": "Website",
			"subject": subject.strip()[:140],
			"description": frappe.utils.escape_html(description),
			"item_code": item_code or None,
			"serial_no": serial_no or None,
		}
	)
	doc.insert(ignore_permissions=True)  # a portal user has no desk permission; the customer check above is it
	return doc.name
