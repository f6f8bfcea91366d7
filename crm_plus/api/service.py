"""The customer portal's service API: a portal user files complaints for their own
customer, attaches photos to them and writes to staff on them. Every write is rate-limited
per address (CRM Plus Settings → Portal Complaints per Hour; photos and replies get three
times that), and every record is checked to be the user's own customer's."""

import frappe
from frappe.rate_limiter import rate_limit
from frappe.utils import cint

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.service import portal


def portal_complaint_limit() -> int:
	return max(cint(get_settings().portal_complaint_limit), 1)


def portal_message_limit() -> int:
	return 3 * portal_complaint_limit()


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=portal_complaint_limit, seconds=60 * 60)
def file_complaint(
	subject: str,
	description: str,
	customer: str | None = None,
	item_code: str | None = None,
	serial_no: str | None = None,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
) -> str:
	"""A customer's portal user files a complaint for their own customer, about one of its
	orders or deliveries and an item on it (optional)."""
	return portal.file_complaint(subject, description, customer, item_code, serial_no, reference_doctype, reference_name)


@frappe.whitelist(methods=["GET"])
def order_items(doctype: str, name: str) -> list[dict]:
	"""The items of one of the user's customer's sales orders or delivery notes."""
	return portal.order_items(doctype, name)


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=portal_message_limit, seconds=60 * 60)
def attach_photo(complaint: str) -> str:
	"""A photo (multipart field "file") on the user's own complaint."""
	return portal.attach_photo(complaint)


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=portal_message_limit, seconds=60 * 60)
def reply(complaint: str, message: str) -> str:
	"""The portal user writes to staff on their own complaint."""
	return portal.reply(complaint, message)
