app_name = "crm_plus"
app_title = "CRM Plus"
app_publisher = "crm_plus developers"
app_description = "CRM for ERPNext v15: follow-ups, complaints, service, contracts, campaigns, receivables and analytics"
app_email = "dev@crm-plus.invalid"
app_license = "GPL-3.0-only"
# "org/repo" form: a bare "erpnext" makes Frappe ask api.github.com which org it belongs to.
required_apps = ["frappe/erpnext"]

export_python_type_annotations = True

# Assets ------------------------------------------------------------------------

# what the analytics reports' filters share (crm_plus.analytics)
app_include_js = "crm_plus.bundle.js"

doctype_js = {
	"Quotation": "public/js/stock_shortage.js",
	"Sales Order": "public/js/stock_shortage.js",
	"Delivery Note": "public/js/stock_shortage.js",
	"Customer": ["public/js/follow_up_dialog.js", "public/js/customer.js", "public/js/org_chart.js"],
	"Supplier": "public/js/org_chart.js",
	"Lead": ["public/js/follow_up_dialog.js", "public/js/lead.js"],
	"Prospect": ["public/js/follow_up_dialog.js", "public/js/lead.js"],
	"Maintenance Visit": "public/js/maintenance_visit.js",
	"Contact": "public/js/contact.js",
	"Competitor": "public/js/competitor.js",
}

override_doctype_dashboards = {
	"Customer": "crm_plus.overrides.customer.get_dashboard_data",
	"Lead": "crm_plus.overrides.lead.get_dashboard_data",
	"Prospect": "crm_plus.overrides.prospect.get_dashboard_data",
	"Opportunity": "crm_plus.overrides.opportunity.get_dashboard_data",
	"Quotation": "crm_plus.overrides.quotation.get_dashboard_data",
	"Sales Order": "crm_plus.overrides.sales_order.get_dashboard_data",
	"Sales Invoice": "crm_plus.overrides.sales_invoice.get_dashboard_data",
	"Competitor": "crm_plus.overrides.competitor.get_dashboard_data",
}

additional_timeline_content = {
	"Customer": ["crm_plus.relationship.follow_ups.get_timeline_content"],
	"Lead": ["crm_plus.relationship.follow_ups.get_timeline_content"],
	"Prospect": ["crm_plus.relationship.follow_ups.get_timeline_content"],
	"Opportunity": ["crm_plus.relationship.follow_ups.get_timeline_content"],
	"Quotation": ["crm_plus.relationship.follow_ups.get_timeline_content"],
	"Sales Order": ["crm_plus.relationship.follow_ups.get_timeline_content"],
}

calendars = ["Customer Follow Up"]

# after-sales service: the customer portal's service page (crm_plus/www/service)
portal_menu_items = [{"title": "Service Requests", "route": "/service", "role": "Customer"}]

# Install ------------------------------------------------------------------------

before_install = "crm_plus.install.before_install"
after_install = "crm_plus.install.after_install"
after_migrate = "crm_plus.install.after_migrate"

# Reports (Frappe's query_report.run) and Customer 360 read the MariaDB replica when the site
# has one (read_from_replica), and the primary while it is down: crm_plus/utils/replica.py
override_whitelisted_methods = {"frappe.desk.query_report.run": "crm_plus.utils.replica.run_report"}
before_request = ["crm_plus.utils.replica.before_request"]
before_uninstall = "crm_plus.uninstall.before_uninstall"

# Document events ----------------------------------------------------------------

doc_events = {
	"Opportunity": {
		"validate": "crm_plus.pipeline.opportunity.validate",
		"on_change": "crm_plus.pipeline.opportunity.on_change",
	},
	"Quotation": {
		"validate": [
			"crm_plus.overrides.quotation.validate",
			"crm_plus.review.workflow.validate",
		],
		"before_submit": "crm_plus.review.workflow.before_submit",
		"before_update_after_submit": "crm_plus.overrides.quotation.before_update_after_submit",
		"on_update": "crm_plus.review.workflow.on_update",
	},
	"Sales Order": {
		"validate": [
			"crm_plus.overrides.sales_order.validate",
			"crm_plus.review.workflow.validate",
			"crm_plus.contracts.lifecycle.check_sales_order_contract",
		],
		"before_submit": "crm_plus.review.workflow.before_submit",
		"on_submit": "crm_plus.overrides.sales_order.on_submit",
		"before_update_after_submit": "crm_plus.overrides.sales_order.before_update_after_submit",
		"on_update": "crm_plus.review.workflow.on_update",
	},
	"Delivery Note": {
		"validate": "crm_plus.overrides.delivery_note.validate",
		"before_update_after_submit": "crm_plus.overrides.delivery_note.before_update_after_submit",
		# sales facts: a delivery costs invoices billed before it
		"on_submit": "crm_plus.analytics.facts.on_delivery_note_change",
		"on_cancel": "crm_plus.analytics.facts.on_delivery_note_change",
	},
	"Repost Item Valuation": {
		"on_change": "crm_plus.analytics.facts.on_repost_change",
	},
	"Customer": {
		"validate": "crm_plus.overrides.customer.validate",
		"after_insert": "crm_plus.overrides.customer.after_insert",
	},
	"Contact": {
		"validate": "crm_plus.overrides.contact.validate",
		"on_update": "crm_plus.overrides.contact.on_update",
		"on_trash": "crm_plus.overrides.contact.on_trash",
	},
	"Maintenance Visit": {
		"validate": "crm_plus.overrides.maintenance_visit.validate",
		"on_update": "crm_plus.overrides.maintenance_visit.on_update",
		"on_submit": "crm_plus.overrides.maintenance_visit.on_submit",
	},
	"Sales Invoice": {
		"validate": "crm_plus.overrides.sales_invoice.validate",
		"before_update_after_submit": "crm_plus.overrides.sales_invoice.before_update_after_submit",
		"on_submit": [
			"crm_plus.receivables.follow_ups.on_payment_change",
			"crm_plus.analytics.facts.on_sales_invoice_submit",
		],
		"on_cancel": [
			"crm_plus.receivables.follow_ups.on_payment_change",
			"crm_plus.analytics.facts.on_sales_invoice_cancel",
		],
	},
	"Payment Entry": {
		"on_submit": "crm_plus.receivables.follow_ups.on_payment_change",
		"on_cancel": "crm_plus.receivables.follow_ups.on_payment_change",
	},
	"Journal Entry": {
		"on_submit": "crm_plus.receivables.follow_ups.on_payment_change",
		"on_cancel": "crm_plus.receivables.follow_ups.on_payment_change",
	},
}

# Permissions ----------------------------------------------------------------------

permission_query_conditions = {
	"Customer Follow Up": "crm_plus.relationship.follow_ups.get_permission_query_conditions",
	# after-sales service: technicians see the repair orders assigned to them
	"Repair Order": "crm_plus.service.repairs.get_permission_query_conditions",
}

has_permission = {
	"Customer Follow Up": "crm_plus.relationship.follow_ups.has_permission",
	"Repair Order": "crm_plus.service.repairs.has_permission",
}

# Scheduler ------------------------------------------------------------------------

scheduler_events = {
	"daily": ["crm_plus.tasks.daily", "crm_plus.tasks.daily_contracts_and_receivables"],
	# after-sales service
	"hourly": ["crm_plus.tasks.hourly"],
}

# Tests --------------------------------------------------------------------------

before_tests = "crm_plus.tests.setup.before_tests"
