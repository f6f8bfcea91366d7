"""Sales with known answers for the analytics reports' tests, January to June 2026 on the
test company (nothing else on the test site falls in those months).

Item A costs 60 and item B 30 (one receipt each on 1 January, moving average).

	invoice  customer  territory  sales person  date        lines               revenue  cost  profit
	I1       North 1   North      SP North      2026-01-10  A 2 x 100               200   120      80
	I2       South 1   South      SP South      2026-01-20  B 5 x 50                250   150     100
	I3       North 1   North      SP North      2026-02-15  A 1 x 100, B 2 x 50     200   120      80
	I4       North 2   North      SP North      2026-03-05  A 3 x 90                270   180      90
	I5       South 1   South      SP South      2026-05-25  B 1 x 50                 50    30      20
	                                                                                  970   600     370

I1 is paid in full. North 2 has a quotation that became Sales Order SO1 (SP North,
2026-03-01); North 1 has a quotation marked lost. SP North's target for 2026 is 1,200, 10 % of it in each month
from January to June (720 for the six months).
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from crm_plus.tests.factories import (
	COMPANY,
	WAREHOUSE,
	make_item,
	make_monthly_distribution,
	make_dated_sales_invoice,
	make_sales_person,
	make_territory,
	make_territory_customer,
	receive_stock,
)

FROM_DATE, TO_DATE = "2026-01-01", "2026-06-30"
NORTH, SOUTH = "_CP North", "_CP South"
SP_NORTH, SP_SOUTH = "_CP SP North", "_CP SP South"
NORTH_1, NORTH_2, SOUTH_1 = "_CP North Customer 1", "_CP North Customer 2", "_CP South Customer 1"
ITEM_A, ITEM_B = "_CP Analytics Item A", "_CP Analytics Item B"
LOST_REASON = "_CP Too expensive"
DISTRIBUTION = "_CP First Half Heavy"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


class AnalyticsTestCase(FrappeTestCase):
	"""The analytics reports' tests: the known sales made once per class, each test back
	to Administrator afterwards."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_known_sales()

	def tearDown(self):
		frappe.set_user("Administrator")


def make_known_sales() -> dict:
	make_territory(NORTH)
	make_territory(SOUTH)
	make_monthly_distribution(DISTRIBUTION, {m: 10 if i < 6 else 40 / 6 for i, m in enumerate(MONTHS)})
	make_sales_person(
		SP_NORTH, targets=[{"fiscal_year": "2026", "target_amount": 1200, "distribution_id": DISTRIBUTION}]
	)
	make_sales_person(SP_SOUTH)
	make_territory_customer(NORTH_1, NORTH, SP_NORTH)
	make_territory_customer(NORTH_2, NORTH, SP_NORTH)
	make_territory_customer(SOUTH_1, SOUTH, SP_SOUTH)
	make_item(ITEM_A)
	make_item(ITEM_B)
	receive_stock(ITEM_A, 100, 60, "2026-01-01")
	receive_stock(ITEM_B, 100, 30, "2026-01-01")

	invoices = {
		"I1": make_dated_sales_invoice(NORTH_1, [(ITEM_A, 2, 100)], "2026-01-10", SP_NORTH),
		"I2": make_dated_sales_invoice(SOUTH_1, [(ITEM_B, 5, 50)], "2026-01-20", SP_SOUTH),
		"I3": make_dated_sales_invoice(NORTH_1, [(ITEM_A, 1, 100), (ITEM_B, 2, 50)], "2026-02-15", SP_NORTH),
		"I4": make_dated_sales_invoice(NORTH_2, [(ITEM_A, 3, 90)], "2026-03-05", SP_NORTH),
		"I5": make_dated_sales_invoice(SOUTH_1, [(ITEM_B, 1, 50)], "2026-05-25", SP_SOUTH),
	}
	pay(invoices["I1"], "2026-01-31")
	won = make_quotation(NORTH_2, "2026-02-20")
	order_from(won, "2026-03-01", SP_NORTH)
	lost = make_quotation(NORTH_1, "2026-02-25")
	if not frappe.db.exists("Quotation Lost Reason", LOST_REASON):
		frappe.get_doc({"doctype": "Quotation Lost Reason", "order_lost_reason": LOST_REASON}).insert()
	lost.declare_enquiry_lost([{"lost_reason": LOST_REASON}], [])
	return invoices


def pay(invoice, posting_date: str) -> None:
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	pe = get_payment_entry("Sales Invoice", invoice.name)
	pe.posting_date = posting_date
	pe.reference_no, pe.reference_date = invoice.name, posting_date
	pe.insert()
	pe.submit()


def make_quotation(customer: str, date: str):
	q = frappe.new_doc("Quotation")
	q.update(
		{
			"company": COMPANY,
			"quotation_to": "Customer",
			"party_name": customer,
			"territory": frappe.db.get_value("Customer", customer, "territory"),
			"transaction_date": date,
			"valid_till": "2026-12-31",
			"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"selling_price_list": "Standard Selling",
		}
	)
	q.append("items", {"item_code": ITEM_A, "qty": 1, "rate": 100, "warehouse": WAREHOUSE})
	q.insert()
	q.submit()
	return q


def order_from(quotation, date: str, sales_person: str):
	from erpnext.selling.doctype.quotation.quotation import make_sales_order

	so = make_sales_order(quotation.name)
	so.transaction_date = date
	so.delivery_date = "2026-03-10"
	for item in so.items:
		item.delivery_date = so.delivery_date
	so.set("payment_schedule", [])  # recomputed from the order date
	so.set("sales_team", [{"sales_person": sales_person, "allocated_percentage": 100}])
	so.insert()
	so.submit()
	return so


def filters(**values) -> dict:
	return {"company": COMPANY, "from_date": FROM_DATE, "to_date": TO_DATE, **values}


def add_more_sales(count: int) -> None:
	"""`count` more invoices on new customers and both items, for query counts at a second size."""
	for i in range(count):
		customer = make_territory_customer(f"_CP Extra Customer {i}", NORTH if i % 2 else SOUTH, SP_NORTH)
		make_dated_sales_invoice(customer, [(ITEM_A, 1, 100), (ITEM_B, 1, 50)], f"2026-0{i % 6 + 1}-2{i % 8}", SP_NORTH)


def count_queries(fn) -> int:
	"""How many SQL queries fn() runs."""
	queries = []
	original = frappe.db.__class__.sql

	def counting(self, *args, **kwargs):
		queries.append(args[0] if args else kwargs.get("query"))
		return original(self, *args, **kwargs)

	frappe.db.__class__.sql = counting
	try:
		fn()
	finally:
		frappe.db.__class__.sql = original
	return len(queries)


def restricted_user(email: str, territory: str) -> str:
	"""A Sales Manager / Accounts Manager whose user permissions allow one territory."""
	if not frappe.db.exists("User", email):
		user = frappe.get_doc({"doctype": "User", "email": email, "first_name": "Analytics", "send_welcome_email": 0})
		user.insert(ignore_permissions=True)
		user.add_roles("Sales Manager", "Accounts Manager", "Sales User")
	if not frappe.db.exists("User Permission", {"user": email, "allow": "Territory", "for_value": territory}):
		frappe.get_doc({"doctype": "User Permission", "user": email, "allow": "Territory", "for_value": territory}).insert(
			ignore_permissions=True
		)
	return email
