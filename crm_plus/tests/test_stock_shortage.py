import json

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from crm_plus.api.stock import get_stock_shortages
from crm_plus.stock.shortage import StockShortageError, check_stock_shortage, get_shortages
from crm_plus.tests.factories import (
	COMPANY,
	OTHER_WAREHOUSE,
	WAREHOUSE,
	add_stock,
	make_bundle,
	make_item,
	make_selling_doc,
)

SETTINGS = "CRM Plus Settings"


def shortage_messages() -> list[str]:
	"""What the user was shown under the title "Stock Shortage"."""
	out = []
	for entry in frappe.local.message_log:
		entry = json.loads(entry) if isinstance(entry, str) else entry
		if entry.get("title") == _("Stock Shortage"):
			out.append(entry.get("message"))
	return out


class StockShortageTestCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.local.message_log = []
		self.set_settings(stock_shortage_mode="Warn", stock_shortage_basis="Actual minus Reserved")

	def set_settings(self, **values):
		settings = frappe.get_single(SETTINGS)
		settings.update(
			{
				"check_quotation": 1,
				"check_sales_order": 1,
				"check_delivery_note": 1,
				"notify_stock_managers": 1,
				**values,
			}
		)
		settings.save()

	def stocked_item(self, code: str, qty: float, **kwargs) -> str:
		make_item(code, **kwargs)
		if qty:
			add_stock(code, qty)
		return code


class TestStockShortageWarnings(StockShortageTestCase):
	def test_short_sales_order_warns_and_saves(self):
		item = self.stocked_item("_CP Short Item", 5)
		so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 8}])

		self.assertTrue(frappe.db.exists("Sales Order", so.name))
		messages = shortage_messages()
		self.assertEqual(len(messages), 1)
		self.assertIn(item, messages[0])
		self.assertIn(WAREHOUSE, messages[0])
		self.assertIn("3", messages[0])  # the shortfall

		result = get_shortages(so)
		self.assertEqual(len(result.shortages), 1)
		s = result.shortages[0]
		self.assertEqual((s.required, s.available, s.shortfall, s.rows), (8, 5, 3, [1]))

	def test_quotation_and_delivery_note_warn_too(self):
		item = self.stocked_item("_CP Short Item QD", 1)
		make_selling_doc("Quotation", [{"item_code": item, "qty": 4}])
		self.assertEqual(len(shortage_messages()), 1)

		frappe.local.message_log = []
		make_selling_doc("Delivery Note", [{"item_code": item, "qty": 4}])
		self.assertEqual(len(shortage_messages()), 1)

	def test_enough_stock_is_silent(self):
		item = self.stocked_item("_CP Plenty Item", 50)
		make_selling_doc("Sales Order", [{"item_code": item, "qty": 50}])
		self.assertEqual(shortage_messages(), [])

	def test_block_refuses_save_and_writes_nothing(self):
		self.set_settings(stock_shortage_mode="Block")
		item = self.stocked_item("_CP Block Item", 2)
		before = frappe.db.count("Sales Order")

		with self.assertRaises(StockShortageError) as caught:
			make_selling_doc("Sales Order", [{"item_code": item, "qty": 3}])

		self.assertIn(item, str(caught.exception))
		self.assertEqual(frappe.db.count("Sales Order"), before)

	def test_block_refuses_submit(self):
		item = self.stocked_item("_CP Block Submit Item", 2)
		so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 3}])
		self.set_settings(stock_shortage_mode="Block")

		with self.assertRaises(StockShortageError):
			so.submit()
		self.assertEqual(frappe.db.get_value("Sales Order", so.name, "docstatus"), 0)

	def test_uom_conversion(self):
		item = self.stocked_item("_CP Boxed Item", 25, uoms={"Box": 10})
		so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 3, "uom": "Box"}])
		s = get_shortages(so).shortages[0]
		self.assertEqual((s.required, s.available, s.shortfall), (30, 25, 5))

		frappe.local.message_log = []
		make_selling_doc("Sales Order", [{"item_code": item, "qty": 2, "uom": "Box"}])
		self.assertEqual(shortage_messages(), [])

	def test_same_item_on_several_lines_is_summed(self):
		item = self.stocked_item("_CP Twice Item", 5)
		so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 3}, {"item_code": item, "qty": 3}])
		result = get_shortages(so)
		self.assertEqual(len(result.shortages), 1)
		self.assertEqual((result.shortages[0].required, result.shortages[0].rows), (6, [1, 2]))

	def test_lines_in_different_warehouses_are_separate(self):
		item = self.stocked_item("_CP Two Warehouses", 5)
		so = make_selling_doc(
			"Sales Order",
			[{"item_code": item, "qty": 3}, {"item_code": item, "qty": 3, "warehouse": OTHER_WAREHOUSE}],
		)
		result = get_shortages(so)
		self.assertEqual([(s.warehouse, s.shortfall) for s in result.shortages], [(OTHER_WAREHOUSE, 3)])

	def test_bundle_is_checked_through_components(self):
		self.stocked_item("_CP Part A", 3)
		self.stocked_item("_CP Part B", 10)
		bundle = make_bundle("_CP Bundle", {"_CP Part A": 2, "_CP Part B": 1})

		so = make_selling_doc("Sales Order", [{"item_code": bundle, "qty": 2}])
		result = get_shortages(so)
		self.assertEqual(
			[(s.item_code, s.required, s.available) for s in result.shortages], [("_CP Part A", 4, 3)]
		)
		self.assertIn("_CP Part A", shortage_messages()[0])

	def test_non_stock_item_is_skipped(self):
		item = make_item("_CP Service Item", is_stock_item=0)
		make_selling_doc("Sales Order", [{"item_code": item, "qty": 100}])
		self.assertEqual(shortage_messages(), [])

	def test_drop_ship_line_is_skipped(self):
		item = make_item("_CP Drop Ship Item")
		so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 5}], save=False)
		so.items[0].delivered_by_supplier = 1
		self.assertFalse(get_shortages(so))

	def test_missing_warehouse_falls_back_to_item_default_or_is_reported_unchecked(self):
		with_default = self.stocked_item("_CP Default WH Item", 1, default_warehouse=WAREHOUSE)
		without_default = make_item("_CP No WH Item")
		# ERPNext gives new items the Stock Settings warehouse; this one has none
		frappe.db.set_value("Item Default", {"parent": without_default}, "default_warehouse", None)
		so = make_selling_doc(
			"Sales Order",
			[
				{"item_code": with_default, "qty": 2, "warehouse": None},
				{"item_code": without_default, "qty": 2, "warehouse": None},
			],
			save=False,
		)
		result = get_shortages(so)
		self.assertEqual([(s.item_code, s.warehouse) for s in result.shortages], [(with_default, WAREHOUSE)])
		self.assertEqual([(u["item_code"], u["idx"]) for u in result.unchecked], [(without_default, 2)])

	def test_quotation_for_unknown_item_is_left_to_erpnext(self):
		quotation = make_selling_doc("Quotation", [{"item_code": "_CP No Such Item", "qty": 1}], save=False)
		self.assertFalse(get_shortages(quotation))

	def test_reserved_stock_counts_and_projected_basis_counts_incoming(self):
		item = self.stocked_item("_CP Reserved Item", 5)
		make_selling_doc("Sales Order", [{"item_code": item, "qty": 4}]).submit()  # reserves 4

		so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 2}], save=False)
		self.assertEqual(get_shortages(so).shortages[0].available, 1)

		mr = frappe.get_doc(
			{
				"doctype": "Material Request",
				"material_request_type": "Purchase",
				"company": COMPANY,
				"transaction_date": nowdate(),
				"schedule_date": add_days(nowdate(), 3),
				"items": [
					{
						"item_code": item,
						"qty": 10,
						"warehouse": WAREHOUSE,
						"schedule_date": add_days(nowdate(), 3),
					}
				],
			}
		)
		mr.insert()
		mr.submit()
		self.assertFalse(get_shortages(so, basis="Projected Quantity"))
		self.assertTrue(get_shortages(so, basis="Actual minus Reserved"))

	def test_delivery_note_from_order_uses_the_orders_own_reservation(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

		item = self.stocked_item("_CP DN Item", 5)
		so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 5}])
		so.submit()
		frappe.local.message_log = []

		dn = make_delivery_note(so.name)
		dn.insert()
		self.assertEqual(shortage_messages(), [])

		dn.items[0].qty = 6  # one more than the order reserved and the shelf holds
		self.assertEqual(get_shortages(dn).shortages[0].shortfall, 1)


class TestStockShortageOff(StockShortageTestCase):
	def test_off_leaves_erpnext_unchanged(self):
		self.set_settings(stock_shortage_mode="Off")
		item = self.stocked_item("_CP Off Item", 1)
		so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 10}])
		so.submit()

		self.assertEqual(shortage_messages(), [])
		self.assertEqual(so.docstatus, 1)
		self.assertFalse(frappe.db.exists("Notification Log", {"document_name": so.name}))
		with self.assertQueryCount(0):
			check_stock_shortage(so)

	def test_doctype_switch(self):
		self.set_settings(check_quotation=0)
		item = self.stocked_item("_CP Quotation Off Item", 1)
		make_selling_doc("Quotation", [{"item_code": item, "qty": 10}])
		self.assertEqual(shortage_messages(), [])


class TestStockManagerNotification(StockShortageTestCase):
	def make_stock_manager(self) -> str:
		email = "_cp_stock_manager@example.com"
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{"doctype": "User", "email": email, "first_name": "Stock", "send_welcome_email": 0}
			)
			user.insert(ignore_permissions=True)
			user.add_roles("Stock Manager")
		return email

	def test_submitting_a_short_order_notifies_stock_managers_once(self):
		manager = self.make_stock_manager()
		item = self.stocked_item("_CP Notify Item", 1)
		so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 3}])
		so.submit()

		logs = frappe.get_all(
			"Notification Log",
			filters={"for_user": manager, "document_type": "Sales Order", "document_name": so.name},
			fields=["subject", "type"],
		)
		self.assertEqual(len(logs), 1)
		self.assertIn(so.name, logs[0].subject)
		self.assertIn(item, logs[0].subject)
		self.assertEqual(frappe.db.get_value("Sales Order", so.name, "crm_plus_shortage_notified"), 1)

		so.reload()
		so.flags.crm_plus_shortages = get_shortages(so)
		from crm_plus.stock.shortage import notify_stock_managers

		notify_stock_managers(so)
		self.assertEqual(
			frappe.db.count("Notification Log", {"for_user": manager, "document_name": so.name}), 1
		)

	def test_order_with_enough_stock_notifies_nobody(self):
		self.make_stock_manager()
		item = self.stocked_item("_CP Quiet Item", 10)
		so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 3}])
		so.submit()
		self.assertFalse(frappe.db.exists("Notification Log", {"document_name": so.name}))


class TestStockShortageQueries(StockShortageTestCase):
	def order_with_lines(self, count: int):
		items = [make_item(f"_CP Many {i:03d}") for i in range(count)]
		return make_selling_doc("Sales Order", [{"item_code": code, "qty": 1} for code in items], save=False)

	def test_two_queries_at_5_and_200_lines(self):
		frappe.get_cached_doc(SETTINGS)  # settings come from the cache after the first read
		for count in (5, 200):
			so = self.order_with_lines(count)
			with self.assertQueryCount(2):
				result = get_shortages(so)
			self.assertEqual(len(result.shortages), count)


class TestStockShortageAPI(StockShortageTestCase):
	def test_form_call_returns_short_rows(self):
		item = self.stocked_item("_CP API Item", 1)
		so = make_selling_doc("Sales Order", [{"item_code": item, "qty": 2}], save=False)
		values = so.as_dict()
		values["__islocal"] = 1

		result = get_stock_shortages(json.dumps(values, default=str))
		self.assertEqual(result["mode"], "Warn")
		self.assertEqual(result["shortages"][0]["row_names"], [so.items[0].name])
		self.assertEqual(result["shortages"][0]["shortfall"], 1)

	def test_user_without_sales_permission_is_refused(self):
		so = make_selling_doc("Sales Order", [{"item_code": make_item("_CP API Item 2"), "qty": 2}])
		email = "_cp_no_sales@example.com"
		if not frappe.db.exists("User", email):
			frappe.get_doc(
				{"doctype": "User", "email": email, "first_name": "Nobody", "send_welcome_email": 0}
			).insert(ignore_permissions=True)
		frappe.set_user(email)
		try:
			with self.assertRaises(frappe.PermissionError):
				get_stock_shortages(json.dumps(so.as_dict(), default=str))
		finally:
			frappe.set_user("Administrator")

	def test_other_doctypes_are_refused(self):
		with self.assertRaises(frappe.ValidationError):
			get_stock_shortages({"doctype": "User", "name": "Administrator"})
