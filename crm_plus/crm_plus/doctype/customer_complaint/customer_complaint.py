# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime, strip_html

from crm_plus.service.complaints import (
	ComplaintLinkError,
	ComplaintResolutionMissingError,
	default_assignee,
	reassign,
	set_due_dates,
)
from crm_plus.utils.permissions import keep_server_fields, require_desk_users

# status -> the statuses it may move to
TRANSITIONS = {
	"Open": {"In Progress", "Resolved", "Rejected"},
	"In Progress": {"Open", "Resolved", "Rejected"},
	"Resolved": {"In Progress", "Closed"},
	"Closed": {"In Progress"},
	"Rejected": {"Open"},
}


class ComplaintStatusError(frappe.ValidationError):
	pass


# set by the app only: a request cannot change them (the service level is measured on them)
SERVER_FIELDS = (
	"opened_on", "response_by", "resolve_by", "first_responded_on", "resolved_on", "escalated_on", "closed_on",
)


class CustomerComplaint(Document):
	def before_insert(self):
		if not self.assignee:
			self.assignee = default_assignee(self)

	def validate(self):
		keep_server_fields(self, SERVER_FIELDS)
		if self.is_new():
			self.opened_on = now_datetime()
		require_desk_users(self, "assignee")
		self.validate_links_belong_to_customer()
		self.validate_status_change()
		self.set_service_level()
		self.set_status_dates()

	def on_update(self):
		reassign(self)

	def validate_links_belong_to_customer(self):
		for doctype, fieldname in (
			("Sales Order", "sales_order"),
			("Delivery Note", "delivery_note"),
			("Sales Invoice", "sales_invoice"),
		):
			name = self.get(fieldname)
			if name and frappe.db.get_value(doctype, name, "customer") != self.customer:
				frappe.throw(
					_("{0} {1} is not for customer {2}.").format(_(doctype), name, self.customer),
					ComplaintLinkError,
				)
			if name and self.item_code and not frappe.db.exists(
				f"{doctype} Item", {"parent": name, "item_code": self.item_code}
			):
				frappe.throw(
					_("Item {0} is not on {1} {2}.").format(self.item_code, _(doctype), name), ComplaintLinkError
				)
		if self.serial_no:
			serial = frappe.db.get_value("Serial No", self.serial_no, ["item_code", "customer"], as_dict=True)
			if self.item_code and serial.item_code != self.item_code:
				frappe.throw(
					_("Serial No {0} is of item {1}, not {2}.").format(self.serial_no, serial.item_code, self.item_code),
					ComplaintLinkError,
				)
			if serial.customer and serial.customer != self.customer:
				frappe.throw(
					_("Serial No {0} was sold to another customer.").format(self.serial_no), ComplaintLinkError
				)
			self.item_code = self.item_code or serial.item_code
		if self.contact and not frappe.db.exists(
			"Dynamic Link",
			{"parenttype": "Contact", "parent": self.contact, "link_doctype": "Customer", "link_name": self.customer},
		):
			frappe.throw(_("Contact {0} is not a contact of {1}.").format(self.contact, self.customer), ComplaintLinkError)

	def validate_status_change(self):
		before = self.get_doc_before_save()
		if before and before.status != self.status and self.status not in TRANSITIONS.get(before.status, ()):
			frappe.throw(
				_("A complaint cannot go from {0} to {1}.").format(_(before.status), _(self.status)),
				ComplaintStatusError,
			)
		if self.status in ("Resolved", "Closed") and not strip_html(self.resolution or "").strip():
			frappe.throw(
				_("Write the resolution before marking the complaint {0}.").format(_(self.status)),
				ComplaintResolutionMissingError,
			)

	def set_service_level(self):
		if self.is_new() or self.has_value_changed("severity"):
			set_due_dates(self)

	def set_status_dates(self):
		now = now_datetime()
		if self.status != "Open" and not self.first_responded_on:
			self.first_responded_on = now
		if self.status in ("Resolved", "Closed", "Rejected") and not self.resolved_on:
			self.resolved_on = now
		if self.status in ("Open", "In Progress"):
			self.resolved_on = None
		self.closed_on = now if self.status == "Closed" and not self.closed_on else (self.closed_on if self.status == "Closed" else None)
