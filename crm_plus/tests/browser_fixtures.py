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
	prepare_service()
	prepare_analytics()
	prepare_review()
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


# --- after-sales service ---------------------------------------------------------------

SERVICE_AGENT = "cp.service.agent@example.com"
SERVICE_AGENT_PASSWORD = "Service-Agent-2026!"
PORTAL_USER = "cp.portal.buyer@example.com"
PORTAL_PASSWORD = "Portal-Buyer-2026!"
PORTAL_CUSTOMER = "_CP Portal Service Customer"
OTHER_PORTAL_CUSTOMER = "_CP Portal Other Customer"


def prepare_service() -> None:
	"""A service agent to assign complaints to; a portal user of one customer; a complaint
	and a repair order for that customer and for another one (which the portal user must
	never see)."""
	from crm_plus.tests.factories import make_complaint, make_repair_order

	make_user(SERVICE_AGENT, ["Service Clerk"], password=SERVICE_AGENT_PASSWORD)
	make_user(PORTAL_USER, user_type="Website User", password=PORTAL_PASSWORD)
	frappe.get_doc("User", PORTAL_USER).add_roles("Customer")
	for customer in (PORTAL_CUSTOMER, OTHER_PORTAL_CUSTOMER):
		make_customer(customer)
		if not frappe.db.exists("Customer Complaint", {"customer": customer}):
			make_complaint(customer, subject=f"Complaint of {customer}", assignee=SERVICE_AGENT)
			make_repair_order(customer, fault_description=f"Repair of {customer}")
	customer = frappe.get_doc("Customer", PORTAL_CUSTOMER)
	if not any(p.user == PORTAL_USER for p in customer.portal_users):
		customer.append("portal_users", {"user": PORTAL_USER})
		customer.save()
def prepare_analytics() -> None:
	"""The analytics reports' known sales (January to June 2026), for analytics.test.js."""
	from crm_plus.tests.analytics_data import make_known_sales

	make_known_sales()
# --- review workflow (issue 5) ---------------------------------------------------------------

REVIEW_AUTHOR = "cp.review.author@example.com"
REVIEW_APPROVER = "cp.review.approver@example.com"
REVIEW_PASSWORD = "Review-Flow-2026!"
REVIEW_ITEM = "_CP Browser Review Item"


def prepare_review() -> str:
	"""Quotation review on (Sales Orders untouched, for the other browser tests), an author
	and a peer approver, and the author's draft quotation. Returns its name."""
	frappe.set_user("Administrator")
	settings = frappe.get_single("CRM Plus Settings")
	settings.update(
		{
			"review_enabled": 1,
			"review_quotation": 1,
			"review_sales_order": 0,
			"review_approver_role": "Sales User",
			"review_manager_role": "Sales Manager",
			"review_allow_self_approval": 0,
		}
	)
	settings.save()
	make_item(REVIEW_ITEM, is_stock_item=0)
	make_user(REVIEW_AUTHOR, ["Sales User"], password=REVIEW_PASSWORD)
	make_user(REVIEW_APPROVER, ["Sales User"], password=REVIEW_PASSWORD)
	frappe.set_user(REVIEW_AUTHOR)
	quotation = make_selling_doc("Quotation", [{"item_code": REVIEW_ITEM, "qty": 3}])
	frappe.set_user("Administrator")
	return quotation.name
