"""Shared test factories: real ERPNext records on the test site (rolled back per class)."""

import frappe
from frappe.utils import add_days, nowdate

COMPANY = "Wind Power LLC"
WAREHOUSE = "Stores - WP"
OTHER_WAREHOUSE = "Finished Goods - WP"
CUSTOMER = "_CRM Plus Test Customer"


def get_company() -> str:
	return COMPANY


def make_customer(name: str = CUSTOMER) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": "All Customer Groups",
				"territory": "All Territories",
			}
		).insert(ignore_permissions=True)
	return name


def make_item(item_code: str, is_stock_item: int = 1, default_warehouse: str | None = None, uoms=None) -> str:
	if frappe.db.exists("Item", item_code):
		return item_code
	item = frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": item_code,
			"item_name": item_code,
			"item_group": "All Item Groups",
			"stock_uom": "Nos",
			"is_stock_item": is_stock_item,
			"uoms": [{"uom": "Nos", "conversion_factor": 1}] + [
				{"uom": uom, "conversion_factor": cf} for uom, cf in (uoms or {}).items()
			],
			"item_defaults": [{"company": COMPANY, "default_warehouse": default_warehouse}]
			if default_warehouse
			else [],
		}
	)
	item.insert(ignore_permissions=True)
	return item_code


def make_bundle(parent: str, components: dict[str, float]) -> str:
	make_item(parent, is_stock_item=0)
	if not frappe.db.exists("Product Bundle", {"new_item_code": parent}):
		frappe.get_doc(
			{
				"doctype": "Product Bundle",
				"new_item_code": parent,
				"items": [{"item_code": code, "qty": qty} for code, qty in components.items()],
			}
		).insert(ignore_permissions=True)
	return parent


def add_stock(item_code: str, qty: float, warehouse: str = WAREHOUSE, rate: float = 10, posting_date=None) -> None:
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	extra = {"posting_date": posting_date, "set_posting_time": 1} if posting_date else {}
	make_stock_entry(item_code=item_code, target=warehouse, qty=qty, basic_rate=rate, company=COMPANY, **extra)


def make_selling_doc(doctype: str, lines: list[dict], save: bool = True, **values):
	"""A Quotation, Sales Order or Delivery Note for the test customer.

	lines: dicts with item_code, qty and optionally warehouse, uom, delivered_by_supplier.
	"""
	make_customer()
	doc = frappe.new_doc(doctype)
	doc.company = COMPANY
	doc.currency = frappe.get_cached_value("Company", COMPANY, "default_currency")
	doc.selling_price_list = "Standard Selling"
	if doctype == "Quotation":
		doc.quotation_to = "Customer"
		doc.party_name = CUSTOMER
		doc.valid_till = add_days(nowdate(), 30)
	else:
		doc.customer = CUSTOMER
	if doctype == "Sales Order":
		doc.delivery_date = add_days(nowdate(), 7)
	for line in lines:
		row = {"rate": 100, **line}
		if "warehouse" not in row:
			row["warehouse"] = WAREHOUSE
		if doctype == "Sales Order":
			row.setdefault("delivery_date", doc.delivery_date)
		doc.append("items", row)
	doc.update(values)
	if save:
		doc.insert()
	return doc


# --- relationship (follow-ups, leads, users) --------------------------------------------


def make_user(email: str, roles: list[str] | None = None, user_type: str = "System User", password: str | None = None) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"user_type": user_type,
				"send_welcome_email": 0,
			}
		)
		user.insert(ignore_permissions=True)
		if roles:
			user.add_roles(*roles)
	if password:
		from frappe.utils.password import update_password

		update_password(email, password)
	return email


def make_lead(name: str) -> str:
	existing = frappe.db.get_value("Lead", {"lead_name": name})
	if existing:
		return existing
	lead = frappe.get_doc({"doctype": "Lead", "lead_name": name, "company_name": name, "company": COMPANY})
	lead.insert(ignore_permissions=True)
	return lead.name


def make_follow_up(party: str, party_type: str = "Customer", **values):
	from frappe.utils import add_to_date, now_datetime

	doc = frappe.get_doc(
		{
			"doctype": "Customer Follow Up",
			"party_type": party_type,
			{"Customer": "customer", "Lead": "lead", "Prospect": "prospect"}[party_type]: party,
			"summary": "Called about the new catalogue",
			"follow_up_type": "Phone",
			**values,
		}
	)
	if values.get("next_action") and "next_follow_up_on" not in values:
		doc.next_follow_up_on = add_to_date(now_datetime(), days=2)
	doc.insert()
	return doc


def make_sales_invoice(customer: str, item_code: str, qty: float = 1, rate: float = 100, submit: bool = True, **values):
	make_customer(customer)
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": COMPANY,
			"customer": customer,
			"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"selling_price_list": "Standard Selling",
			"items": [{"item_code": item_code, "qty": qty, "rate": rate, "warehouse": WAREHOUSE}],
			**values,
		}
	)
	invoice.insert()
	if submit:
		invoice.submit()
	return invoice


# --- after-sales service (complaints, repair orders) ---------------------------------------


def make_complaint(customer: str = CUSTOMER, **values):
	make_customer(customer)
	doc = frappe.get_doc(
		{
			"doctype": "Customer Complaint",
			"customer": customer,
			"subject": "The pump leaks",
			"description": "Water on the floor after an hour.",
			"severity": "Medium",
			**values,
		}
	)
	doc.insert()
	return doc


def make_serial_no(serial_no: str, item_code: str, **values) -> str:
	if not frappe.db.exists("Serial No", serial_no):
		frappe.get_doc({"doctype": "Serial No", "serial_no": serial_no, "item_code": item_code}).insert(ignore_permissions=True)
	if values:
		frappe.db.set_value("Serial No", serial_no, values)
	return serial_no


def make_repair_order(customer: str = CUSTOMER, item_code: str = "_CP Repair Device", save: bool = True, **values):
	make_customer(customer)
	make_item(item_code, is_stock_item=0)
	doc = frappe.get_doc(
		{
			"doctype": "Repair Order",
			"customer": customer,
			"company": COMPANY,
			"item_code": item_code,
			"fault_description": "Does not switch on",
			**values,
		}
	)
	if save:
		doc.insert()
	return doc
# --- analytics (CRM analytics reports and their benchmark) -------------------------------


def set_churn_thresholds(values: dict) -> dict:
	"""Set CRM Plus Settings' lifecycle days (churn_at_risk_days, churn_lost_days, ...) and
	drop the cached settings; returns the values they had, to set them back."""
	before = {k: frappe.db.get_single_value("CRM Plus Settings", k) for k in values}
	frappe.db.set_single_value("CRM Plus Settings", values)
	frappe.clear_document_cache("CRM Plus Settings", "CRM Plus Settings")
	return before


def make_territory(name: str, parent: str = "All Territories") -> str:
	if not frappe.db.exists("Territory", name):
		frappe.get_doc({"doctype": "Territory", "territory_name": name, "parent_territory": parent}).insert(
			ignore_permissions=True
		)
	return name


def make_sales_person(name: str, targets: list[dict] | None = None) -> str:
	if not frappe.db.exists("Sales Person", name):
		frappe.get_doc(
			{
				"doctype": "Sales Person",
				"sales_person_name": name,
				"parent_sales_person": "Sales Team",
				"is_group": 0,
				"enabled": 1,
				"targets": targets or [],
			}
		).insert(ignore_permissions=True)
	return name


def make_monthly_distribution(name: str, percentages: dict[str, float]) -> str:
	"""percentages: month name ("January", ...) -> percent; the twelve add up to 100."""
	if not frappe.db.exists("Monthly Distribution", name):
		frappe.get_doc(
			{
				"doctype": "Monthly Distribution",
				"distribution_id": name,
				"percentages": [{"month": m, "percentage_allocation": p} for m, p in percentages.items()],
			}
		).insert(ignore_permissions=True)
	return name


def make_territory_customer(name: str, territory: str, sales_person: str | None = None) -> str:
	"""A customer in `territory`, looked after by `sales_person` (its Sales Team)."""
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": "All Customer Groups",
				"territory": territory,
				"sales_team": [{"sales_person": sales_person, "allocated_percentage": 100}] if sales_person else [],
			}
		).insert(ignore_permissions=True)
	return name


def receive_stock(item_code: str, qty: float, rate: float, posting_date: str, warehouse: str = WAREHOUSE) -> None:
	"""A backdated Material Receipt, so sales after `posting_date` have a known cost."""
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	make_stock_entry(
		item_code=item_code,
		target=warehouse,
		qty=qty,
		basic_rate=rate,
		company=COMPANY,
		posting_date=posting_date,
		posting_time="00:00:00",
		set_posting_time=1,
	)


def make_dated_sales_invoice(
	customer: str,
	lines: list[tuple[str, float, float]],
	posting_date: str,
	sales_person: str | None = None,
	update_stock: int = 1,
	submit: bool = True,
):
	"""A submitted Sales Invoice dated `posting_date` that takes its lines
	(item_code, qty, rate) out of the test warehouse."""
	si = frappe.new_doc("Sales Invoice")
	territory, customer_group = frappe.db.get_value("Customer", customer, ["territory", "customer_group"])
	si.update(
		{
			"company": COMPANY,
			"customer": customer,
			"territory": territory,  # as the desk fetches them from the customer
			"customer_group": customer_group,
			"posting_date": posting_date,
			"set_posting_time": 1,
			"due_date": posting_date,
			"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"selling_price_list": "Standard Selling",
			"update_stock": update_stock,
		}
	)
	for item_code, qty, rate in lines:
		si.append("items", {"item_code": item_code, "qty": qty, "rate": rate, "warehouse": WAREHOUSE})
	si.set("sales_team", [])
	if sales_person:
		si.append("sales_team", {"sales_person": sales_person, "allocated_percentage": 100})
	si.insert(ignore_permissions=True)
	if submit:
		si.submit()
	return si


# --- contracts, receivables (issue 5) ----------------------------------------------------


def make_contract_document(customer: str = CUSTOMER, start=None, end=None, value: float = 1000, milestones=None, submit: bool = True, **values):
	make_customer(customer)
	start = start or nowdate()
	doc = frappe.get_doc(
		{
			"doctype": "Contract Document",
			"customer": customer,
			"company": COMPANY,
			"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"contract_value": value,
			"signing_date": start,
			"start_date": start,
			"end_date": end or add_days(start, 365),
			"milestones": milestones or [],
			**values,
		}
	)
	doc.insert()
	if submit:
		doc.submit()
	return doc


def make_foreign_receivable_account(currency: str = "EUR") -> str:
	name = f"_CP Debtors {currency} - WP"
	if not frappe.db.exists("Account", name):
		parent = frappe.db.get_value(
			"Account", {"company": COMPANY, "account_type": "Receivable", "is_group": 0}, "parent_account"
		)
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": f"_CP Debtors {currency}",
				"company": COMPANY,
				"parent_account": parent,
				"account_type": "Receivable",
				"account_currency": currency,
			}
		).insert(ignore_permissions=True)
	return name


def make_foreign_customer(name: str, currency: str = "EUR") -> str:
	account = make_foreign_receivable_account(currency)
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_group": "All Customer Groups",
				"territory": "All Territories",
				"default_currency": currency,
				"accounts": [{"company": COMPANY, "account": account}],
			}
		).insert(ignore_permissions=True)
	return name


def make_payment_terms_template(name: str = "_CP Half Now Half Later") -> str:
	if not frappe.db.exists("Payment Terms Template", name):
		frappe.get_doc(
			{
				"doctype": "Payment Terms Template",
				"template_name": name,
				"terms": [
					{"invoice_portion": 50, "due_date_based_on": "Day(s) after invoice date", "credit_days": 0, "description": "now"},
					{"invoice_portion": 50, "due_date_based_on": "Day(s) after invoice date", "credit_days": 45, "description": "later"},
				],
			}
		).insert(ignore_permissions=True)
	return name


def make_receivable_invoice(customer: str, item_code: str, rate: float, posting_date=None, due_date=None, currency=None, conversion_rate: float = 1, **values):
	"""A submitted Sales Invoice, possibly dated in the past and in a foreign currency."""
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": COMPANY,
			"customer": customer,
			"currency": currency or frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"conversion_rate": conversion_rate,
			"selling_price_list": "Standard Selling",
			"items": [{"item_code": item_code, "qty": 1, "rate": rate, "warehouse": WAREHOUSE}],
			"update_stock": 0,
			**values,
		}
	)
	if posting_date:
		doc.set_posting_time = 1
		doc.posting_date = posting_date
	if due_date:
		doc.due_date = due_date
	if currency and currency != frappe.get_cached_value("Company", COMPANY, "default_currency"):
		doc.debit_to = make_foreign_receivable_account(currency)
		doc.plc_conversion_rate = conversion_rate
	doc.insert()
	doc.submit()
	return doc


def make_payment(invoice: str, amount: float, posting_date=None, exchange_rate: float | None = None):
	"""A Payment Entry receiving `amount` (in the invoice's currency) against it."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	pe = get_payment_entry("Sales Invoice", invoice, party_amount=amount)
	if posting_date:
		pe.posting_date = posting_date
	if exchange_rate:
		pe.source_exchange_rate = exchange_rate
		pe.target_exchange_rate = 1
		pe.received_amount = amount * exchange_rate
		pe.base_paid_amount = amount * exchange_rate
		pe.base_received_amount = amount * exchange_rate
	pe.paid_amount = amount
	if not exchange_rate:
		pe.received_amount = amount
	pe.references[0].allocated_amount = amount
	pe.reference_no = "CP-TEST"
	pe.reference_date = pe.posting_date
	pe.insert()
	pe.submit()
	return pe


def make_credit_note(invoice: str, rate: float, posting_date=None, against_invoice: bool = True):
	"""A credit note returning the invoice's item. against_invoice: it lowers the invoice's
	outstanding (ERPNext's default, Update Outstanding for Self, keeps its own instead)."""
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	note = make_return_doc("Sales Invoice", invoice)
	note.update_outstanding_for_self = 0 if against_invoice else 1
	note.items[0].qty = -1
	note.items[0].rate = rate
	note.calculate_taxes_and_totals()  # ERPNext compares the total with what is open before recalculating
	if posting_date:
		note.set_posting_time = 1
		note.posting_date = posting_date
	note.insert()
	note.submit()
	return note
