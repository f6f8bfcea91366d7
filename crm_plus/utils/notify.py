"""Notification Logs for users (the bell, and an email as each user's settings allow),
and who to send them to."""

import frappe
from frappe.utils import escape_html
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
		frappe.get_doc(
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
