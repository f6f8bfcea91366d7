import frappe
from frappe.permissions import get_user_permissions


def allowed_values(doctype: str, user: str | None = None) -> list[str] | None:
	"""The values of `doctype` the user is restricted to by User Permissions, or None
	when unrestricted. For reports that filter inside their SQL, so rows, charts and
	summaries agree."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	perms = get_user_permissions(user).get(doctype)
	if not perms:
		return None
	return [p.get("doc") for p in perms if not p.get("applicable_for")] or [p.get("doc") for p in perms]
