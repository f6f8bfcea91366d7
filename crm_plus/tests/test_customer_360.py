import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from crm_plus.api.customer import customer_360
from crm_plus.tests.factories import COMPANY, add_stock, make_customer, make_follow_up, make_item, make_sales_invoice, make_selling_doc, make_user

CUSTOMER_360 = "_CP 360 Customer"


class TestCustomer360(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		make_customer(CUSTOMER_360)
		make_item("_CP 360 Item")
		add_stock("_CP 360 Item", 100, rate=10, posting_date=add_days(nowdate(), -90))

	def test_figures_a_user_would_check_by_hand(self):
		# 2 × 100 today (due in 30 days); 3 × 100 two months ago, due a month ago: overdue
		make_sales_invoice(CUSTOMER_360, "_CP 360 Item", qty=2, update_stock=1, due_date=add_days(nowdate(), 30))
		make_sales_invoice(
			CUSTOMER_360, "_CP 360 Item", qty=3, update_stock=1, set_posting_time=1,
			posting_date=add_days(nowdate(), -60), due_date=add_days(nowdate(), -30),
		)
		so = make_selling_doc("Sales Order", [{"item_code": "_CP 360 Item", "qty": 1}], customer=CUSTOMER_360)
		so.submit()
		opp = frappe.get_doc({"doctype": "Opportunity", "opportunity_from": "Customer", "party_name": CUSTOMER_360, "company": COMPANY, "opportunity_amount": 700})
		opp.insert()
		quotation = make_selling_doc("Quotation", [{"item_code": "_CP 360 Item", "qty": 4}], party_name=CUSTOMER_360)
		quotation.submit()
		make_follow_up(CUSTOMER_360, summary="First call")
		nxt = make_follow_up(CUSTOMER_360, summary="Second call", next_action="Send the contract")

		s = customer_360(CUSTOMER_360, COMPANY)

		self.assertEqual(s["lifetime_revenue"], 500)
		self.assertEqual(s["revenue_last_12_months"], 500)
		self.assertEqual(s["gross_profit"], 500 - 5 * 10)  # 5 units at valuation 10
		self.assertEqual(str(s["last_order_date"]), nowdate())
		self.assertEqual(s["outstanding"], 500)
		self.assertEqual(s["overdue"], 300)
		self.assertEqual((s["open_opportunities"], s["open_opportunity_amount"]), (1, 700))
		self.assertEqual((s["open_quotations"], s["open_quotation_amount"]), (1, 400))
		self.assertEqual(s["next_follow_up_action"], "Send the contract")
		self.assertEqual(str(s["next_follow_up"]), str(nxt.next_follow_up_on))
		self.assertIsNotNone(s["last_follow_up"])

	def test_payment_reduces_outstanding_and_overdue(self):
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		customer = make_customer("_CP 360 Paying Customer")
		invoice = make_sales_invoice(
			customer, "_CP 360 Item", qty=4, set_posting_time=1,
			posting_date=add_days(nowdate(), -40), due_date=add_days(nowdate(), -10),
		)
		payment = get_payment_entry("Sales Invoice", invoice.name)
		payment.paid_amount = payment.received_amount = 150
		payment.references[0].allocated_amount = 150
		payment.reference_no, payment.reference_date = "CP-1", nowdate()
		payment.insert()
		payment.submit()

		s = customer_360(customer, COMPANY)
		self.assertEqual((s["outstanding"], s["overdue"]), (250, 250))

	def test_query_count_is_fixed_at_5_and_500_invoices(self):
		customer = make_customer("_CP 360 Busy Customer")
		invoices = [make_sales_invoice(customer, "_CP 360 Item") for _ in range(5)]
		customer_360(customer, COMPANY)  # warm caches (meta, permissions)

		with self.assertQueryCount(2):
			small = customer_360(customer, COMPANY)
		clone_invoices(invoices[0], 495)
		with self.assertQueryCount(2):
			large = customer_360(customer, COMPANY)
		self.assertEqual((small["lifetime_revenue"], large["lifetime_revenue"]), (500, 50000))
		self.assertEqual(large["outstanding"], 50000)

	def test_stranger_gets_permission_error(self):
		make_customer("_CP 360 Someone Else")
		user = make_user("_cp_restricted_sales@example.com", ["Sales User"])
		frappe.get_doc({"doctype": "User Permission", "user": user, "allow": "Customer", "for_value": "_CP 360 Someone Else"}).insert(ignore_permissions=True)
		frappe.set_user(user)
		try:
			with self.assertRaises(frappe.PermissionError):
				customer_360(CUSTOMER_360)
			self.assertEqual(customer_360("_CP 360 Someone Else", COMPANY)["customer"], "_CP 360 Someone Else")
		finally:
			frappe.set_user("Administrator")


def clone_invoices(invoice, count: int) -> None:
	"""Copies of a submitted invoice with its payment ledger row, written as rows (not
	through the controller, so their sales facts are refreshed as after a data import): a
	long history for the query-count test, quickly."""
	from crm_plus.analytics import facts

	ple = frappe.get_all("Payment Ledger Entry", filters={"voucher_no": invoice.name}, fields=["*"])[0]
	for i in range(count):
		copy = frappe.copy_doc(invoice)
		copy.name = f"{invoice.name}-CP{i:04d}"
		copy.docstatus = 1
		copy.db_insert()
		for row in copy.items:
			row.parent = copy.name
			row.db_insert()
		entry = frappe.get_doc({**ple, "doctype": "Payment Ledger Entry", "name": f"{ple.name}-CP{i:04d}",
			"voucher_no": copy.name, "against_voucher_no": copy.name})
		entry.db_insert()
	facts.refresh([f"{invoice.name}-CP{i:04d}" for i in range(count)])
