import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, nowdate

from crm_plus.api.receivables import record_attempt
from crm_plus.crm_plus.doctype.receivable_follow_up.receivable_follow_up import ReceivableFollowUpError
from crm_plus.receivables.follow_ups import alert_missed_promises, open_follow_ups, remind_collectors
from crm_plus.tests.factories import (
	make_credit_note,
	make_customer,
	make_item,
	make_payment,
	make_receivable_invoice,
	make_user,
)

FOLLOW_UP = "Receivable Follow Up"
ITEM = "_CP Receivable Item"
CUSTOMER = "_CP Receivable Customer"
COLLECTOR = "_cp_collector@example.com"
ACCOUNTS_MANAGER = "_cp_accounts_manager@example.com"
STRANGER = "_cp_receivable_stranger@example.com"


def make_follow_up(invoice, **values):
	return frappe.get_doc({"doctype": FOLLOW_UP, "sales_invoice": invoice, "collector": COLLECTOR, **values}).insert()


class ReceivablesTestCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_item(ITEM, is_stock_item=0)
		make_customer(CUSTOMER)
		make_user(COLLECTOR, ["Accounts User"])
		make_user(ACCOUNTS_MANAGER, ["Accounts Manager"])

	def invoice(self, rate=1000, **values):
		return make_receivable_invoice(CUSTOMER, ITEM, rate, **values)


class TestReceivableStates(ReceivablesTestCase):
	def test_promise_met_by_payment_then_paid_by_credit_note(self):
		invoice = self.invoice(1000)
		fu = make_follow_up(invoice.name, promise_date=add_days(nowdate(), 3), promise_amount=400)
		self.assertEqual((fu.status, fu.outstanding_amount, fu.outstanding_at_promise), ("Promised", 1000, 1000))

		make_payment(invoice.name, 250)
		fu.reload()
		self.assertEqual((fu.status, fu.outstanding_amount), ("Promised", 750))

		payment = make_payment(invoice.name, 150)
		fu.reload()
		self.assertEqual((fu.status, fu.outstanding_amount), ("Promise Met", 600))

		make_credit_note(invoice.name, 600)
		fu.reload()
		self.assertEqual((fu.status, fu.outstanding_amount), ("Paid", 0))

		payment.cancel()  # money open again: the follow-up follows (the promise stays met: 850 came in)
		fu.reload()
		self.assertEqual((fu.status, flt(fu.outstanding_amount)), ("Promise Met", 150))

	def test_journal_entry_reduces_what_is_open(self):
		invoice = self.invoice(500)
		fu = make_follow_up(invoice.name)
		je = frappe.get_doc(
			{
				"doctype": "Journal Entry",
				"company": invoice.company,
				"posting_date": nowdate(),
				"accounts": [
					{"account": invoice.debit_to, "party_type": "Customer", "party": CUSTOMER, "credit_in_account_currency": 200,
					 "reference_type": "Sales Invoice", "reference_name": invoice.name},
					{"account": frappe.get_cached_value("Company", invoice.company, "default_cash_account"), "debit_in_account_currency": 200},
				],
			}
		)
		je.insert()
		je.submit()
		fu.reload()
		self.assertEqual((fu.status, fu.outstanding_amount), ("Open", 300))

	def test_missed_promise_alerts_collector_and_manager_once(self):
		invoice = self.invoice(800)
		fu = make_follow_up(invoice.name, promise_date=nowdate(), promise_amount=300)
		frappe.db.set_value(FOLLOW_UP, fu.name, "promise_date", add_days(nowdate(), -1))
		self.assertEqual(alert_missed_promises(), [fu.name])
		self.assertEqual(frappe.db.get_value(FOLLOW_UP, fu.name, "status"), "Promise Missed")
		for user in (COLLECTOR, ACCOUNTS_MANAGER):
			self.assertEqual(frappe.db.count("Notification Log", {"for_user": user, "document_name": fu.name}), 1, user)
		self.assertEqual(alert_missed_promises(), [])

	def test_new_promise_after_a_missed_one(self):
		invoice = self.invoice(800)
		fu = make_follow_up(invoice.name, promise_date=nowdate(), promise_amount=300)
		frappe.db.set_value(FOLLOW_UP, fu.name, "promise_date", add_days(nowdate(), -1))
		alert_missed_promises()
		self.assertEqual(record_attempt(fu.name, result="Promised to Pay", promise_date=add_days(nowdate(), 2), promise_amount=200), "Promised")
		fu.reload()
		self.assertEqual((len(fu.attempts), fu.missed_alert_sent), (1, 0))
		self.assertTrue(fu.last_contact_on)

	def test_daily_job_opens_follow_ups_for_due_invoices_and_reminds_collectors(self):
		frappe.db.set_value("Customer", CUSTOMER, "crm_plus_collector", COLLECTOR)
		overdue = self.invoice(700, posting_date=add_days(nowdate(), -40), due_date=add_days(nowdate(), -1))
		later = self.invoice(700, due_date=add_days(nowdate(), 60))
		made = open_follow_ups()
		invoices = frappe.get_all(FOLLOW_UP, {"name": ("in", made)}, pluck="sales_invoice")
		self.assertIn(overdue.name, invoices)
		self.assertNotIn(later.name, invoices)
		self.assertEqual(frappe.db.get_value(FOLLOW_UP, {"sales_invoice": overdue.name}, "collector"), COLLECTOR)
		self.assertFalse(open_follow_ups())  # re-runnable: no second follow-up
		remind_collectors()
		subjects = frappe.get_all("Notification Log", {"for_user": COLLECTOR, "document_type": FOLLOW_UP}, pluck="subject")
		self.assertTrue(any("newly overdue" in s for s in subjects), subjects)


class TestReceivableBadInput(ReceivablesTestCase):
	def test_promise_in_the_past_writes_nothing(self):
		invoice = self.invoice(500)
		fu = make_follow_up(invoice.name)
		with self.assertRaises(ReceivableFollowUpError) as caught:
			record_attempt(fu.name, notes="called", promise_date=add_days(nowdate(), -1), promise_amount=100)
		self.assertIn("in the past", str(caught.exception))
		fu.reload()
		self.assertEqual((len(fu.attempts), fu.status, fu.promise_date), (0, "Open", None))

	def test_promise_more_than_open_or_without_amount(self):
		invoice = self.invoice(500)
		self.assertRaises(ReceivableFollowUpError, make_follow_up, invoice.name, promise_date=nowdate(), promise_amount=501)
		self.assertRaises(ReceivableFollowUpError, make_follow_up, invoice.name, promise_date=nowdate())

	def test_one_open_follow_up_per_invoice(self):
		invoice = self.invoice(500)
		make_follow_up(invoice.name)
		self.assertRaises(ReceivableFollowUpError, make_follow_up, invoice.name)

	def test_stranger_cannot_record_attempts(self):
		invoice = self.invoice(500)
		fu = make_follow_up(invoice.name)
		make_user(STRANGER, ["Stock User"])
		frappe.set_user(STRANGER)
		self.assertRaises(frappe.PermissionError, record_attempt, fu.name, notes="hello")
