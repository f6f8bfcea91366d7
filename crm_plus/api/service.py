import frappe

from crm_plus.service import portal


@frappe.whitelist(methods=["POST"])
def file_complaint(subject: str, description: str, customer: str | None = None, item_code: str | None = None, serial_no: str | None = None) -> str:
	"""A customer's portal user files a complaint for their own customer."""
	return portal.file_complaint(subject, description, customer, item_code, serial_no)
