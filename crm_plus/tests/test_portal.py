import frappe
from frappe.tests.utils import FrappeTestCase

from crm_plus.relationship.portal import PortalInvitationError
from crm_plus.tests.factories import make_customer

EMAIL = "_cp_portal_buyer@example.com"


def email_text(raw: str) -> str:
	import email

	message = email.message_from_string(raw)
	parts = message.walk() if message.is_multipart() else [message]
	return "".join(
		(p.get_payload(decode=True) or b"").decode(p.get_content_charset() or "utf-8", "replace")
		for p in parts
		if p.get_content_maintype() == "text"
	)


def make_contact(customer: str | None, email: str | None = EMAIL, portal: int = 0):
	contact = frappe.get_doc({"doctype": "Contact", "first_name": "Portal Buyer", "crm_plus_portal_user": portal})
	if email:
		contact.append("email_ids", {"email_id": email, "is_primary": 1})
	if customer:
		contact.append("links", {"link_doctype": "Customer", "link_name": customer})
	return contact.insert()


class TestPortalInvitation(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def test_marking_invites_and_unmarking_revokes(self):
		customer = make_customer("_CP Portal Customer")
		contact = make_contact(customer)
		self.assertFalse(frappe.db.exists("User", EMAIL))

		contact.crm_plus_portal_user = 1
		contact.save()

		user = frappe.get_doc("User", EMAIL)
		self.assertEqual((user.user_type, user.enabled), ("Website User", 1))
		self.assertIn("Customer", frappe.get_roles(EMAIL))
		self.assertEqual(frappe.db.get_value("Contact", contact.name, "user"), EMAIL)
		self.assertIn(EMAIL, [p.user for p in frappe.get_doc("Customer", customer).portal_users])
		queued = frappe.get_all("Email Queue Recipient", filters={"recipient": EMAIL}, pluck="parent")
		self.assertTrue(queued, "an invitation email is queued")
		body = email_text(frappe.db.get_value("Email Queue", queued[0], "message"))
		self.assertIn("update-password?key=", body)  # a set-password link, never a password
		self.assertTrue(frappe.db.get_value("User", EMAIL, "reset_password_key"))

		contact.reload()
		contact.crm_plus_portal_user = 0
		contact.save()
		self.assertEqual(frappe.db.get_value("User", EMAIL, "enabled"), 0)
		self.assertNotIn(EMAIL, [p.user for p in frappe.get_doc("Customer", customer).portal_users])

	def test_contact_without_email_or_customer_is_refused(self):
		customer = make_customer("_CP Portal Customer 2")
		with self.assertRaises(PortalInvitationError):
			make_contact(customer, email=None, portal=1)
		with self.assertRaises(PortalInvitationError):
			make_contact(None, email="_cp_nobody_portal@example.com", portal=1)
		self.assertFalse(frappe.db.exists("User", "_cp_nobody_portal@example.com"))
