import frappe
from frappe import _
from frappe.utils import format_datetime

from crm_plus.service.portal import complaint_history, conversation, get_own, photos, require_portal_customers
from crm_plus.utils.html import safe_html

no_cache = 1


def get_context(context):
	customers = require_portal_customers()
	context.doc = get_own("Customer Complaint", frappe.form_dict.name, customers)
	context.history = [{"status": "Open", "on": format_datetime(context.doc.creation)}] + [
		{"status": h["status"], "on": format_datetime(h["on"])} for h in complaint_history(context.doc.name)
	]
	context.description_html = safe_html(context.doc.description or "")
	context.resolution_html = safe_html(context.doc.resolution or "")
	context.messages = [
		{**m, "on": format_datetime(m["on"]), "content_html": safe_html(m["content"])} for m in conversation(context.doc.name)
	]
	context.photos = photos(context.doc.name)
	context.title = _("Complaint {0}").format(context.doc.name)
	context.parents = [{"route": "service", "title": _("Service Requests")}]
	return context
