"""Permissions crm_plus gives its roles on ERPNext doctypes, as data.

Arranging a service visit (服务安排) is a Service Clerk's and a Service Manager's work, and a
service visit is ERPNext's Maintenance Visit, which ERPNext opens to Maintenance roles only.
Frappe keeps added rules as Custom DocPerm rows: the first one copies the doctype's
standard rules (so nothing existing is lost), the ones below are added next to them on
install and migrate, and removed on uninstall.

"select" lets the role pick the visit's items, serial numbers and service persons in its
link fields. Customers stay out of it: the visit is made from the complaint, with its
customer, and a Service Clerk reads customers only through what they are given to handle.
"""

import frappe
from frappe.permissions import setup_custom_perms

VISIT_CLERK = {"read": 1, "write": 1, "create": 1, "submit": 1, "report": 1, "print": 1, "email": 1}
VISIT_MANAGER = {**VISIT_CLERK, "cancel": 1, "amend": 1, "delete": 1, "export": 1}
PICK = {"select": 1}

# (doctype, role) -> the rights crm_plus adds
SHIPPED = {
	("Maintenance Visit", "Service Clerk"): VISIT_CLERK,
	("Maintenance Visit", "Service Manager"): VISIT_MANAGER,
	**{
		(doctype, role): PICK
		for doctype in ("Item", "Serial No", "Sales Person")
		for role in ("Service Clerk", "Service Manager")
	},
}


def make_permissions() -> None:
	for (doctype, role), rights in SHIPPED.items():
		setup_custom_perms(doctype)
		name = frappe.db.get_value("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0})
		perm = frappe.get_doc("Custom DocPerm", name) if name else frappe.new_doc("Custom DocPerm")
		perm.update({"parent": doctype, "parenttype": "DocType", "parentfield": "permissions", "role": role, "permlevel": 0})
		for ptype, value in rights.items():
			if not perm.get(ptype):
				perm.set(ptype, value)
		perm.save(ignore_permissions=True)  # install/migrate: the rules crm_plus ships, made whoever runs it
		frappe.clear_cache(doctype=doctype)


RIGHTS = ("select", "read", "write", "create", "delete", "submit", "cancel", "amend", "report", "export", "import", "share", "print", "email")


def remove_permissions() -> None:
	"""Uninstall: the rules crm_plus added; where only the copy of the standard rules is left,
	that copy too, so the doctype follows its standard rules again."""
	for doctype, role in SHIPPED:
		frappe.db.delete("Custom DocPerm", {"parent": doctype, "role": role})
	for doctype in {doctype for doctype, _role in SHIPPED}:
		if rules("Custom DocPerm", doctype) == rules("DocPerm", doctype):
			frappe.db.delete("Custom DocPerm", {"parent": doctype})
		frappe.clear_cache(doctype=doctype)


def rules(table: str, doctype: str) -> set[tuple]:
	fields = ["role", "permlevel", "if_owner", *RIGHTS]
	return {tuple(row) for row in frappe.get_all(table, filters={"parent": doctype}, fields=fields, as_list=True)}
