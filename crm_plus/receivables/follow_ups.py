"""Receivables follow-up (回款管理): keep follow-ups in step with payments, open them for
due invoices, alert on missed promises, remind collectors every morning."""

import frappe
from frappe import _
from frappe.utils import add_days, escape_html, flt, getdate, nowdate

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.crm_plus.doctype.receivable_follow_up.receivable_follow_up import OPEN_STATUSES, status_of
from crm_plus.utils.notify import manager_of as employee_manager
from crm_plus.utils.notify import notify_users, users_with_role

FOLLOW_UP = "Receivable Follow Up"
REFRESHED_STATUSES = (*OPEN_STATUSES, "Promise Met", "Paid")


# --- payments update what is open -------------------------------------------------------


def refresh_follow_ups(invoices=None) -> None:
	"""Copy each invoice's outstanding amount onto its follow-ups and move their status
	(Paid, Promise Met, back to Open when a payment is cancelled). All follow-ups not
	closed when `invoices` is None (the daily job; covers Payment Reconciliation)."""
	if invoices is not None and not invoices:
		return
	fu = frappe.qb.DocType(FOLLOW_UP)
	si = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(fu)
		.join(si)
		.on(si.name == fu.sales_invoice)
		.select(
			fu.name, fu.status, fu.promise_date, fu.promise_amount, fu.outstanding_at_promise,
			fu.outstanding_amount.as_("old_outstanding"), si.outstanding_amount,
		)
		.where(fu.status.isin(REFRESHED_STATUSES))
	)
	if invoices is not None:
		query = query.where(fu.sales_invoice.isin(list(invoices)))
	for row in query.run(as_dict=True):
		status = status_of(row)
		if status != row.status or flt(row.outstanding_amount) != flt(row.old_outstanding):
			frappe.db.set_value(FOLLOW_UP, row.name, {"status": status, "outstanding_amount": row.outstanding_amount})


def referenced_invoices(doc) -> set[str]:
	if doc.doctype == "Payment Entry":
		return {r.reference_name for r in doc.references if r.reference_doctype == "Sales Invoice"}
	if doc.doctype == "Journal Entry":
		return {r.reference_name for r in doc.accounts if r.reference_type == "Sales Invoice" and r.reference_name}
	if doc.doctype == "Sales Invoice":
		return {doc.return_against} if doc.is_return and doc.return_against else {doc.name}
	return set()


def on_payment_change(doc, method=None) -> None:
	"""doc_events of Payment Entry, Journal Entry and Sales Invoice (credit notes):
	ERPNext has updated the invoices' outstanding amounts by now."""
	refresh_follow_ups(referenced_invoices(doc))


# --- daily job -------------------------------------------------------------------------------


def open_follow_ups(today=None) -> list[str]:
	"""A follow-up for every unpaid invoice overdue or due within the setting's days that
	has none open yet. Returns the new follow-ups."""
	today = getdate(today or nowdate())
	horizon = add_days(today, get_settings().receivable_soon_due_days or 0)
	si = frappe.qb.DocType("Sales Invoice")
	fu = frappe.qb.DocType(FOLLOW_UP)
	has_open = frappe.qb.from_(fu).select(fu.name).where((fu.sales_invoice == si.name) & fu.status.isin(OPEN_STATUSES))
	customer = frappe.qb.DocType("Customer")
	rows = (
		frappe.qb.from_(si)
		.join(customer)
		.on(customer.name == si.customer)
		.select(si.name, si.owner, customer.crm_plus_collector, customer.account_manager)
		.where(
			(si.docstatus == 1)
			& (si.is_return == 0)
			& (si.outstanding_amount > 0)
			& (si.due_date <= horizon)
			& ~frappe.qb.terms.ExistsCriterion(has_open)
		)
	).run(as_dict=True)
	made = []
	for row in rows:
		# the customer's collector, else their account manager, else who made the invoice
		collector = row.crm_plus_collector or row.account_manager or row.owner
		doc = frappe.get_doc({"doctype": FOLLOW_UP, "sales_invoice": row.name, "collector": collector})
		doc.insert(ignore_permissions=True)  # the system opens follow-ups for the collectors
		made.append(doc.name)
	return made


def manager_of(user: str) -> list[str]:
	"""The user's manager (their Employee's Reports To); Accounts Managers when unknown."""
	manager = employee_manager(user)
	return [manager] if manager else users_with_role("Accounts Manager")


def alert_missed_promises(today=None) -> list[str]:
	"""Promises whose date has passed unmet: status Promise Missed, the collector and
	their manager alerted (once per promise)."""
	today = getdate(today or nowdate())
	fu = frappe.qb.DocType(FOLLOW_UP)
	rows = (
		frappe.qb.from_(fu)
		.select(
			fu.name, fu.status, fu.collector, fu.customer_name, fu.sales_invoice, fu.promise_date, fu.promise_amount,
			fu.currency, fu.outstanding_amount, fu.outstanding_at_promise,
		)
		.where(fu.status.isin(("Promised", "Promise Missed")) & (fu.promise_date < today) & (fu.missed_alert_sent == 0))
	).run(as_dict=True)
	missed = []
	for row in rows:
		if status_of(row) != "Promise Missed":
			continue
		subject = _("Missed promise to pay: {0} ({1}) promised {2} by {3}").format(
			row.customer_name,
			row.sales_invoice,
			frappe.format(row.promise_amount, {"fieldtype": "Currency", "options": row.currency}),
			frappe.format(row.promise_date, "Date"),
		)
		notify_users([row.collector, *manager_of(row.collector)], subject, FOLLOW_UP, row.name)
		frappe.db.set_value(FOLLOW_UP, row.name, {"status": "Promise Missed", "missed_alert_sent": 1})
		missed.append(row.name)
	return missed


def remind_collectors(today=None) -> None:
	"""Each collector: today's promises and the invoices that fell overdue today."""
	if not get_settings().receivable_daily_reminder:
		return
	today = getdate(today or nowdate())
	fu = frappe.qb.DocType(FOLLOW_UP)
	rows = (
		frappe.qb.from_(fu)
		.select(fu.name, fu.collector, fu.customer_name, fu.sales_invoice, fu.promise_date, fu.due_date, fu.outstanding_amount, fu.currency)
		.where(
			fu.status.isin(OPEN_STATUSES)
			& (((fu.status == "Promised") & (fu.promise_date == today)) | (fu.due_date == add_days(today, -1)))
		)
		.orderby(fu.collector)
	).run(as_dict=True)
	by_collector: dict[str, list] = {}
	for row in rows:
		by_collector.setdefault(row.collector, []).append(row)
	for collector, items in by_collector.items():
		promised = [i for i in items if i.promise_date and getdate(i.promise_date) == today]
		overdue = [i for i in items if i not in promised]
		subject = _("Receivables today: {0} promises to pay, {1} newly overdue invoices").format(len(promised), len(overdue))
		lines = "".join(
			f"<li>{escape_html(i.customer_name or '')} · {escape_html(i.sales_invoice)} · "
			f"{frappe.format(i.outstanding_amount, {'fieldtype': 'Currency', 'options': i.currency})}</li>"
			for i in items
		)
		notify_users([collector], subject, FOLLOW_UP, items[0].name, f"<p>{escape_html(subject)}</p><ul>{lines}</ul>")


def daily() -> None:
	refresh_follow_ups()
	open_follow_ups()
	alert_missed_promises()
	remind_collectors()
