import frappe


def before_tests() -> None:
	"""Make a fresh test site usable: ERPNext's own test setup (company, fiscal year,
	warehouses), no network look-ups for exchange rates."""
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	erpnext_before_tests()
	frappe.db.set_single_value("Currency Exchange Settings", "disabled", 1)
	make_outgoing_email_account()
	frappe.db.commit()  # test-site setup runs outside a request


def make_outgoing_email_account() -> None:
	"""Emails are queued (Email Queue) but never sent in tests; queueing needs a default
	outgoing account."""
	if frappe.db.exists("Email Account", {"default_outgoing": 1}):
		return
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "CRM Plus Test Outbox",
			"email_id": "crm-plus-test@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "localhost",
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)
