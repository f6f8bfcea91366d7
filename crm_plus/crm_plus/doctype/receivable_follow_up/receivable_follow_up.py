# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate, nowdate

from crm_plus.utils.permissions import keep_server_fields, require_desk_users, stored_doc


class ReceivableFollowUpError(frappe.ValidationError):
	pass


OPEN_STATUSES = ("Open", "Promised", "Promise Missed")
# set by the app only: a request cannot change them (status and the promise's measure)
SERVER_FIELDS = ("status", "outstanding_amount", "outstanding_at_promise", "missed_alert_sent", "last_contact_on")


class ReceivableFollowUp(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from crm_plus.crm_plus.doctype.receivable_contact_attempt.receivable_contact_attempt import ReceivableContactAttempt

		attempts: DF.Table[ReceivableContactAttempt]
		collector: DF.Link
		company: DF.Link | None
		currency: DF.Link | None
		customer: DF.Link | None
		customer_name: DF.Data | None
		due_date: DF.Date | None
		grand_total: DF.Currency
		last_contact_on: DF.Datetime | None
		missed_alert_sent: DF.Check
		naming_series: DF.Literal["RFU-.YYYY.-"]
		outcome: DF.SmallText | None
		outstanding_amount: DF.Currency
		outstanding_at_promise: DF.Currency
		promise_amount: DF.Currency
		promise_date: DF.Date | None
		sales_invoice: DF.Link
		sales_person: DF.Link | None
		status: DF.Literal["Open", "Promised", "Promise Met", "Promise Missed", "Paid", "Closed"]
	# end: auto-generated types

	def validate(self):
		keep_server_fields(self, SERVER_FIELDS)
		self.status = self.status or "Open"
		self.keep_attempt_history()
		require_desk_users(self, "collector")
		self.validate_invoice()
		self.validate_no_other_open()
		self.outstanding_amount = invoice_outstanding(self.sales_invoice)
		self.validate_promise()
		self.set_last_contact()
		self.set_status()

	def validate_invoice(self):
		docstatus, is_return = frappe.db.get_value("Sales Invoice", self.sales_invoice, ["docstatus", "is_return"])
		if docstatus != 1 or is_return:
			frappe.throw(
				_("Follow-ups are for submitted Sales Invoices, not credit notes or drafts."),
				ReceivableFollowUpError,
				title=_("Invalid Invoice"),
			)

	def validate_no_other_open(self):
		other = frappe.db.get_value(
			"Receivable Follow Up",
			{"sales_invoice": self.sales_invoice, "status": ("in", OPEN_STATUSES), "name": ("!=", self.name)},
		)
		if other and self.status in OPEN_STATUSES:
			frappe.throw(
				_("Sales Invoice {0} already has an open follow-up: {1}.").format(self.sales_invoice, other),
				ReceivableFollowUpError,
				title=_("Duplicate Follow-up"),
			)

	def validate_promise(self):
		if not self.promise_date and not flt(self.promise_amount):
			return
		if not self.promise_date or flt(self.promise_amount) <= 0:
			frappe.throw(
				_("A promise to pay needs both a date and an amount."), ReceivableFollowUpError, title=_("Invalid Promise")
			)
		before = self.get_doc_before_save()
		changed = not before or before.promise_date != self.promise_date or flt(before.promise_amount) != flt(self.promise_amount)
		if not changed:
			return
		if getdate(self.promise_date) < getdate(nowdate()):
			frappe.throw(
				_("The promise date {0} is in the past.").format(frappe.format(self.promise_date, "Date")),
				ReceivableFollowUpError,
				title=_("Invalid Promise"),
			)
		if flt(self.promise_amount) > flt(self.outstanding_amount) + 0.005:
			frappe.throw(
				_("The promised amount is more than what is still open ({0}).").format(
					frappe.format(self.outstanding_amount, {"fieldtype": "Currency", "options": self.currency})
				),
				ReceivableFollowUpError,
				title=_("Invalid Promise"),
			)
		# a new promise: measure payments from what is open now
		self.outstanding_at_promise = self.outstanding_amount
		self.missed_alert_sent = 0
		if self.status in ("Promise Met", "Promise Missed", "Open"):
			self.status = "Promised"

	def keep_attempt_history(self):
		"""Contact attempts are a log: recorded ones stay as they were, new ones are the
		caller's."""
		before = stored_doc(self)
		stored = {row.name: row for row in before.attempts} if before else {}
		new = [row for row in self.attempts if row.name not in stored]
		for row in new:
			row.user = frappe.session.user
		self.set("attempts", [row.as_dict() for row in [*stored.values(), *new]])

	def set_last_contact(self):
		if self.attempts:
			self.last_contact_on = max(a.contacted_on for a in self.attempts)

	def set_status(self):
		self.status = status_of(self)


def invoice_outstanding(sales_invoice: str) -> float:
	return flt(frappe.db.get_value("Sales Invoice", sales_invoice, "outstanding_amount"))


def promise_met(doc) -> bool:
	paid_since = flt(doc.outstanding_at_promise) - flt(doc.outstanding_amount)
	return flt(doc.promise_amount) > 0 and paid_since >= flt(doc.promise_amount) - 0.005


def status_of(doc) -> str:
	"""Paid when nothing is open; a promise is met once the invoice's outstanding fell by
	the promised amount; Closed stays closed."""
	if doc.status == "Closed":
		return "Closed"
	if flt(doc.outstanding_amount) <= 0.005:
		return "Paid"
	if doc.promise_date and flt(doc.promise_amount):
		if promise_met(doc):
			return "Promise Met"
		if doc.status == "Promise Missed" or getdate(doc.promise_date) < getdate(nowdate()):
			return "Promise Missed"
		return "Promised"
	return "Open"
