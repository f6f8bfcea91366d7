import frappe
from frappe import _
from frappe.utils import format_datetime

from crm_plus.service.portal import get_own, require_portal_customers

no_cache = 1


def get_context(context):
	customers = require_portal_customers()
	context.doc = get_own("Repair Order", frappe.form_dict.name, customers)
	context.history = [{"status": row.status, "on": format_datetime(row.changed_on)} for row in context.doc.status_log]
	context.title = _("Repair Order {0}").format(context.doc.name)
	context.parents = [{"route": "service", "title": _("Service Requests")}]
	return context
