# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, now_datetime

from crm_plus.service.repairs import (
	RepairOrderInputError,
	assign_technicians,
	check_parts_permissions,
	check_technician_change,
	issue_parts,
	line_rate,
	make_invoice,
	notify_ready,
	refuse_parts_shortage,
	reverse_parts,
	validate_parts,
	warn_parts_shortage,
	warranty_of,
)
from crm_plus.utils.permissions import keep_server_fields, require_desk_users

DRAFT_STATUSES = ("Received", "Diagnosing", "Awaiting Parts", "Repairing", "Not Repairable")
# after submit: status -> the statuses it may move to
SUBMITTED_TRANSITIONS = {"Ready for Pickup": {"Delivered"}, "Not Repairable": {"Delivered"}}


class RepairStatusError(frappe.ValidationError):
	pass


# set by the app only: a request cannot change them
SERVER_FIELDS = ("ready_on", "delivered_on", "status_log", "stock_entry", "sales_invoice")


class RepairOrder(Document):
	def validate(self):
		keep_server_fields(self, SERVER_FIELDS)
		check_technician_change(self)
		require_desk_users(self, "user", table="technicians")
		self.validate_complaint()
		self.validate_serial_no()
		self.set_warranty()
		validate_parts(self)
		self.set_totals()
		self.validate_draft_status()
		self.log_status_change()
		warn_parts_shortage(self)

	def on_update(self):
		assign_technicians(self)

	def before_submit(self):
		check_parts_permissions(self)
		refuse_parts_shortage(self)

	def on_submit(self):
		if self.status != "Not Repairable":
			self.status = "Ready for Pickup"
		self.db_set("stock_entry", issue_parts(self))
		self.ready_on = now_datetime()
		self.log_status_change(force=True)
		self.db_update()
		self.update_children()
		notify_ready(self)

	def before_update_after_submit(self):
		keep_server_fields(self, SERVER_FIELDS)
		self.validate_submitted_status()
		self.log_status_change()

	def on_update_after_submit(self):
		assign_technicians(self)

	def before_cancel(self):
		# its own stock entry is cancelled with it (on_cancel), not a reason to refuse
		self.ignore_linked_doctypes = ("Stock Entry",)

	def on_cancel(self):
		reverse_parts(self)
		self.db_set("status", "Cancelled")
		self.status = "Cancelled"
		self.log_status_change(force=True)
		self.update_children()

	# --- checks -------------------------------------------------------------------------

	def validate_complaint(self):
		if not self.complaint:
			return
		if frappe.db.get_value("Customer Complaint", self.complaint, "customer") != self.customer:
			frappe.throw(
				_("Complaint {0} is not of customer {1}.").format(self.complaint, self.customer), RepairOrderInputError
			)

	def validate_serial_no(self):
		if not self.serial_no:
			return
		serial = frappe.db.get_value("Serial No", self.serial_no, ["item_code", "customer"], as_dict=True)
		if serial.item_code != self.item_code:
			frappe.throw(
				_("Serial No {0} is of item {1}, not {2}.").format(self.serial_no, serial.item_code, self.item_code),
				RepairOrderInputError,
			)
		if serial.customer and serial.customer != self.customer:
			frappe.throw(
				_("Serial No {0} was sold to another customer.").format(self.serial_no), RepairOrderInputError
			)

	def set_warranty(self):
		self.warranty_status, self.warranty_expiry_date = warranty_of(self.serial_no, self.item_code)
		if self.is_new() and self.warranty_status == "Under Warranty":
			for row in list(self.parts) + list(self.labour):
				row.under_warranty = 1

	def set_totals(self):
		for row in self.parts:
			row.amount = flt(row.qty) * line_rate(row)
		for row in self.labour:
			row.amount = flt(row.hours) * line_rate(row)
		self.parts_total = sum(flt(r.amount) for r in self.parts)
		self.labour_total = sum(flt(r.amount) for r in self.labour)
		self.total = self.parts_total + self.labour_total
		self.received_on = self.received_on or now_datetime()

	def validate_draft_status(self):
		if self.docstatus == 0 and self.status not in DRAFT_STATUSES:
			frappe.throw(
				_("A repair order is {0} only once the repair is done: submit it first.").format(_(self.status)),
				RepairStatusError,
			)

	def validate_submitted_status(self):
		before = self.get_doc_before_save()
		if before and before.status != self.status and self.status not in SUBMITTED_TRANSITIONS.get(before.status, ()):
			frappe.throw(
				_("A repair order cannot go from {0} to {1}.").format(_(before.status), _(self.status)), RepairStatusError
			)
		if self.status == "Delivered" and not self.delivered_on:
			self.delivered_on = now_datetime()

	def log_status_change(self, force: bool = False):
		last = self.status_log[-1].status if self.status_log else None
		if force or last != self.status:
			self.append("status_log", {"status": self.status, "changed_by": frappe.session.user, "changed_on": now_datetime()})

	# --- actions ------------------------------------------------------------------------

	@frappe.whitelist(methods=["POST"])
	def set_status(self, status: str):
		"""A status step from the form; the rules are in validate / before_update_after_submit."""
		self.check_permission("write")
		self.status = status
		self.save()
		return self.status

	@frappe.whitelist(methods=["POST"])
	def make_sales_invoice(self) -> str:
		self.check_permission("write")
		frappe.has_permission("Sales Invoice", "create", throw=True)
		if self.docstatus != 1:
			frappe.throw(_("Submit the repair order before invoicing it."), RepairStatusError)
		existing = frappe.db.get_value(
			"Sales Invoice", {"crm_plus_repair_order": self.name, "docstatus": ("<", 2)}, "name"
		)
		if existing:
			frappe.throw(_("Repair order {0} is already invoiced: {1}.").format(self.name, existing), RepairStatusError)
		invoice = make_invoice(self)
		self.db_set("sales_invoice", invoice)
		return invoice
