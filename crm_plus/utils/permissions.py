"""The app's trust boundaries in one place: who the caller is allowed to be, what the
database says (never the request), fields only the code may set, and user permissions
as SQL for the reports.

Every hook that writes with elevated rights asks here first whether the *caller* may
touch the record it is about to touch. docs/security.md lists the rules."""

import frappe
from frappe import _

ADMINISTRATOR = "Administrator"


# --- the caller ---------------------------------------------------------------------------


def is_website_user(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Guest":
		return True
	return frappe.db.get_value("User", user, "user_type") == "Website User"


def has_any_role(roles, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == ADMINISTRATOR:
		return True
	return bool(set(r for r in roles if r) & set(frappe.get_roles(user)))


def require_desk_users(doc, fieldname: str, table: str | None = None) -> None:
	"""The users a record is assigned to (and so shared with, and notified about) are
	enabled desk users: assigning a portal user would hand them the record."""
	rows = doc.get(table) if table else [doc]
	users = {row.get(fieldname) for row in rows if row.get(fieldname)}
	if not users:
		return
	desk = frappe.get_all("User", filters={"name": ("in", list(users)), "enabled": 1, "user_type": "System User"}, pluck="name")
	meta = frappe.get_meta(doc.meta.get_field(table).options) if table else doc.meta
	for user in sorted(users - set(desk)):
		frappe.throw(
			_("{0} is not an active desk user; only desk users can be the {1}.").format(user, _(meta.get_label(fieldname))),
			frappe.ValidationError,
		)


def require_write(doctype: str, name: str, message: str | None = None) -> None:
	"""PermissionError unless the session user may write this stored record (role
	permissions, user permissions and permission hooks, as Frappe decides them)."""
	if not frappe.has_permission(doctype, "write", doc=name):
		frappe.throw(
			message or _("You are not permitted to change {0} {1}.").format(_(doctype), name),
			frappe.PermissionError,
		)


# --- what is stored -----------------------------------------------------------------------


def stored_doc(doc):
	"""The document as the database holds it (None for a new one): what permission
	decisions read, never the values of the request being saved."""
	if doc.is_new() or not doc.name:
		return None
	before = doc.get_doc_before_save()
	if before is not None:
		return before
	if not frappe.db.exists(doc.doctype, doc.name):
		return None
	return frappe.get_doc(doc.doctype, doc.name)


def keep_server_fields(doc, fieldnames) -> None:
	"""Fields the code owns: whatever the request sent, they keep their stored value (or
	are empty on a new document) until the code itself sets them, after this call. Child
	tables keep their stored rows."""
	before = stored_doc(doc)
	for fieldname in fieldnames:
		df = doc.meta.get_field(fieldname)
		if df and df.fieldtype in frappe.model.table_fields:
			doc.set(fieldname, [row.as_dict() for row in before.get(fieldname)] if before else [])
		elif fieldname == "owner":
			if before:
				doc.owner = before.owner
		else:
			doc.set(fieldname, before.get(fieldname) if before else None)


# --- user permissions as SQL (for reports) --------------------------------------------------


def user_permission_values(link_doctype: str, for_doctype: str, user: str | None = None) -> list[str] | None:
	"""The values of `link_doctype` a user permission restricts the user to when reading
	`for_doctype`, or None when none applies. Frappe's own reading (as in frappe.get_list):
	a permission applies to every doctype (applicable_for empty: "apply to all doctypes")
	or to the one it names; tree doctypes bring their descendants unless hidden."""
	from frappe.core.doctype.user_permission.user_permission import get_user_permissions

	user = user or frappe.session.user
	if user == ADMINISTRATOR:
		return None
	entries = get_user_permissions(user).get(link_doctype) or []
	values = [e.get("doc") for e in entries if not e.get("applicable_for") or e.get("applicable_for") == for_doctype]
	return values or None


def user_permission_columns(doctype: str, alias: str, extra: dict[str, str] | None = None, user: str | None = None) -> list[tuple[str, list[str]]]:
	"""(SQL column, allowed values) for each restriction a user permission puts on reading
	`doctype` (table alias `alias`), as frappe.get_list applies them: the record itself and
	every Link field not marked "ignore user permissions". `extra` maps further columns (a
	Dynamic Link, a joined table's column) to the doctype they hold."""
	columns = {f"{alias}.`name`": doctype}
	for df in frappe.get_meta(doctype).get_link_fields():
		if not df.get("ignore_user_permissions"):
			columns[f"{alias}.`{df.fieldname}`"] = df.options
	columns.update(extra or {})
	out = []
	for column, link_doctype in columns.items():
		values = user_permission_values(link_doctype, doctype, user)
		if values is not None:
			out.append((column, values))
	return out


def user_permission_sql(doctype: str, alias: str, extra: dict[str, str] | None = None, user: str | None = None) -> tuple[str, dict]:
	"""SQL conditions (each starting with " and ") and their parameters that keep only the
	`doctype` rows the user may read under their user permissions, exactly as
	frappe.get_list decides (see user_permission_columns). An empty link passes unless
	System Settings apply strict user permissions. Applied inside a report's queries, so
	its rows, chart and summary come from the same permitted records."""
	strict = frappe.get_system_settings("apply_strict_user_permissions")
	sql, params = [], {}
	for i, (column, values) in enumerate(user_permission_columns(doctype, alias, extra, user)):
		key = f"perm_{alias}_{i}"
		condition = f"{column} in %({key})s"
		if not strict:
			condition = f"(ifnull({column}, '') = '' or {condition})"
		sql.append(f" and {condition}")
		params[key] = tuple(values)
	return "".join(sql), params


def check_company(company: str | None, for_doctype: str = "Company") -> None:
	"""A report or read API asked about `company`: refused (PermissionError) when the
	user's user permissions on Company, for `for_doctype` (the doctype the figures come
	from), leave it out. Reading the Company master itself is not needed: a Service Clerk
	may see the repair figures of their company without the Company form."""
	if not company:
		return
	allowed = user_permission_values("Company", for_doctype)
	if allowed is not None and company not in allowed:
		frappe.throw(_("You are not permitted to see figures of company {0}.").format(company), frappe.PermissionError)
