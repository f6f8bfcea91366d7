from frappe import _

from crm_plus.service.portal import complaints_for, customer_orders, repairs_for, require_portal_customers

no_cache = 1


def get_context(context):
	customers = require_portal_customers()
	context.title = _("Service Requests")
	context.customers = customers
	context.orders = customer_orders(customers)
	context.complaints = complaints_for(customers)
	context.repairs = repairs_for(customers)
	context.show_sidebar = True
	return context
