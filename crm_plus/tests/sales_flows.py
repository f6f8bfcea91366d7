"""Every way ERPNext sells, on the test company in July 2026 (nothing else on the test site
falls in that month): the known-answer data of the sales facts' tests, where ERPNext's own
Gross Profit report is the oracle.

	flow                                                    customer  item(s)
	F1  Sales Order -> Delivery Note -> Sales Invoice       C1        M (moving average)
	F2  order delivered in two notes, billed by one invoice C1        F (FIFO)
	F3  one delivery note billed by two invoices           C2        M
	F4  stock-updating invoice, service line, discount      C2        F, S (service)
	    on the grand total; a credit note returning stock
	F5  stock-updating invoice; a credit note without       C3        M
	    stock return
	F6  delivery note, its return, then the invoice         C3        F
	F7  product bundle through a delivery note              C4        B = 1 M + 2 F
	F8  product bundle on a stock-updating invoice          C4        B
	F9  foreign-currency (EUR) stock-updating invoice       C5        M
	F10 invoice with neither stock update nor delivery      C1        M  (ERPNext estimates)
	F11 invoice billed from an order, delivered after       C2        F
	F12 a backdated receipt of M (reposts every sale of M after 3 July)
	F13 batch item on a stock-updating invoice              C3        BT (batches, FIFO)
	F14 serial-numbered item through a delivery note        C4        SN (serial nos)
	F15 drop-ship line (the supplier delivers), bought on   C5        DS (non-stock)
	    a purchase invoice

Sales persons: SP A looks after C1, C2 and C5, SP B after C3 and C4. F1 and F4 belong to
the campaign CAMPAIGN (a Marketing Campaign, with its ERPNext Campaign).
"""

import frappe
from frappe.utils import flt

from crm_plus.tests.factories import (
	COMPANY,
	WAREHOUSE,
	make_bundle,
	make_foreign_customer,
	make_sales_person,
	make_territory_customer,
	receive_stock,
)

FROM_DATE, TO_DATE = "2026-07-01", "2026-07-31"
P = "_CP Flow "
C1, C2, C3, C4, C5 = (f"{P}Customer {n}" for n in range(1, 6))
CUSTOMERS = (C1, C2, C3, C4, C5)
M, F, S, B = f"{P}Moving", f"{P}FIFO", f"{P}Service", f"{P}Bundle"
BT, SN, DS = f"{P}Batch", f"{P}Serial", f"{P}Drop Ship"
ITEMS = (M, F, S, B, BT, SN, DS)
SUPPLIER = f"{P}Supplier"
SP_A, SP_B = f"{P}SP A", f"{P}SP B"
CAMPAIGN = f"{P}Campaign"


def make_item(code: str, valuation_method: str = "", is_stock_item: int = 1, **values) -> str:
	if not frappe.db.exists("Item", code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_name": code,
				"item_group": "All Item Groups",
				"stock_uom": "Nos",
				"is_stock_item": is_stock_item,
				"valuation_method": valuation_method,
				**values,
			}
		).insert(ignore_permissions=True)
	return code


def new_doc(doctype: str, customer: str, date: str, lines: list[tuple], **values):
	doc = frappe.new_doc(doctype)
	doc.update(
		{
			"company": COMPANY,
			"customer": customer,
			"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"conversion_rate": 1,
			"selling_price_list": "Standard Selling",
			"set_posting_time": 1,
			"posting_date": date,
			"posting_time": "10:00:00",
			"transaction_date": date,
			"delivery_date": date,
			"due_date": date,
			**values,
		}
	)
	for item_code, qty, rate, *extra in lines:
		doc.append(
			"items",
			{"item_code": item_code, "qty": qty, "rate": rate, "warehouse": WAREHOUSE, "delivery_date": date, **(extra[0] if extra else {})},
		)
	# the customer's sales team, as the desk fills it in (mapped documents carry it on)
	for member in frappe.get_all(
		"Sales Team", {"parenttype": "Customer", "parent": customer}, ["sales_person", "allocated_percentage"]
	):
		doc.append("sales_team", member)
	doc.insert(ignore_permissions=True)
	doc.submit()
	return doc


def mapped(doc, date: str, submit: bool = True, **values):
	doc.update({"set_posting_time": 1, "posting_date": date, "posting_time": "12:00:00", "due_date": date, **values})
	doc.insert(ignore_permissions=True)
	if submit:
		doc.submit()
	return doc


def make_sales_flows() -> dict:
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return as si_return
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice as so_invoice
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice as dn_invoice
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return as dn_return

	if frappe.db.exists("Item", M):  # made once per site, rolled back with the test class
		return {}
	make_item(M, "Moving Average")
	make_item(F, "FIFO")
	make_item(S, is_stock_item=0)
	make_bundle(B, {M: 1, F: 2})
	make_item(BT, "FIFO", has_batch_no=1, create_new_batch=1, batch_number_series="CPFB-.#####")
	make_item(SN, "FIFO", has_serial_no=1, serial_no_series="CPFS-.#####")
	make_item(DS, is_stock_item=0, delivered_by_supplier=1)
	if not frappe.db.exists("Supplier", SUPPLIER):
		frappe.get_doc({"doctype": "Supplier", "supplier_name": SUPPLIER, "supplier_group": "All Supplier Groups"}).insert(
			ignore_permissions=True
		)
	make_sales_person(SP_A)
	make_sales_person(SP_B)
	for customer, sp in ((C1, SP_A), (C2, SP_A), (C3, SP_B), (C4, SP_B)):
		make_territory_customer(customer, "All Territories", sp)
	make_foreign_customer(C5, "EUR")
	frappe.db.set_value("Customer", C5, "territory", "All Territories")
	if not frappe.db.exists("Marketing Campaign", {"campaign_name": CAMPAIGN}):
		frappe.get_doc(
			{"doctype": "Marketing Campaign", "campaign_name": CAMPAIGN, "company": COMPANY,
				"start_date": FROM_DATE, "purpose": "Product Launch"}
		).insert(ignore_permissions=True)

	receive_stock(M, 40, 40, "2026-07-01")
	receive_stock(F, 10, 30, "2026-07-01")
	receive_stock(F, 10, 50, "2026-07-02")
	receive_stock(F, 20, 60, "2026-07-03")
	receive_stock(BT, 5, 20, "2026-07-01")
	receive_stock(BT, 5, 26, "2026-07-02")
	receive_stock(SN, 3, 300, "2026-07-01")
	make_purchase_invoice(DS, 2, 70, "2026-07-02")

	docs = {}
	# F1
	so = new_doc("Sales Order", C1, "2026-07-05", [(M, 4, 100)], campaign=CAMPAIGN)
	dn = mapped(make_delivery_note(so.name), "2026-07-05")
	docs["F1"] = mapped(dn_invoice(dn.name), "2026-07-06")
	# F2: two deliveries, one invoice
	so = new_doc("Sales Order", C1, "2026-07-06", [(F, 6, 80)])
	dn_a = make_delivery_note(so.name)
	dn_a.items[0].qty = 4
	dn_a = mapped(dn_a, "2026-07-06")
	dn_b = mapped(make_delivery_note(so.name), "2026-07-07")
	si = dn_invoice(dn_a.name)
	si.extend("items", dn_invoice(dn_b.name).items)
	docs["F2"] = mapped(si, "2026-07-08")
	# F3: one delivery, two invoices
	dn = new_doc("Delivery Note", C2, "2026-07-08", [(M, 6, 100)])
	si = dn_invoice(dn.name)
	si.items[0].qty = 4
	docs["F3a"] = mapped(si, "2026-07-09")
	docs["F3b"] = mapped(dn_invoice(dn.name), "2026-07-10")
	# F4: stock-updating, a service line, discount on the grand total, a stock return
	docs["F4"] = new_doc(
		"Sales Invoice", C2, "2026-07-11", [(F, 3, 90), (S, 1, 200)],
		update_stock=1, apply_discount_on="Grand Total", discount_amount=47, campaign=CAMPAIGN,
	)
	ret = si_return(docs["F4"].name)
	ret.items = [i for i in ret.items if i.item_code == F]
	ret.items[0].qty = -1
	docs["F4r"] = mapped(ret, "2026-07-20")
	# F5: a credit note without stock return
	docs["F5"] = new_doc("Sales Invoice", C3, "2026-07-12", [(M, 2, 110)], update_stock=1)
	ret = si_return(docs["F5"].name)
	ret.update_stock = 0
	ret.items[0].qty = -1
	docs["F5r"] = mapped(ret, "2026-07-21")
	# F6: delivery, its return, the invoice of what stayed
	dn = new_doc("Delivery Note", C3, "2026-07-13", [(F, 2, 95)])
	ret = dn_return(dn.name)
	ret.items[0].qty = -1
	mapped(ret, "2026-07-14")
	docs["F6"] = mapped(dn_invoice(dn.name), "2026-07-15")
	# F7, F8: product bundles
	so = new_doc("Sales Order", C4, "2026-07-15", [(B, 2, 300)])
	dn = mapped(make_delivery_note(so.name), "2026-07-15")
	docs["F7"] = mapped(dn_invoice(dn.name), "2026-07-16")
	docs["F8"] = new_doc("Sales Invoice", C4, "2026-07-16", [(B, 1, 310)], update_stock=1)
	# F9: in euros
	docs["F9"] = new_doc(
		"Sales Invoice", C5, "2026-07-17", [(M, 1, 20)], update_stock=1, currency="EUR", conversion_rate=7.1,
		debit_to=frappe.db.get_value("Party Account", {"parent": C5, "company": COMPANY}, "account"),
	)
	# F10: neither stock update nor delivery: ERPNext estimates
	docs["F10"] = new_doc("Sales Invoice", C1, "2026-07-18", [(M, 1, 105)])
	# F11: billed from the order, delivered afterwards
	so = new_doc("Sales Order", C2, "2026-07-18", [(F, 2, 85)])
	docs["F11"] = mapped(so_invoice(so.name), "2026-07-19")
	mapped(make_delivery_note(so.name), "2026-07-22")
	# F13: batches, F14: serial numbers, F15: drop-ship
	docs["F13"] = new_doc("Sales Invoice", C3, "2026-07-23", [(BT, 7, 45)], update_stock=1)
	dn = new_doc("Delivery Note", C4, "2026-07-23", [(SN, 2, 500)])
	docs["F14"] = mapped(dn_invoice(dn.name), "2026-07-24")
	so = new_doc(
		"Sales Order", C5, "2026-07-24", [(DS, 2, 90, {"delivered_by_supplier": 1, "supplier": SUPPLIER})],
		currency="EUR", conversion_rate=7.1,
	)
	docs["F15"] = mapped(
		so_invoice(so.name), "2026-07-25",
		debit_to=frappe.db.get_value("Party Account", {"parent": C5, "company": COMPANY}, "account"),
	)
	# F12: a receipt of M dated 3 July, entered last: ERPNext reposts every later sale of M
	receive_stock(M, 10, 100, "2026-07-03")
	for doc in docs.values():
		doc.reload()
	return {key: doc.name for key, doc in docs.items()}


def make_purchase_invoice(item_code: str, qty: float, rate: float, date: str):
	pi = frappe.new_doc("Purchase Invoice")
	pi.update(
		{
			"company": COMPANY,
			"supplier": SUPPLIER,
			"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"conversion_rate": 1,
			"set_posting_time": 1,
			"posting_date": date,
			"bill_date": date,
			"due_date": date,
		}
	)
	pi.append("items", {"item_code": item_code, "qty": qty, "rate": rate})
	pi.insert(ignore_permissions=True)
	pi.submit()
	return pi


def erpnext_gross_profit(group_by: str) -> dict[str, tuple[float, float]]:
	"""ERPNext's Gross Profit report for July 2026: key -> (revenue, cost of goods)."""
	from erpnext.accounts.report.gross_profit.gross_profit import GrossProfitGenerator

	filters = frappe._dict(company=COMPANY, from_date=FROM_DATE, to_date=TO_DATE, group_by=group_by)
	report = GrossProfitGenerator(filters)
	out = {}
	if group_by == "Invoice":
		for row in report.si_list:
			if row.indent == 0:
				out[row.invoice_or_item] = (flt(row.base_amount, 2), flt(row.buying_amount, 2))
		return out
	field = {"Customer": "customer", "Item Code": "item_code", "Sales Person": "sales_person"}[group_by]
	for row in report.grouped_data:
		out[row.get(field)] = (flt(row.base_amount, 2), flt(row.buying_amount, 2))
	return out
