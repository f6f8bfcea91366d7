"""Follow-ups across ERPNext: timelines, permissions and the daily digest."""

import frappe
from frappe import _
from frappe.utils import add_days, escape_html, format_datetime, getdate, nowdate

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.utils.notify import notify_users
from crm_plus.utils.permissions import has_any_role

FOLLOW_UP = "Customer Follow Up"
MANAGER_ROLES = {"Sales Manager", "System Manager"}

# Which follow-up field points at each ERPNext doctype whose timeline shows follow-ups.
TIMELINE_FIELDS = {
	"Customer": "customer",
	"Lead": "lead",
	"Prospect": "prospect",
	"Opportunity": "opportunity",
	"Quotation": "quotation",
	"Sales Order": "sales_order",
}


# --- timelines -------------------------------------------------------------------


def get_timeline_content(doctype: str, docname: str) -> list[dict]:
	"""additional_timeline_content hook: the follow-ups concerning this document."""
	fieldname = TIMELINE_FIELDS.get(doctype)
	if not fieldname or not frappe.has_permission(FOLLOW_UP, "read"):
		return []
	rows = frappe.get_list(
		FOLLOW_UP,
		filters={fieldname: docname},
		fields=["name", "date", "follow_up_type", "summary", "outcome", "user", "next_follow_up_on", "next_action", "next_follow_up_status"],
		order_by="date desc",
		limit=50,
	)
	return [
		{
			"icon": "call" if row.follow_up_type == "Phone" else "message",
			"is_card": True,
			"creation": row.date,
			"content": _render_timeline_item(row),
		}
		for row in rows
	]


def _render_timeline_item(row) -> str:
	link = f'<a href="/app/customer-follow-up/{escape_html(row.name)}">{escape_html(row.name)}</a>'
	parts = [
		f"<b>{_('Follow-up')} · {_(row.follow_up_type)}</b> {link} · {escape_html(frappe.utils.get_fullname(row.user))}",
		f"<div>{escape_html(row.summary or '')}</div>",
	]
	if row.outcome:
		parts.append(f"<div>{_('Outcome')}: {escape_html(row.outcome)}</div>")
	if row.next_follow_up_status == "Open":
		parts.append(
			f"<div>{_('Next')}: {format_datetime(row.next_follow_up_on)} · {escape_html(row.next_action or '')}</div>"
		)
	return "".join(parts)


# --- permissions -------------------------------------------------------------------


def sees_all(user: str) -> bool:
	return user == "Administrator" or not get_settings().follow_up_own_only or bool(
		MANAGER_ROLES & set(frappe.get_roles(user))
	)


def get_permission_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if sees_all(user):
		return ""
	escaped = frappe.db.escape(user)
	return f"(`tabCustomer Follow Up`.`user` = {escaped} OR `tabCustomer Follow Up`.`owner` = {escaped})"


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	"""Decided on the follow-up as stored: a request that makes a colleague's follow-up
	"mine" is judged on whose it was. A new follow-up is the caller's (validate checks the
	user it is recorded for)."""
	user = user or frappe.session.user
	if sees_all(user):
		return True
	stored = frappe.db.get_value(FOLLOW_UP, doc.name, ["user", "owner"], as_dict=True) if doc.name else None
	if not stored:
		return True
	return user in (stored.user, stored.owner)


def may_reassign(user: str | None = None) -> bool:
	"""Recording a follow-up for another user, or handing one over, is for the Follow-up
	Reassigning Role (CRM Plus Settings, default Sales Manager)."""
	return has_any_role([get_settings().follow_up_reassign_role or "Sales Manager", "System Manager"], user)


# --- daily digest --------------------------------------------------------------------


def send_daily_digest() -> None:
	"""Each user's follow-ups due today and overdue: a notification and an email."""
	if not get_settings().follow_up_daily_digest:
		return
	table = frappe.qb.DocType(FOLLOW_UP)
	rows = (
		frappe.qb.from_(table)
		.select(table.name, table.user, table.party_name, table.next_action, table.next_follow_up_on)
		.where((table.next_follow_up_status == "Open") & (table.next_follow_up_on < add_days(nowdate(), 1)))
		.orderby(table.user)
		.orderby(table.next_follow_up_on)
	).run(as_dict=True)
	by_user: dict[str, list] = {}
	for row in rows:
		by_user.setdefault(row.user, []).append(row)
	for user, items in by_user.items():
		_send_digest(user, items)


def _send_digest(user: str, items: list) -> None:
	today = getdate(nowdate())
	overdue = sum(1 for i in items if getdate(i.next_follow_up_on) < today)
	subject = _("Follow-ups due: {0} today, {1} overdue").format(len(items) - overdue, overdue)
	lines = "".join(
		f"<li>{format_datetime(i.next_follow_up_on)} · "
		f'<a href="{frappe.utils.get_url_to_form(FOLLOW_UP, i.name)}">{escape_html(i.party_name or i.name)}</a>'
		f" · {escape_html(i.next_action or '')}</li>"
		for i in items
	)
	content = f"<p>{subject}</p><ul>{lines}</ul>"
	# Notification Log also emails the user, as their notification settings allow.
	notify_users(
		[user],
		subject,
		FOLLOW_UP,
		items[0].name,
		content=content,
		link=f"/app/customer-follow-up?next_follow_up_status=Open&user={user}",
	)
