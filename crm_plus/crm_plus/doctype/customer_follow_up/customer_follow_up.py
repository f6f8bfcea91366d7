# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import escape_html, get_datetime, now_datetime

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.relationship.follow_ups import may_reassign
from crm_plus.utils.permissions import keep_server_fields, require_desk_users, stored_doc

FOLLOW_UP_DOCTYPE = "Customer Follow Up"
PARTY_FIELDS = {"Customer": "customer", "Lead": "lead", "Prospect": "prospect"}
PARTY_TITLE_FIELDS = {"Customer": "customer_name", "Lead": "lead_name", "Prospect": "company_name"}
# set by the app only: a request cannot change them (its ToDo and reminder, who completed it)
SERVER_FIELDS = ("owner", "todo", "reminder", "completed_by", "next_follow_up_status")


class FollowUpError(frappe.ValidationError):
	pass


class CustomerFollowUp(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		completed_by: DF.Link | None
		competitor: DF.Link | None
		contact: DF.Link | None
		customer: DF.Link | None
		date: DF.Datetime
		follow_up_type: DF.Literal["Phone", "Visit", "Email", "WeChat", "Meeting", "Other"]
		lead: DF.Link | None
		naming_series: DF.Literal["CRM-FUP-.YYYY.-"]
		next_action: DF.Data | None
		next_follow_up_on: DF.Datetime | None
		next_follow_up_status: DF.Literal["", "Open", "Done", "Cancelled"]
		opportunity: DF.Link | None
		outcome: DF.SmallText | None
		party_name: DF.Data | None
		party_type: DF.Literal["Customer", "Lead", "Prospect"]
		previous_follow_up: DF.Link | None
		prospect: DF.Link | None
		quotation: DF.Link | None
		reminder: DF.Link | None
		sales_order: DF.Link | None
		sales_person: DF.Link | None
		summary: DF.SmallText
		todo: DF.Link | None
		user: DF.Link
	# end: auto-generated types

	@property
	def party(self) -> str | None:
		return self.get(PARTY_FIELDS.get(self.party_type, ""))

	def validate(self):
		keep_server_fields(self, SERVER_FIELDS)
		self.validate_user()
		require_desk_users(self, "user")
		self.validate_party()
		self.validate_contact()
		self.validate_concerning_documents()
		self.validate_next_follow_up()

	def on_update(self):
		self.sync_todo_and_reminder()

	def on_trash(self):
		self.cancel_todo_and_reminder()

	# --- validation -------------------------------------------------------------

	def validate_user(self):
		"""Whose follow-up it is: the caller's own, unless the caller may reassign (or the
		app continues a follow-up for the same user, as complete() does)."""
		before = stored_doc(self)
		self.user = self.user or (before.user if before else frappe.session.user)
		if (before and before.user == self.user) or self.flags.crm_plus_same_user:
			return
		if not before and self.user == frappe.session.user:
			return
		if frappe.session.user == "Administrator" or may_reassign():
			return
		frappe.throw(
			_("Only a user with the role {0} can record or hand over a follow-up for another user.").format(
				_(get_settings().follow_up_reassign_role or "Sales Manager")
			),
			frappe.PermissionError,
		)

	def validate_party(self):
		for party_type, fieldname in PARTY_FIELDS.items():
			if party_type != self.party_type:
				self.set(fieldname, None)
		if not self.party:
			frappe.throw(_("Select the {0} this follow-up is with.").format(_(self.party_type)), FollowUpError)
		values = frappe.db.get_value(
			self.party_type,
			self.party,
			[PARTY_TITLE_FIELDS[self.party_type], "disabled" if self.party_type == "Customer" else "name"],
			as_dict=True,
		)
		if not values:
			frappe.throw(_("{0} {1} does not exist.").format(_(self.party_type), self.party), FollowUpError)
		if self.party_type == "Customer" and values.disabled:
			frappe.throw(
				_("Customer {0} is disabled. Enable the customer before recording follow-ups.").format(self.party),
				FollowUpError,
			)
		self.party_name = values.get(PARTY_TITLE_FIELDS[self.party_type]) or self.party

	def validate_contact(self):
		if self.contact and not frappe.db.exists(
			"Dynamic Link",
			{"parenttype": "Contact", "parent": self.contact, "link_doctype": self.party_type, "link_name": self.party},
		):
			frappe.throw(
				_("Contact {0} does not belong to {1} {2}.").format(self.contact, _(self.party_type), self.party),
				FollowUpError,
			)

	def validate_concerning_documents(self):
		if self.previous_follow_up and self.has_value_changed("previous_follow_up"):
			previous = frappe.db.get_value(FOLLOW_UP_DOCTYPE, self.previous_follow_up, ["party_type", "customer", "lead", "prospect"], as_dict=True)
			if not previous or previous.party_type != self.party_type or previous.get(PARTY_FIELDS[self.party_type]) != self.party:
				frappe.throw(
					_("Follow-up {0} is not with {1} {2}.").format(self.previous_follow_up, _(self.party_type), self.party),
					FollowUpError,
				)
		checks = (
			("opportunity", "Opportunity", "party_name"),
			("quotation", "Quotation", "party_name"),
			("sales_order", "Sales Order", "customer"),
		)
		for fieldname, doctype, party_field in checks:
			name = self.get(fieldname)
			if not name:
				continue
			if doctype == "Sales Order" and self.party_type != "Customer":
				frappe.throw(_("Only a customer's follow-up can concern a Sales Order."), FollowUpError)
			if frappe.db.get_value(doctype, name, party_field) != self.party:
				frappe.throw(
					_("{0} {1} is not for {2} {3}.").format(_(doctype), name, _(self.party_type), self.party),
					FollowUpError,
				)

	def validate_next_follow_up(self):
		if not self.next_follow_up_on:
			if self.next_follow_up_status == "Open":
				self.next_follow_up_status = "Cancelled"
			return
		if self.has_value_changed("next_follow_up_on") and get_datetime(self.next_follow_up_on) <= now_datetime():
			frappe.throw(_("The next follow-up must be in the future."), FollowUpError)
		if not self.next_action:
			frappe.throw(_("Say what the next follow-up is for (Next Action)."), FollowUpError)
		if self.next_follow_up_status != "Done":
			self.next_follow_up_status = "Open"

	# --- ToDo and Reminder for the next follow-up ----------------------------------

	def todo_description(self) -> str:
		return _("Follow up {0}: {1}").format(escape_html(self.party_name), escape_html(self.next_action))

	def sync_todo_and_reminder(self):
		if self.next_follow_up_status != "Open":
			self.cancel_todo_and_reminder()
			return
		due = get_datetime(self.next_follow_up_on)
		# ToDo and Reminder belong to the follow-up's owner; created by the system on their behalf
		if self.todo and frappe.db.exists("ToDo", self.todo):
			todo = frappe.get_doc("ToDo", self.todo)
		else:
			todo = frappe.new_doc("ToDo")
		todo.update(
			{
				"status": "Open",
				"allocated_to": self.user,
				"assigned_by": frappe.session.user,
				"date": due.date(),
				"description": self.todo_description(),
				"reference_type": self.doctype,
				"reference_name": self.name,
				"priority": "Medium",
			}
		)
		todo.save(ignore_permissions=True)  # the owner's ToDo, kept in step by the follow-up itself

		if self.reminder and frappe.db.exists("Reminder", self.reminder):
			reminder = frappe.get_doc("Reminder", self.reminder)
		else:
			reminder = frappe.new_doc("Reminder")
		reminder.update(
			{
				"user": self.user,
				"remind_at": due,
				"description": self.todo_description(),
				"reminder_doctype": self.doctype,
				"reminder_docname": self.name,
				"notified": 0,
			}
		)
		reminder.save(ignore_permissions=True)  # the owner's reminder, kept in step by the follow-up itself
		# Reminder.validate makes the session user its owner; it is the follow-up owner's
		reminder.db_set("user", self.user, update_modified=False)
		self.db_set({"todo": todo.name, "reminder": reminder.name}, update_modified=False)

	def cancel_todo_and_reminder(self, todo_status: str = "Cancelled"):
		if self.todo and frappe.db.exists("ToDo", self.todo):
			todo = frappe.get_doc("ToDo", self.todo)
			if todo.status == "Open":
				todo.status = todo_status
				todo.save(ignore_permissions=True)  # closing the follow-up's own ToDo
		if self.reminder and frappe.db.get_value("Reminder", self.reminder, "notified") == 0:
			frappe.delete_doc("Reminder", self.reminder, ignore_permissions=True, force=True)  # the follow-up's own pending reminder
			if not self.flags.in_delete:
				self.db_set("reminder", None, update_modified=False)

	# --- completing the next follow-up ------------------------------------------------

	def complete(
		self,
		outcome: str,
		summary: str | None = None,
		follow_up_type: str | None = None,
		next_follow_up_on: str | None = None,
		next_action: str | None = None,
	) -> "CustomerFollowUp":
		"""Record the planned follow-up as done: a new follow-up with its outcome (and
		maybe the next one), this one's ToDo closed and its reminder dropped."""
		if self.next_follow_up_status != "Open":
			frappe.throw(_("This follow-up has no open next follow-up to complete."), FollowUpError)
		if not (outcome or "").strip():
			frappe.throw(_("Record the outcome of the follow-up."), FollowUpError)
		done = frappe.new_doc(self.doctype)
		done.update(
			{
				"party_type": self.party_type,
				"customer": self.customer,
				"lead": self.lead,
				"prospect": self.prospect,
				"contact": self.contact,
				"follow_up_type": follow_up_type or self.follow_up_type,
				"date": now_datetime(),
				"user": self.user,
				"sales_person": self.sales_person,
				"summary": summary or self.next_action,
				"outcome": outcome,
				"opportunity": self.opportunity,
				"quotation": self.quotation,
				"sales_order": self.sales_order,
				"previous_follow_up": self.name,
				"next_follow_up_on": next_follow_up_on,
				"next_action": next_action,
			}
		)
		done.flags.crm_plus_same_user = True  # the next step of this follow-up, for the same user
		done.insert()
		self.cancel_todo_and_reminder(todo_status="Closed")
		self.db_set({"next_follow_up_status": "Done", "completed_by": done.name})
		return done
