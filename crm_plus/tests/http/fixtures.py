"""The actors of the trust-boundary suite and the records they are tried against, made
on the test site as Administrator and committed (the served site must see them).

Two customers, A and B, each with a portal user; a Sales User restricted by User
Permission to customer A (and to the company); a peer Sales User; one user per other
role the app names. Every actor gets an API key: the suite talks to the site as they
would over REST."""

import frappe
from frappe.utils import add_days, add_to_date, now_datetime, nowdate

from crm_plus.tests.factories import COMPANY, WAREHOUSE, add_stock, make_item, make_user

CUSTOMER_A = "_CP HTTP Customer A"
CUSTOMER_B = "_CP HTTP Customer B"
OTHER_COMPANY = "_CP HTTP Other Company"
PARTS_ITEM = "_CP HTTP Part"
OTHER_WAREHOUSE = "Finished Goods - WP"
SERVICE_PERSON = "_CP HTTP Service Person"

# actor key -> (user, roles, user type); Guest has no user
ACTORS = {
	"guest": (None, [], None),
	"portal_a": ("cp.http.portal.a@example.com", ["Customer"], "Website User"),
	"portal_b": ("cp.http.portal.b@example.com", ["Customer"], "Website User"),
	"sales_restricted": ("cp.http.sales.restricted@example.com", ["Sales User"], "System User"),
	"sales_peer": ("cp.http.sales.peer@example.com", ["Sales User"], "System User"),
	"sales_manager": ("cp.http.sales.manager@example.com", ["Sales Manager", "Sales User"], "System User"),
	"service_clerk": ("cp.http.service.clerk@example.com", ["Service Clerk"], "System User"),
	"technician": ("cp.http.technician@example.com", ["Technician"], "System User"),
	"maintenance_user": ("cp.http.maintenance@example.com", ["Maintenance User"], "System User"),
	"accounts_user": ("cp.http.accounts@example.com", ["Accounts User"], "System User"),
	"marketing_manager": ("cp.http.marketing@example.com", ["Marketing Manager"], "System User"),
}
# a second technician, only ever assigned by others
OTHER_TECHNICIAN = "cp.http.technician.two@example.com"


def publish() -> None:
	"""Commit: the served site (another process) reads what this one made."""
	frappe.db.commit()  # the suite's own fixtures, outside any request


def user_of(actor: str) -> str | None:
	return ACTORS[actor][0]


def prepare() -> dict:
	"""Make (or find) every fixture; returns the API credentials and record names."""
	frappe.set_user("Administrator")
	frappe.db.set_single_value("Selling Settings", "cust_master_name", "Customer Name")
	for customer in (CUSTOMER_A, CUSTOMER_B):
		if not frappe.db.exists("Customer", customer):
			frappe.get_doc(
				{"doctype": "Customer", "customer_name": customer, "customer_group": "All Customer Groups", "territory": "All Territories"}
			).insert()
	credentials = {}
	for key, (user, roles, user_type) in ACTORS.items():
		if not user:
			continue
		make_user(user, roles, user_type=user_type)
		credentials[key] = api_credentials(user)
	credentials["admin"] = api_credentials("Administrator")
	make_user(OTHER_TECHNICIAN, ["Technician"])
	for key, customer, other in (("portal_a", CUSTOMER_A, CUSTOMER_B), ("portal_b", CUSTOMER_B, CUSTOMER_A)):
		add_portal_user(customer, user_of(key))
		frappe.db.delete("Portal User", {"parenttype": "Customer", "parent": other, "user": user_of(key)})
	restrict(user_of("sales_restricted"), "Customer", CUSTOMER_A)
	restrict(user_of("sales_restricted"), "Company", COMPANY)
	# the peer may edit only the leads named by a user permission (for Lead)
	restrict(user_of("sales_peer"), "Lead", make_lead("_CP HTTP Peer Lead"), applicable_for="Lead")
	# the service clerk may issue parts from the Stores only (for stock entries)
	restrict(user_of("service_clerk"), "Warehouse", WAREHOUSE, applicable_for="Stock Entry")
	make_sales_person(SERVICE_PERSON)
	make_company(OTHER_COMPANY, "CPHO")
	make_item(PARTS_ITEM)
	if (frappe.db.get_value("Bin", {"item_code": PARTS_ITEM, "warehouse": WAREHOUSE}, "actual_qty") or 0) < 50:
		add_stock(PARTS_ITEM, 100)
		add_stock(PARTS_ITEM, 100, warehouse=OTHER_WAREHOUSE)
	publish()
	return credentials


def api_credentials(user: str) -> tuple[str, str]:
	"""An API key and secret for the user (new each run: the secret is stored hashed)."""
	from frappe.utils.password import set_encrypted_password

	api_key = frappe.db.get_value("User", user, "api_key") or frappe.generate_hash(length=15)
	api_secret = frappe.generate_hash(length=15)
	# the column holds a placeholder, as when set on the form (an empty one drops the secret on save)
	frappe.db.set_value("User", user, {"api_key": api_key, "api_secret": "*" * len(api_secret)})
	set_encrypted_password("User", user, api_secret, "api_secret")
	return api_key, api_secret


def make_company(name: str, abbr: str) -> str:
	"""A second company (the restricted user's permissions exclude it)."""
	if not frappe.db.exists("Company", name):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": name,
				"abbr": abbr,
				"default_currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
				"country": frappe.get_cached_value("Company", COMPANY, "country") or "United States",
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert()
	return name


def make_sales_person(name: str) -> str:
	if not frappe.db.exists("Sales Person", name):
		frappe.get_doc({"doctype": "Sales Person", "sales_person_name": name, "parent_sales_person": "Sales Team"}).insert()
	return name


def make_lead(lead_name: str) -> str:
	name = frappe.db.get_value("Lead", {"lead_name": lead_name})
	if not name:
		name = frappe.get_doc({"doctype": "Lead", "lead_name": lead_name, "company": COMPANY}).insert().name
	return name


def add_portal_user(customer: str, user: str) -> None:
	doc = frappe.get_doc("Customer", customer)
	if not any(p.user == user for p in doc.portal_users):
		doc.append("portal_users", {"user": user})
		doc.save()


def restrict(user: str, doctype: str, value: str, applicable_for: str | None = None) -> None:
	filters = {"user": user, "allow": doctype, "for_value": value}
	if frappe.db.exists("User Permission", filters):
		return
	frappe.get_doc(
		{
			"doctype": "User Permission",
			**filters,
			"apply_to_all_doctypes": 0 if applicable_for else 1,
			"applicable_for": applicable_for,
		}
	).insert()


# --- records the cases are tried against (new ones each run) --------------------------------


def new_name(prefix: str) -> str:
	return f"{prefix} {frappe.generate_hash(length=6)}"


def make_follow_up(actor: str, customer: str = CUSTOMER_A, **values) -> str:
	"""A follow-up recorded by (and for) the actor's user."""
	user = user_of(actor)
	doc = frappe.get_doc(
		{
			"doctype": "Customer Follow Up",
			"party_type": "Customer",
			"customer": customer,
			"summary": "Called about the catalogue",
			"follow_up_type": "Phone",
			"user": user,
			"next_follow_up_on": add_to_date(now_datetime(), days=3),
			"next_action": "Send prices",
			**values,
		}
	)
	doc.insert()
	frappe.db.set_value("Customer Follow Up", doc.name, "owner", user)
	publish()
	return doc.name


def make_complaint(customer: str = CUSTOMER_A, **values) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Customer Complaint",
			"customer": customer,
			"subject": "The pump leaks",
			"description": "Water on the floor.",
			"severity": "Medium",
			"assignee": user_of("service_clerk"),
			**values,
		}
	)
	doc.insert()
	publish()
	return doc.name


def make_repair(customer: str = CUSTOMER_A, technicians=(), parts=(), **values) -> str:
	make_item("_CP HTTP Device", is_stock_item=0)
	doc = frappe.get_doc(
		{
			"doctype": "Repair Order",
			"customer": customer,
			"company": COMPANY,
			"item_code": "_CP HTTP Device",
			"fault_description": "Does not start",
			"technicians": [{"user": u} for u in technicians],
			"parts": [{"item_code": PARTS_ITEM, "qty": 1, "rate": 5, "warehouse": w} for w in parts],
			**values,
		}
	)
	doc.insert()
	publish()
	return doc.name


def make_contract(customer: str = CUSTOMER_A, submit: bool = True, company: str = COMPANY) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Contract Document",
			"customer": customer,
			"company": company,
			"currency": frappe.get_cached_value("Company", company, "default_currency"),
			"contract_value": 1000,
			"start_date": add_days(nowdate(), -30),
			"end_date": add_days(nowdate(), 300),
		}
	)
	doc.insert()
	if submit:
		doc.submit()
	publish()
	return doc.name


def make_invoice(customer: str = CUSTOMER_A, rate: float = 500) -> str:
	make_item("_CP HTTP Service", is_stock_item=0)
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": COMPANY,
			"customer": customer,
			"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"selling_price_list": "Standard Selling",
			"due_date": add_days(nowdate(), -5),
			"posting_date": add_days(nowdate(), -10),
			"set_posting_time": 1,
			"items": [{"item_code": "_CP HTTP Service", "qty": 1, "rate": rate}],
		}
	)
	doc.insert()
	doc.submit()
	publish()
	return doc.name


def make_sales_order(customer: str = CUSTOMER_A) -> str:
	make_item("_CP HTTP Service", is_stock_item=0)
	doc = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": COMPANY,
			"customer": customer,
			"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"selling_price_list": "Standard Selling",
			"delivery_date": add_days(nowdate(), 7),
			"items": [{"item_code": "_CP HTTP Service", "qty": 1, "rate": 100, "delivery_date": add_days(nowdate(), 7)}],
		}
	)
	doc.insert()
	doc.submit()
	publish()
	return doc.name


# the smallest PNG: one transparent pixel
PNG = bytes.fromhex(
	"89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


def make_receivable_follow_up(customer: str = CUSTOMER_A) -> str:
	doc = frappe.get_doc(
		{"doctype": "Receivable Follow Up", "sales_invoice": make_invoice(customer), "collector": user_of("accounts_user")}
	)
	doc.insert()
	publish()
	return doc.name


def make_campaign() -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Marketing Campaign",
			"campaign_name": new_name("_CP HTTP Campaign"),
			"purpose": "Product Launch",
			"company": COMPANY,
			"start_date": nowdate(),
			"end_date": add_days(nowdate(), 30),
			"members": [
				{"member_type": "Customer", "member": CUSTOMER_A, "member_name": CUSTOMER_A, "email": "cp.http.member.a@example.com"}
			],
		}
	)
	doc.insert()
	publish()
	return doc.name
