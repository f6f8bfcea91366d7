"""Contract Documents: the daily status job, reminders, renewal and the Sales Order check."""

import frappe
from frappe import _
from frappe.utils import add_days, escape_html, getdate, nowdate

from crm_plus.crm_plus.doctype.contract_document.contract_document import renewal_dates
from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.utils.notify import notify_users

CONTRACT = "Contract Document"
LIVE = ("Active", "Expiring")


class ContractRequiredError(frappe.ValidationError):
	pass


# --- daily status job -------------------------------------------------------------------


def update_contract_statuses(today=None) -> int:
	"""Active → Expiring → Expired for submitted contracts. Re-runnable: it only moves
	contracts whose status differs from what the dates say. Returns how many moved."""
	today = getdate(today or nowdate())
	expiring_from = add_days(today, get_settings().contract_expiring_days or 0)
	table = frappe.qb.DocType(CONTRACT)
	moved = 0
	for status, condition in (
		("Expired", table.end_date < today),
		("Expiring", (table.end_date >= today) & (table.end_date <= expiring_from)),
		("Active", table.end_date > expiring_from),
	):
		names = [
			r[0]
			for r in frappe.qb.from_(table)
			.select(table.name)
			.where((table.docstatus == 1) & table.status.isin(LIVE) & (table.status != status) & condition)
			.run()
		]
		if names:
			frappe.qb.update(table).set(table.status, status).where(table.name.isin(names)).run()
			moved += len(names)
	return moved


# --- reminders ---------------------------------------------------------------------------


def send_contract_reminders(today=None) -> None:
	"""Tell owners and contract managers N days before a contract ends and before each
	payment milestone; each reminder once (flags on the contract and milestone rows)."""
	today = getdate(today or nowdate())
	horizon = add_days(today, get_settings().contract_reminder_days or 0)
	table = frappe.qb.DocType(CONTRACT)
	ending = (
		frappe.qb.from_(table)
		.select(table.name, table.owner, table.contract_manager, table.customer_name, table.end_date)
		.where(
			(table.docstatus == 1)
			& table.status.isin(LIVE)
			& (table.end_reminder_sent == 0)
			& (table.end_date >= today)
			& (table.end_date <= horizon)
		)
	).run(as_dict=True)
	for c in ending:
		notify_users(
			[c.owner, c.contract_manager],
			_("Contract {0} with {1} ends on {2}").format(c.name, c.customer_name, frappe.format(c.end_date, "Date")),
			CONTRACT,
			c.name,
		)
	if ending:
		frappe.qb.update(table).set(table.end_reminder_sent, 1).where(table.name.isin([c.name for c in ending])).run()

	row = frappe.qb.DocType("Contract Document Milestone")
	milestones = (
		frappe.qb.from_(row)
		.join(table)
		.on(table.name == row.parent)
		.select(
			row.name.as_("row"), row.due_date, row.amount, row.condition, row.currency,
			table.name, table.owner, table.contract_manager, table.customer_name,
		)
		.where(
			(row.parenttype == CONTRACT)
			& (table.docstatus == 1)
			& table.status.isin(LIVE)
			& (row.reminder_sent == 0)
			& (row.due_date >= today)
			& (row.due_date <= horizon)
		)
	).run(as_dict=True)
	for m in milestones:
		subject = _("Payment milestone of contract {0} ({1}): {2} due on {3}").format(
			m.name,
			m.customer_name,
			frappe.format(m.amount, {"fieldtype": "Currency", "options": m.currency}),
			frappe.format(m.due_date, "Date"),
		)
		notify_users([m.owner, m.contract_manager], subject, CONTRACT, m.name, f"<p>{escape_html(subject)}</p><p>{escape_html(m.condition or '')}</p>")
	if milestones:
		frappe.qb.update(row).set(row.reminder_sent, 1).where(row.name.isin([m.row for m in milestones])).run()


# --- renewal and termination ------------------------------------------------------------


def make_renewal(source_name: str):
	"""A draft successor of a submitted contract: same customer, terms and milestones
	shifted to the next period. Submitting it marks the source Renewed and links both."""
	source = frappe.get_doc(CONTRACT, source_name)
	if source.docstatus != 1 or source.status not in ("Active", "Expiring", "Expired"):
		frappe.throw(_("Only a submitted, active, expiring or expired contract can be renewed."), title=_("Cannot Renew"))
	if source.renewed_to and frappe.db.get_value(CONTRACT, source.renewed_to, "docstatus") == 1:
		frappe.throw(_("Contract {0} was already renewed by {1}.").format(source.name, source.renewed_to), title=_("Cannot Renew"))
	start, end = renewal_dates(source)
	shift = frappe.utils.date_diff(start, source.start_date)
	successor = frappe.copy_doc(source)
	successor.update(
		{
			"renewed_from": source.name,
			"renewed_to": None,
			"amended_from": None,
			"start_date": start,
			"end_date": end,
			"signing_date": None,
			"signed_file": None,
			"quotation": None,
			"sales_order": None,
			"status": "Draft",
			"docstatus": 0,
			"end_reminder_sent": 0,
		}
	)
	for m in successor.milestones:
		m.due_date = add_days(m.due_date, shift)
		m.reminder_sent = 0
	return successor


def terminate(contract) -> None:
	if contract.docstatus != 1 or contract.status not in ("Active", "Expiring"):
		frappe.throw(_("Only an active or expiring contract can be terminated."), title=_("Cannot Terminate"))
	contract.db_set("status", "Terminated")
	contract.add_comment("Info", _("Terminated"))


# --- Sales Order check ---------------------------------------------------------------


def active_contract_for(customer: str, company: str, on_date) -> str | None:
	table = frappe.qb.DocType(CONTRACT)
	found = (
		frappe.qb.from_(table)
		.select(table.name)
		.where(
			(table.docstatus == 1)
			& table.status.isin(LIVE)
			& (table.customer == customer)
			& (table.company == company)
			& (table.start_date <= on_date)
			& (table.end_date >= on_date)
		)
		.orderby(table.end_date, order=frappe.qb.desc)
		.limit(1)
	).run()
	return found[0][0] if found else None


def check_sales_order_contract(doc, method=None) -> None:
	"""Warn or block (setting) a Sales Order for a customer who needs a contract when no
	active contract covers the order's date."""
	mode = get_settings().contract_check_mode or "Off"
	if mode == "Off" or not doc.customer:
		return
	if not frappe.db.get_value("Customer", doc.customer, "crm_plus_contract_required"):
		return
	on_date = getdate(doc.transaction_date or nowdate())
	if active_contract_for(doc.customer, doc.company, on_date):
		return
	message = _("Customer {0} requires a contract, and no active Contract Document covers {1}.").format(
		frappe.bold(doc.customer), frappe.format(on_date, "Date")
	)
	if mode == "Block":
		frappe.throw(message, ContractRequiredError, title=_("No Active Contract"))
	frappe.msgprint(message, title=_("No Active Contract"), indicator="orange", alert=False)
