import frappe
from frappe.rate_limiter import rate_limit
from frappe.utils import cint

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.service import portal


def portal_complaint_limit() -> int:
	return max(cint(get_settings().portal_complaint_limit), 1)


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=portal_complaint_limit, seconds=60 * 60)
def file_complaint(subject: str, description: str, customer: str | None = None, item_code: str | None = None, serial_no: str | None = None) -> str:
	"""A customer's portal user files a complaint for their own customer (so many per hour
	from one address: CRM Plus Settings)."""
	return portal.file_complaint(subject, description, customer, item_code, serial_no)
