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
