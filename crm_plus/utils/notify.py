"""Notification Logs for users (the bell, and an email as each user's settings allow),
and who to send them to."""

import html

import frappe
from frappe import _
from frappe.desk.doctype.notification_settings.notification_settings import is_email_notifications_enabled
from frappe.utils import escape_html, get_url, get_url_to_form, strip_html
from frappe.utils.user import get_users_with_role


def notify_users(
	users, subject: str, doctype: str, name: str, content: str | None = None, link: str | None = None
) -> None:
	"""One Notification Log per enabled user among `users`. `subject` is plain text (it is
	escaped here: it may hold names users typed); `content`, if given, is HTML whose
	user-typed parts the caller escaped."""
	wanted = {u for u in users if u and u != "Guest"}
	if not wanted:
		return
	enabled = frappe.get_all("User", filters={"name": ["in", list(wanted)], "enabled": 1}, pluck="name")
	for user in sorted(enabled):
		log = frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"subject": escape_html(subject),
				"email_content": content or f"<p>{escape_html(subject)}</p>",
				"document_type": doctype,
				"document_name": name,
				"link": link,
			}
		).insert(ignore_permissions=True)  # the system's notice, written for that user
		email_alert(log)


def email_alert(log) -> None:
	"""Frappe emails a Notification Log of every type but "Alert" (its own alerts are bell-only);
	crm_plus's alerts (escalations, digests, missed promises) are meant for the inbox too, so
	they are queued here in Frappe's notification email, unless the user turned email
	notifications off in their Notification Settings."""
	if not is_email_notifications_enabled(log.for_user):
		return
	user = frappe.db.get_value("User", log.for_user, ["email", "language"], as_dict=True)
	if not user or not user.email:
		return
	frappe.sendmail(
		recipients=[user.email],
		subject=html.unescape(strip_html(log.subject)),  # a mail subject is text: "<b>" as typed, not &lt;b&gt;
		template="new_notification",
		args={
			"body_content": log.subject,
			"description": log.email_content,
			"doc_link": get_url(log.link) if log.link else get_url_to_form(log.document_type, log.document_name),
		},
		header=[_("New Notification", lang=user.language), "orange"],
		reference_doctype=log.document_type,
		reference_name=log.document_name,
	)


def users_with_role(role: str) -> list[str]:
	"""Enabled desk users holding `role` (Administrator excluded)."""
	desk_users = set(frappe.get_all("User", filters={"user_type": "System User", "enabled": 1}, pluck="name"))
	return sorted(u for u in get_users_with_role(role) if u in desk_users)


def manager_of(user: str | None) -> str | None:
	"""The user of the Employee the user's Employee reports to, if any."""
	if not user:
		return None
	reports_to = frappe.db.get_value("Employee", {"user_id": user, "status": "Active"}, "reports_to")
	return reports_to and frappe.db.get_value("Employee", reports_to, "user_id")
