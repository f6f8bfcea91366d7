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

doctype_js = {
	"Quotation": "public/js/stock_shortage.js",
	"Sales Order": "public/js/stock_shortage.js",
	"Delivery Note": "public/js/stock_shortage.js",
}

# Install ------------------------------------------------------------------------

before_install = "crm_plus.install.before_install"
after_install = "crm_plus.install.after_install"
after_migrate = "crm_plus.install.after_migrate"
before_uninstall = "crm_plus.uninstall.before_uninstall"

# Document events ----------------------------------------------------------------

doc_events = {
	"Quotation": {
		"validate": "crm_plus.overrides.quotation.validate",
	},
	"Sales Order": {
		"validate": "crm_plus.overrides.sales_order.validate",
		"on_submit": "crm_plus.overrides.sales_order.on_submit",
	},
	"Delivery Note": {
		"validate": "crm_plus.overrides.delivery_note.validate",
	},
}

# Tests --------------------------------------------------------------------------

before_tests = "crm_plus.tests.setup.before_tests"
