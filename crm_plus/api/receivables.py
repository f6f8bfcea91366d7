"""Whitelisted receivables follow-up actions: record a contact attempt, a promise to pay."""

import frappe
from frappe.utils import now_datetime

FOLLOW_UP = "Receivable Follow Up"


@frappe.whitelist(methods=["POST"])
def record_attempt(
	name: str,
	result: str = "Reached",
	mode: str = "Phone",
	notes: str | None = None,
	contact_person: str | None = None,
	promise_date: str | None = None,
	promise_amount: float | None = None,
) -> str:
	"""One contact attempt, with the promise to pay it brought, if any. All or nothing:
	a bad promise (in the past, too large) leaves the follow-up unchanged."""
	doc = frappe.get_doc(FOLLOW_UP, name)
	doc.check_permission("write")
	doc.append(
		"attempts",
		{
			"contacted_on": now_datetime(),
			"mode": mode,
			"result": result,
			"notes": notes,
			"contact_person": contact_person,
			"user": frappe.session.user,
		},
	)
	if promise_date or promise_amount:
		doc.promise_date = promise_date
		doc.promise_amount = promise_amount
	doc.save()
	return doc.status
