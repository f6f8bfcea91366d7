import frappe


def before_tests() -> None:
	"""Make a fresh test site usable: ERPNext's own test setup (company, fiscal year,
	warehouses), no network look-ups for exchange rates."""
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	erpnext_before_tests()
	frappe.db.set_single_value("Currency Exchange Settings", "disabled", 1)
	frappe.db.commit()  # test-site setup runs outside a request
