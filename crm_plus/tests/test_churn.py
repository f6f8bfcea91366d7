import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from crm_plus.crm_plus.report.customer_churn.customer_churn import execute as churn_report
from crm_plus.relationship.churn import update_lifecycle_statuses
from crm_plus.tests.factories import COMPANY, make_customer, make_item, make_selling_doc, make_user

FOLLOW_UP = "Customer Follow Up"


def order(customer: str, days_ago: int) -> None:
	so = make_selling_doc(
		"Sales Order",
		[{"item_code": "_CP Churn Item", "qty": 1}],
		customer=customer,
		transaction_date=add_days(nowdate(), -days_ago),
	)
	so.submit()


def status(customer: str) -> str:
	return frappe.db.get_value("Customer", customer, "crm_plus_lifecycle_status")


class TestChurn(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		settings = frappe.get_single("CRM Plus Settings")
		settings.update({"churn_new_days": 90, "churn_at_risk_days": 90, "churn_lost_days": 180, "churn_follow_up": 1, "stock_shortage_mode": "Off"})
		settings.save()
		make_item("_CP Churn Item", is_stock_item=0)
		cls.manager = make_user("_cp_account_manager@example.com", ["Sales User"])
		cls.new = make_customer("_CP Churn New")
		cls.active = make_customer("_CP Churn Active")
		cls.at_risk = make_customer("_CP Churn At Risk")
		cls.lost = make_customer("_CP Churn Lost")
		frappe.db.set_value("Customer", cls.at_risk, "account_manager", cls.manager)
		order(cls.new, 10)
		order(cls.active, 200)
		order(cls.active, 20)
		order(cls.at_risk, 120)
		order(cls.lost, 200)
		frappe.db.set_value("Customer", cls.lost, "territory", "_CP Churn Territory" if frappe.db.exists("Territory", "_CP Churn Territory") else make_territory())

	def test_statuses_from_order_history(self):
		update_lifecycle_statuses()
		self.assertEqual(
			[status(c) for c in (self.new, self.active, self.at_risk, self.lost)], ["New", "Active", "At Risk", "Lost"]
		)
		self.assertEqual(str(frappe.db.get_value("Customer", self.active, "crm_plus_last_order_date")), add_days(nowdate(), -20))

	def test_at_risk_creates_one_follow_up_for_the_account_manager_and_rerun_is_stable(self):
		update_lifecycle_statuses()
		first = frappe.db.sql("SELECT name, crm_plus_lifecycle_status, crm_plus_status_since FROM tabCustomer ORDER BY name")
		update_lifecycle_statuses()
		second = frappe.db.sql("SELECT name, crm_plus_lifecycle_status, crm_plus_status_since FROM tabCustomer ORDER BY name")
		self.assertEqual(first, second)

		follow_ups = frappe.get_all(FOLLOW_UP, filters={"customer": self.at_risk}, fields=["user", "next_follow_up_status", "todo"])
		self.assertEqual(len(follow_ups), 1)
		self.assertEqual((follow_ups[0].user, follow_ups[0].next_follow_up_status), (self.manager, "Open"))
		self.assertEqual(frappe.db.get_value("ToDo", follow_ups[0].todo, "allocated_to"), self.manager)

	def test_lost_customer_ordering_again_is_won_back(self):
		update_lifecycle_statuses()
		customer = make_customer("_CP Churn Comeback")
		order(customer, 250)
		update_lifecycle_statuses()
		self.assertEqual(status(customer), "Lost")
		order(customer, 0)
		update_lifecycle_statuses()
		self.assertEqual(status(customer), "Won Back")
		update_lifecycle_statuses()
		self.assertEqual(status(customer), "Won Back")

	def test_report_rows_chart_and_summary_agree_and_follow_territory_permission(self):
		update_lifecycle_statuses()
		columns, data, _, chart, summary = churn_report({"company": COMPANY})
		names = {r.customer for r in data}
		self.assertTrue({self.at_risk, self.lost} <= names)
		self.assertNotIn(self.new, names)
		self.assertEqual(sum(chart["data"]["datasets"][0]["values"]), len(data))

		user = make_user("_cp_territory_user@example.com", ["Sales User"])
		frappe.get_doc({"doctype": "User Permission", "user": user, "allow": "Territory", "for_value": "_CP Churn Territory"}).insert(ignore_permissions=True)
		frappe.set_user(user)
		try:
			_, data, _, chart, summary = churn_report({"company": COMPANY})
		finally:
			frappe.set_user("Administrator")
		self.assertEqual([r.customer for r in data], [self.lost])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [1])
		self.assertEqual({s["label"]: s["value"] for s in summary}["Lost"], 1)

	def test_bad_filter(self):
		with self.assertRaises(frappe.ValidationError):
			churn_report({"company": COMPANY, "status": ["Sleeping"]})

	def test_thresholds_must_make_sense(self):
		settings = frappe.get_single("CRM Plus Settings")
		settings.churn_lost_days = 30
		with self.assertRaises(frappe.ValidationError):
			settings.save()


def make_territory() -> str:
	frappe.get_doc({"doctype": "Territory", "territory_name": "_CP Churn Territory", "parent_territory": "All Territories"}).insert()
	return "_CP Churn Territory"
