# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.naming import revert_series_if_last
from frappe.utils import add_days, date_diff, flt, getdate, nowdate

from crm_plus.utils.permissions import keep_server_fields, require_desk_users


class ContractError(frappe.ValidationError):
	pass


# set by the app only: the daily job, renewal and termination move them
SERVER_FIELDS = ("status", "renewed_to", "end_reminder_sent")


class ContractDocument(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from crm_plus.crm_plus.doctype.contract_document_milestone.contract_document_milestone import ContractDocumentMilestone

		amended_from: DF.Link | None
		company: DF.Link
		contract: DF.Link | None
		contract_manager: DF.Link | None
		contract_type: DF.Literal["Sales", "Service", "Framework", "Other"]
		contract_value: DF.Currency
		currency: DF.Link
		customer: DF.Link
		customer_name: DF.Data | None
		end_date: DF.Date
		end_reminder_sent: DF.Check
		milestones: DF.Table[ContractDocumentMilestone]
		naming_series: DF.Literal["CON-.YYYY.-"]
		quotation: DF.Link | None
		renewed_from: DF.Link | None
		renewed_to: DF.Link | None
		sales_order: DF.Link | None
		signed_file: DF.Attach | None
		signing_date: DF.Date | None
		start_date: DF.Date
		status: DF.Literal["Draft", "Active", "Expiring", "Expired", "Terminated", "Renewed", "Cancelled"]
		terms: DF.TextEditor | None
	# end: auto-generated types

	def validate(self):
		keep_server_fields(self, SERVER_FIELDS)
		self.validate_renewed_from()
		require_desk_users(self, "contract_manager")
		self.validate_dates()
		self.validate_covered_documents()
		self.set_milestone_amounts()
		self.validate_milestones()
		if self.docstatus == 0:
			self.status = "Draft"

	def before_update_after_submit(self):
		keep_server_fields(self, SERVER_FIELDS)

	def before_submit(self):
		self.status = status_on(self, getdate(nowdate()))

	def on_submit(self):
		if self.renewed_from:
			predecessor = frappe.get_doc("Contract Document", self.renewed_from)
			predecessor.db_set({"renewed_to": self.name, "status": "Renewed"})

	def on_cancel(self):
		self.db_set("status", "Cancelled")
		if self.renewed_from and frappe.db.get_value("Contract Document", self.renewed_from, "renewed_to") == self.name:
			predecessor = frappe.get_doc("Contract Document", self.renewed_from)
			predecessor.db_set({"renewed_to": None, "status": status_on(predecessor, getdate(nowdate()))})

	def on_trash(self):
		# A deleted draft gives its number back when it was the last one issued.
		revert_series_if_last(self.naming_series, self.name, self)

	# --- validation -------------------------------------------------------------------

	def validate_renewed_from(self):
		"""A renewal succeeds a submitted contract of the same customer that the user may
		read and that no other submitted contract renewed yet (submitting marks it Renewed)."""
		if not self.renewed_from or not (self.has_value_changed("renewed_from") or self.docstatus == 1):
			return
		source = frappe.db.get_value(
			"Contract Document", self.renewed_from, ["customer", "docstatus", "renewed_to"], as_dict=True
		)
		if (
			not source
			or source.customer != self.customer
			or not frappe.has_permission("Contract Document", "read", doc=self.renewed_from)
		):
			frappe.throw(
				_("Contract {0} is not a contract of customer {1} that you can renew.").format(self.renewed_from, self.customer),
				ContractError,
				title=_("Cannot Renew"),
			)
		if source.docstatus != 1 or (
			source.renewed_to
			and source.renewed_to != self.name
			and frappe.db.get_value("Contract Document", source.renewed_to, "docstatus") == 1
		):
			frappe.throw(
				_("Contract {0} cannot be renewed: it is not submitted or was already renewed.").format(self.renewed_from),
				ContractError,
				title=_("Cannot Renew"),
			)

	def validate_dates(self):
		if getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(
				_("The end date {0} is before the start date {1}.").format(
					frappe.format(self.end_date, "Date"), frappe.format(self.start_date, "Date")
				),
				ContractError,
				title=_("Invalid Contract Dates"),
			)
		if self.signing_date and getdate(self.signing_date) > getdate(self.end_date):
			frappe.throw(_("The signing date is after the end date."), ContractError, title=_("Invalid Contract Dates"))

	def validate_covered_documents(self):
		checks = [("Quotation", self.quotation, "party_name"), ("Sales Order", self.sales_order, "customer")]
		if self.contract:
			checks.append(("Contract", self.contract, "party_name"))
		for doctype, name, field in checks:
			if name and frappe.db.get_value(doctype, name, field) != self.customer:
				frappe.throw(
					_("{0} {1} is not for customer {2}.").format(_(doctype), name, self.customer),
					ContractError,
					title=_("Wrong Customer"),
				)

	def set_milestone_amounts(self):
		for row in self.milestones:
			row.currency = self.currency
			if flt(row.percent) and not flt(row.amount):
				row.amount = flt(flt(self.contract_value) * flt(row.percent) / 100, row.precision("amount"))

	def validate_milestones(self):
		total = 0.0
		for row in self.milestones:
			if not flt(row.percent) and not flt(row.amount):
				frappe.throw(
					_("Milestone row {0}: enter a percent or an amount.").format(row.idx),
					ContractError,
					title=_("Invalid Milestones"),
				)
			if flt(row.percent) > 100:
				frappe.throw(
					_("Milestone row {0}: the percent cannot be more than 100.").format(row.idx),
					ContractError,
					title=_("Invalid Milestones"),
				)
			total += flt(row.amount)
		value = flt(self.contract_value)
		total_percent = sum(flt(r.percent) for r in self.milestones if flt(r.percent) and not value)
		if total_percent > 100 or (value and flt(total, 2) > flt(value, 2)):
			frappe.throw(
				_("The payment milestones add up to more than the contract value ({0} of {1}).").format(
					frappe.format(total, {"fieldtype": "Currency", "options": self.currency}),
					frappe.format(value, {"fieldtype": "Currency", "options": self.currency}),
				)
				if value
				else _("The payment milestones add up to more than 100%."),
				ContractError,
				title=_("Invalid Milestones"),
			)


def status_on(contract, today) -> str:
	"""The status a submitted, live contract has on `today`."""
	if contract.status in ("Terminated", "Renewed", "Cancelled"):
		return contract.status
	end = getdate(contract.end_date)
	if end < today:
		return "Expired"
	from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings

	if date_diff(end, today) <= (get_settings().contract_expiring_days or 0):
		return "Expiring"
	return "Active"


def renewal_dates(contract) -> tuple:
	start = add_days(contract.end_date, 1)
	length = date_diff(contract.end_date, contract.start_date)
	return start, add_days(start, length)
