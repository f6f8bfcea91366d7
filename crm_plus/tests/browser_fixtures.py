"""Records for the browser tests, made on the throwaway test site by scripts/test.sh
after the server tests (`bench --site S execute crm_plus.tests.browser_fixtures.prepare`)."""

import frappe

from crm_plus.tests.factories import add_stock, make_item, make_selling_doc

BROWSER_ITEM = "_CP Browser Item"


def prepare() -> str:
	frappe.set_user("Administrator")
	settings = frappe.get_single("CRM Plus Settings")
	settings.stock_shortage_mode = "Warn"
	settings.save()
	if not frappe.db.exists("Item", BROWSER_ITEM):
		make_item(BROWSER_ITEM)
		add_stock(BROWSER_ITEM, 2)
	so = make_selling_doc("Sales Order", [{"item_code": BROWSER_ITEM, "qty": 10}])
	prepare_analytics()
	frappe.db.commit()  # command-line fixture, read by the browser afterwards
	return so.name


def prepare_analytics() -> None:
	"""The analytics reports' known sales (January to June 2026), for analytics.test.js."""
	from crm_plus.tests.analytics_data import make_known_sales

	make_known_sales()
