import json

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase

from crm_plus.install import ERPNextMissingError, check_erpnext
from crm_plus.setup.custom_fields import get_custom_fields
from crm_plus.tests.factories import add_stock, make_item, make_selling_doc


def as_in_a_new_request() -> None:
	"""Forget what this process cached about installed apps and their hooks, as a new
	request would (doc_events are cached on frappe.local)."""
	frappe.clear_cache()
	if hasattr(frappe.local, "doc_events_hooks"):
		del frappe.local.doc_events_hooks


def crm_plus_fields_present() -> list[bool]:
	"""For each field crm_plus adds: its Custom Field exists (and its column, for data fields)."""
	from frappe.model import no_value_fields

	return [
		bool(frappe.db.exists("Custom Field", {"dt": dt, "fieldname": f["fieldname"]}))
		and (f["fieldtype"] in no_value_fields or frappe.db.has_column(dt, f["fieldname"]))
		for dt, fields in get_custom_fields().items()
		for f in fields
	]


class TestInstall(FrappeTestCase):
	def test_installed_site_has_fields_and_default_settings(self):
		self.assertTrue(all(crm_plus_fields_present()))
		settings = frappe.get_single("CRM Plus Settings")
		self.assertEqual(settings.stock_shortage_mode, "Warn")
		self.assertEqual(settings.stock_shortage_basis, "Actual minus Reserved")
		self.assertEqual((settings.check_quotation, settings.check_sales_order), (1, 1))

	def test_migrate_recreates_a_deleted_field(self):
		from crm_plus.install import after_migrate

		name = frappe.db.get_value("Custom Field", {"dt": "Sales Order", "fieldname": "crm_plus_shortage_notified"})
		frappe.delete_doc("Custom Field", name)
		after_migrate()
		self.assertTrue(all(crm_plus_fields_present()))

	def test_migrate_fills_new_settings_with_typed_defaults(self):
		"""A site upgraded from a version without some settings gets their defaults, as numbers."""
		from crm_plus.install import set_default_settings

		frappe.db.delete("Singles", {"doctype": "CRM Plus Settings", "field": ["in", ["churn_at_risk_days", "churn_lost_days"]]})
		frappe.clear_document_cache("CRM Plus Settings", "CRM Plus Settings")
		set_default_settings()  # saves, so the settings' own validation runs
		settings = frappe.get_single("CRM Plus Settings")
		self.assertEqual((settings.churn_at_risk_days, settings.churn_lost_days), (90, 180))

	def test_refuses_a_site_without_erpnext(self):
		with self.assertRaises(ERPNextMissingError) as caught:
			check_erpnext(["frappe", "payments"], None)
		self.assertIn("ERPNext", str(caught.exception))
		with self.assertRaises(ERPNextMissingError):
			check_erpnext(["frappe", "erpnext"], "14.3.0")
		check_erpnext(["frappe", "erpnext"], "15.70.2")


class TestUninstallReinstall(FrappeTestCase):
	"""Uninstall and reinstall for real on the test site. Both commit (DDL), so the test
	always reinstalls, even when an assertion fails half-way."""

	def test_uninstall_restores_erpnext_then_reinstall_works(self):
		from frappe.installer import install_app, remove_app

		item = make_item("_CP Lifecycle Item")
		add_stock(item, 1)
		frappe.db.commit()  # uninstalling runs DDL, which commits anyway; start from a saved state
		try:
			remove_app("crm_plus", yes=True, no_backup=True)
			as_in_a_new_request()

			self.assertNotIn("crm_plus", frappe.get_installed_apps())
			self.assertFalse(any(crm_plus_fields_present()))
			self.assertFalse(frappe.db.exists("DocType", "CRM Plus Settings"))
			self.assertFalse(frappe.db.table_exists("CRM Plus Settings"))

			# ERPNext as before: a short order saves and submits without a word from crm_plus
			frappe.local.message_log = []
			so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 5}])
			so.submit()
			titles = [json.loads(m).get("title") if isinstance(m, str) else m.get("title") for m in frappe.local.message_log]
			self.assertNotIn(_("Stock Shortage"), titles)
			self.assertIsNone(so.get("crm_plus_shortage_notified"))
		finally:
			if "crm_plus" not in frappe.get_installed_apps():
				install_app("crm_plus", set_as_patched=True)
			as_in_a_new_request()
			frappe.db.commit()  # reinstalling ran DDL; make the state explicit

		self.assertTrue(all(crm_plus_fields_present()))
		self.assertEqual(frappe.get_single("CRM Plus Settings").stock_shortage_mode, "Warn")
