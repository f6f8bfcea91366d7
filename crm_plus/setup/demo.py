"""A usable demo site for `scripts/setup.sh`: company, fiscal year, chart of accounts,
warehouses (through ERPNext's own setup wizard), and one stocked item to try the
stock-shortage warning on. Safe to run again: it only adds what is missing."""

import frappe
from frappe.utils import getdate, nowdate

DEMO_ITEM = "CRM-PLUS-DEMO-WIDGET"


def setup_demo_site(company: str, country: str = "China", currency: str = "CNY") -> None:
	frappe.only_for("System Manager")
	if not frappe.is_setup_complete():
		complete_setup_wizard(company, country, currency)
	company = frappe.db.get_value("Company", {"company_name": company}) or frappe.db.get_single_value(
		"Global Defaults", "default_company"
	)
	if company:
		make_demo_stock(company)
	frappe.db.commit()  # runs from the command line, not in a request


def complete_setup_wizard(company: str, country: str, currency: str) -> None:
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	year = getdate(nowdate()).year
	abbr = "".join(word[0] for word in company.split() if word).upper()[:5] or "DEMO"
	setup_complete(
		{
			"language": "English",
			"country": country,
			"timezone": "Asia/Shanghai" if country == "China" else "UTC",
			"currency": currency,
			"company_name": company,
			"company_abbr": abbr,
			"chart_of_accounts": "Standard",
			"fy_start_date": f"{year}-01-01",
			"fy_end_date": f"{year}-12-31",
			"setup_demo": 0,
		}
	)


def make_demo_stock(company: str) -> None:
	if frappe.db.exists("Item", DEMO_ITEM):
		return
	warehouse = frappe.db.get_value("Warehouse", {"company": company, "is_group": 0, "warehouse_name": "Stores"})
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": DEMO_ITEM,
			"item_name": "Demo Widget",
			"item_group": "All Item Groups",
			"stock_uom": "Nos",
			"is_stock_item": 1,
			"standard_rate": 100,
			"item_defaults": [{"company": company, "default_warehouse": warehouse}],
		}
	).insert()
	if warehouse:
		entry = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"company": company,
				"items": [{"item_code": DEMO_ITEM, "qty": 5, "t_warehouse": warehouse, "basic_rate": 60}],
			}
		)
		entry.insert()
		entry.submit()
