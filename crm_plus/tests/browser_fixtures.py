"""Records for the browser tests, made on the throwaway test site by scripts/test.sh
after the server tests (`bench --site S execute crm_plus.tests.browser_fixtures.prepare`)."""

import frappe

from crm_plus.tests.factories import add_stock, make_customer, make_item, make_selling_doc, make_user

BROWSER_ITEM = "_CP Browser Item"
BROWSER_CUSTOMER = "_CP Browser Customer"
RESTRICTED_USER = "cp.restricted.sales@example.com"
RESTRICTED_PASSWORD = "Restricted-Sales-2026!"


def prepare() -> str:
	frappe.set_user("Administrator")
	settings = frappe.get_single("CRM Plus Settings")
	settings.stock_shortage_mode = "Warn"
	settings.save()
	if not frappe.db.exists("Item", BROWSER_ITEM):
		make_item(BROWSER_ITEM)
		add_stock(BROWSER_ITEM, 2)
	so = make_selling_doc("Sales Order", [{"item_code": BROWSER_ITEM, "qty": 10}])
	prepare_relationship()
	frappe.db.commit()  # command-line fixture, read by the browser afterwards
	return so.name


def prepare_relationship() -> None:
	"""A customer to record a follow-up on, and a sales user restricted to another
	customer (who must get 403 from this one's Customer 360)."""
	make_customer(BROWSER_CUSTOMER)
	frappe.db.set_value("Customer", BROWSER_CUSTOMER, "email_id", "cp.browser.customer@example.com")
	if not frappe.db.exists("Email Template", "_CP Browser Mail"):
		frappe.get_doc(
			{"doctype": "Email Template", "name": "_CP Browser Mail", "subject": "Hello {{ first_name }}", "response": "Our new range"}
		).insert(ignore_permissions=True)
	own = make_customer("_CP Browser Own Customer")
	make_user(RESTRICTED_USER, ["Sales User"], password=RESTRICTED_PASSWORD)
	if not frappe.db.exists("User Permission", {"user": RESTRICTED_USER, "allow": "Customer"}):
		frappe.get_doc(
			{"doctype": "User Permission", "user": RESTRICTED_USER, "allow": "Customer", "for_value": own}
		).insert(ignore_permissions=True)
