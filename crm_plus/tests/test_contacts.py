import frappe
from frappe.tests.utils import FrappeTestCase

from crm_plus.relationship.contacts import ReportsToError
from crm_plus.tests.factories import make_customer

OTHER = "_CP Reports To Other Customer"


def make_contact(first_name: str, customer: str, reports_to: str | None = None):
	return frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": first_name,
			"crm_plus_reports_to": reports_to,
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	).insert()


class TestReportsTo(FrappeTestCase):
	def test_same_customer_no_circle(self):
		customer = make_customer()
		make_customer(OTHER)
		boss = make_contact("_CP Boss", customer)
		manager = make_contact("_CP Manager", customer, boss.name)
		clerk = make_contact("_CP Clerk", customer, manager.name)
		self.assertEqual(frappe.db.get_value("Contact", clerk.name, "crm_plus_reports_to"), manager.name)

		boss.crm_plus_reports_to = clerk.name  # boss → clerk → manager → boss
		with self.assertRaises(ReportsToError) as circle:
			boss.save()
		self.assertIn("circle", str(circle.exception))
		self.assertFalse(frappe.db.get_value("Contact", boss.name, "crm_plus_reports_to"))

		boss.reload()
		boss.crm_plus_reports_to = boss.name
		self.assertRaises(ReportsToError, boss.save)

		stranger = make_contact("_CP Stranger", OTHER)
		clerk.crm_plus_reports_to = stranger.name
		self.assertRaises(ReportsToError, clerk.save)


class TestContactView(FrappeTestCase):
	"""A contact's activity panel and a customer's org chart."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer()
		cls.boss = make_contact("_CP View Boss", cls.customer)
		cls.buyer = make_contact("_CP View Buyer", cls.customer, cls.boss.name)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_activity_of_one_contact(self):
		from crm_plus.api.contact import contact_activity
		from crm_plus.tests.analytics_data import count_queries
		from crm_plus.tests.factories import make_complaint, make_follow_up

		contact_activity(self.buyer.name)  # metadata and caches loaded
		before = count_queries(lambda: contact_activity(self.buyer.name))
		make_follow_up(self.customer, contact=self.buyer.name)
		make_follow_up(self.customer, contact=self.buyer.name)
		make_follow_up(self.customer, contact=self.boss.name)
		make_complaint(self.customer, contact=self.buyer.name)
		activity = contact_activity(self.buyer.name)
		counts = {s["doctype"]: s["count"] for s in activity["sections"]}
		self.assertEqual((counts["Customer Follow Up"], counts["Customer Complaint"], counts["Opportunity"]), (2, 1, 0))
		self.assertEqual(activity["reports_to"]["name"], self.boss.name)
		self.assertEqual([c.name for c in contact_activity(self.boss.name)["direct_reports"]], [self.buyer.name])
		self.assertEqual(count_queries(lambda: contact_activity(self.buyer.name)), before)

	def test_org_chart_and_permissions(self):
		from crm_plus.api.contact import contact_activity, org_chart
		from crm_plus.tests.factories import make_user

		chart = {c.name: c.reports_to for c in org_chart("Customer", self.customer)}
		self.assertEqual((chart[self.boss.name], chart[self.buyer.name]), (None, self.boss.name))
		self.assertRaises(frappe.ValidationError, org_chart, "Lead", "x")
		frappe.set_user(make_user("_cp_contact_stranger@example.com", ["Technician"]))
		self.assertRaises(frappe.PermissionError, contact_activity, self.buyer.name)
		self.assertRaises(frappe.PermissionError, org_chart, "Customer", self.customer)


class TestCompetitorSummary(FrappeTestCase):
	def test_where_a_competitor_appears(self):
		from crm_plus.api.competitor import competitor_summary
		from crm_plus.tests.pipeline_data import COMPETITOR_A, COMPETITOR_B, NEGOTIATION, make_opportunity, make_pipeline
		from crm_plus.tests.analytics_data import NORTH_1, NORTH_2, SOUTH_1, SP_NORTH
		from crm_plus.tests.factories import make_follow_up, make_user

		make_pipeline()  # O1 open against B (North 1), O4 lost to A (South 1)
		won = make_opportunity(NORTH_2, 800, NEGOTIATION, "2030-02-01", SP_NORTH, competitors=[{"competitor": COMPETITOR_A}])
		won.db_set("status", "Converted")
		make_follow_up(NORTH_1, competitor=COMPETITOR_A)
		a = competitor_summary(COMPETITOR_A)
		self.assertEqual(a["by_status"], {"open": 0, "open_amount": 0, "won": 1, "lost": 1, "lost_amount": 500})
		self.assertEqual(
			[(c["customer"], c["opportunities"], c["follow_ups"]) for c in a["customers"]],
			[(NORTH_1, 0, 1), (NORTH_2, 1, 0), (SOUTH_1, 1, 0)],
		)
		self.assertEqual(len(a["follow_ups"]), 1)
		self.assertEqual(competitor_summary(COMPETITOR_B)["by_status"]["open"], 1)
		frappe.set_user(make_user("_cp_competitor_stranger@example.com", ["Technician"]))
		try:
			self.assertRaises(frappe.PermissionError, competitor_summary, COMPETITOR_A)
		finally:
			frappe.set_user("Administrator")


class TestSupplierContacts(FrappeTestCase):
	def test_a_suppliers_contacts_work_the_same_way(self):
		from crm_plus.api.contact import org_chart

		supplier = "_CP Reports To Supplier"
		if not frappe.db.exists("Supplier", supplier):
			frappe.get_doc({"doctype": "Supplier", "supplier_name": supplier, "supplier_group": "All Supplier Groups"}).insert()

		def contact(first_name, boss=None):
			return frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": first_name,
					"crm_plus_reports_to": boss,
					"links": [{"link_doctype": "Supplier", "link_name": supplier}],
				}
			).insert()

		boss = contact("_CP Supplier Boss")
		clerk = contact("_CP Supplier Clerk", boss.name)
		self.assertEqual({c.name: c.reports_to for c in org_chart("Supplier", supplier)}, {boss.name: None, clerk.name: boss.name})
		boss.crm_plus_reports_to = clerk.name
		self.assertRaises(ReportsToError, boss.save)
		customer_contact = make_contact("_CP Customer Side", make_customer())
		clerk.crm_plus_reports_to = customer_contact.name
		self.assertRaises(ReportsToError, clerk.save)
