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
	prepare_zh()
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


# --- Chinese-first flows (issue 13) ------------------------------------------------------------

ZH_USER = "cp.zh.user@example.com"
ZH_PASSWORD = "Zh-Flows-2026!"
ZH_COMPANY = "华东机电有限公司"
ZH_CUSTOMER = "上海恒通贸易有限公司"
ZH_OTHER_CUSTOMER = "杭州新达科技有限公司"  # the lead's company: suggested by the convert dialog
ZH_LEAD = "张伟"
ZH_LEAD_COMPANY = "杭州新达科技有限公司"
ZH_ITEM = "离心水泵"
ZH_PART = "机械密封件"
ZH_SERVICE_PERSON = "王师傅"
ZH_PRICE_LIST = "标准销售价"
ZH_CUSTOMER_GROUP = "华东客户"
ZH_BOSS, ZH_BUYER = "王经理", "李采购"  # 李采购 reports to 王经理
ZH_COMPETITOR = "苏州泵业"


def prepare_zh() -> dict:
	"""A Chinese company (CNY) and a zh user who sells, serves and collects there, with the
	records the zh browser flows start from."""
	frappe.set_user("Administrator")
	company = make_cny_company()
	warehouse = frappe.db.get_value("Warehouse", {"company": company, "is_group": 0, "warehouse_name": "Stores"})
	make_user(ZH_USER, ["Sales User", "Sales Manager", "Service Clerk", "Accounts User", "Stock User", "Marketing Manager"], password=ZH_PASSWORD)
	frappe.db.set_value("User", ZH_USER, "language", "zh")
	# the user's default company, under the key Session Defaults sets ("company"; the keys
	# match without case in MariaDB, so an earlier "Company" row is replaced, not kept)
	frappe.db.delete("DefaultValue", {"parent": ZH_USER, "defkey": "company"})
	frappe.defaults.set_user_default("company", company, ZH_USER)
	frappe.clear_cache(user=ZH_USER)
	if not frappe.db.exists("Customer Group", ZH_CUSTOMER_GROUP):
		frappe.get_doc({"doctype": "Customer Group", "customer_group_name": ZH_CUSTOMER_GROUP, "parent_customer_group": "All Customer Groups"}).insert()
	for name in (ZH_CUSTOMER, ZH_OTHER_CUSTOMER):
		if not frappe.db.exists("Customer", name):
			frappe.get_doc(
				{"doctype": "Customer", "customer_name": name, "customer_group": "All Customer Groups", "territory": "All Territories", "language": "zh"}
			).insert()
	if not frappe.db.get_value("Lead", {"lead_name": ZH_LEAD}):
		frappe.get_doc({"doctype": "Lead", "lead_name": ZH_LEAD, "company_name": ZH_LEAD_COMPANY, "company": company}).insert()
	for code, stock in ((ZH_ITEM, 0), (ZH_PART, 1)):
		if not frappe.db.exists("Item", code):
			frappe.get_doc(
				{"doctype": "Item", "item_code": code, "item_name": code, "item_group": "All Item Groups", "stock_uom": "Nos", "is_stock_item": stock,
				 "item_defaults": [{"company": company, "default_warehouse": warehouse}]}
			).insert()
	frappe.db.set_value("Item", ZH_ITEM, "is_stock_item", 1)
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	for code in (ZH_ITEM, ZH_PART):
		if not frappe.db.get_value("Bin", {"item_code": code, "warehouse": warehouse}, "actual_qty"):
			make_stock_entry(item_code=code, target=warehouse, qty=3, basic_rate=100, company=company)
	if not frappe.db.exists("Price List", ZH_PRICE_LIST):
		frappe.get_doc({"doctype": "Price List", "price_list_name": ZH_PRICE_LIST, "currency": "CNY", "selling": 1}).insert()
	for code, rate in ((ZH_ITEM, 1200), (ZH_PART, 80)):
		if not frappe.db.exists("Item Price", {"item_code": code, "price_list": ZH_PRICE_LIST}):
			frappe.get_doc({"doctype": "Item Price", "item_code": code, "price_list": ZH_PRICE_LIST, "price_list_rate": rate}).insert()
	for name in (ZH_CUSTOMER, ZH_OTHER_CUSTOMER):
		frappe.db.set_value("Customer", name, {"default_price_list": ZH_PRICE_LIST, "default_currency": "CNY", "customer_group": ZH_CUSTOMER_GROUP})
	if not frappe.db.exists("Sales Person", ZH_SERVICE_PERSON):
		frappe.get_doc({"doctype": "Sales Person", "sales_person_name": ZH_SERVICE_PERSON, "parent_sales_person": "Sales Team"}).insert()
	if not frappe.db.exists("Sales Order", {"customer": ZH_CUSTOMER, "docstatus": 1}):
		from frappe.utils import add_days, nowdate

		order = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"company": company,
				"customer": ZH_CUSTOMER,
				"currency": "CNY",
				"selling_price_list": ZH_PRICE_LIST,
				"delivery_date": add_days(nowdate(), 3),
				"items": [{"item_code": ZH_ITEM, "qty": 1, "warehouse": warehouse, "delivery_date": add_days(nowdate(), 3)}],
			}
		).insert()
		order.submit()
	make_zh_opportunity(company)
	settings = frappe.get_single("CRM Plus Settings")
	settings.update({"repair_labour_item": ZH_PART, "stock_shortage_mode": "Warn"})
	settings.save()
	frappe.db.commit()  # command-line fixture, read by the browser afterwards
	return {"company": company, "warehouse": warehouse}


def make_zh_contacts_and_competitor() -> None:
	"""王经理 and 李采购 (reporting to him) at the customer; a follow-up with 李采购 that
	heard of the competitor 苏州泵业."""
	contacts = {}
	for first_name, boss in ((ZH_BOSS, None), (ZH_BUYER, ZH_BOSS)):
		name = frappe.db.get_value("Contact", {"first_name": first_name})
		if not name:
			name = frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": first_name,
					"designation": "采购经理" if boss else "总经理",
					"crm_plus_reports_to": contacts.get(boss),
					"links": [{"link_doctype": "Customer", "link_name": ZH_CUSTOMER}],
				}
			).insert().name
		contacts[first_name] = name
	if not frappe.db.exists("Competitor", ZH_COMPETITOR):
		frappe.get_doc({"doctype": "Competitor", "competitor_name": ZH_COMPETITOR}).insert()
	if not frappe.db.exists("Customer Follow Up", {"contact": contacts[ZH_BUYER]}):
		frappe.get_doc(
			{
				"doctype": "Customer Follow Up",
				"party_type": "Customer",
				"customer": ZH_CUSTOMER,
				"contact": contacts[ZH_BUYER],
				"follow_up_type": "Phone",
				"summary": "客户说苏州泵业报价更低",
				"competitor": ZH_COMPETITOR,
			}
		).insert()


def make_zh_opportunity(company: str) -> None:
	"""An opportunity closing this month in a stage with a default probability, for the
	forecast, against the competitor."""
	from frappe.utils import nowdate

	make_zh_contacts_and_competitor()
	if frappe.db.exists("Opportunity", {"party_name": ZH_CUSTOMER, "company": company}):
		return
	if not frappe.db.exists("Sales Stage", "_CP 方案报价"):
		frappe.get_doc({"doctype": "Sales Stage", "stage_name": "_CP 方案报价", "crm_plus_probability": 60}).insert()
	frappe.get_doc(
		{
			"doctype": "Opportunity",
			"opportunity_from": "Customer",
			"party_name": ZH_CUSTOMER,
			"company": company,
			"currency": "CNY",
			"opportunity_amount": 50000,
			"sales_stage": "_CP 方案报价",
			"expected_closing": nowdate(),
			"crm_plus_sales_person": ZH_SERVICE_PERSON,
			"competitors": [{"competitor": ZH_COMPETITOR}],
		}
	).insert()


def make_cny_company() -> str:
	if not frappe.db.exists("Company", ZH_COMPANY):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": ZH_COMPANY,
				"abbr": "HDJD",
				"default_currency": "CNY",
				"country": "China",
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert()
	return ZH_COMPANY
