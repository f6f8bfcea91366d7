"""Notification Logs for users (the bell, and an email as each user's settings allow)."""

import frappe


def notify_users(users, subject: str, doctype: str, name: str, content: str | None = None) -> None:
	for user in sorted({u for u in users if u and u not in ("Guest",)}):
		if not frappe.db.get_value("User", user, "enabled"):
			continue
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"subject": subject,
				"email_content": content or subject,
				"document_type": doctype,
				"document_name": name,
			}
		).insert(ignore_permissions=True)  # the system's notice, written for that user


def users_with_role(role: str) -> list[str]:
	"""Enabled system users holding `role` (Administrator excluded)."""
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	return [
		r[0]
		for r in (
			frappe.qb.from_(has_role)
			.join(user)
			.on(user.name == has_role.parent)
			.select(user.name)
			.distinct()
			.where(
				(has_role.role == role)
				& (has_role.parenttype == "User")
				& (user.enabled == 1)
				& (user.user_type == "System User")
				& (user.name != "Administrator")
			)
		).run()
	]
