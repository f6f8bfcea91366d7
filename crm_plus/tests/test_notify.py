import frappe
from frappe.tests.utils import FrappeTestCase

from crm_plus.tests.factories import make_customer, make_user
from crm_plus.utils.notify import notify_users

USER = "_cp_notify_on@example.com"
QUIET = "_cp_notify_off@example.com"


def queued_subjects(user: str) -> list[str]:
	queue = frappe.get_all("Email Queue Recipient", filters={"recipient": user}, pluck="parent")
	return [
		frappe.db.get_value("Email Queue", name, "message").split("Subject: ", 1)[1].split("\n", 1)[0].strip()
		for name in queue
	]


class TestNotifyUsers(FrappeTestCase):
	"""Frappe e-mails no Notification Log of type Alert; crm_plus's alerts queue their e-mail
	themselves, unless the user turned e-mail notifications off."""

	def setUp(self):
		frappe.set_user("Administrator")
		make_user(USER, ["Sales User"])
		make_user(QUIET, ["Sales User"])
		settings = frappe.get_doc("Notification Settings", QUIET)
		settings.enable_email_notifications = 0
		settings.save(ignore_permissions=True)

	def test_alert_is_emailed_unless_the_user_turned_email_off(self):
		customer = make_customer("_CP Notify Customer")
		notify_users([USER, QUIET], "Overdue: _CP Notify <b>", "Customer", customer)

		for user in (USER, QUIET):
			self.assertEqual(frappe.db.count("Notification Log", {"for_user": user, "document_name": customer, "type": "Alert"}), 1)
		self.assertEqual(queued_subjects(USER), ["Overdue: _CP Notify <b>"])
		self.assertEqual(queued_subjects(QUIET), [])
