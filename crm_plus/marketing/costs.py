"""A campaign's actual cost from the books: expense GL entries (purchase invoices,
expense claims, journal entries, …) whose lines carry the campaign in the
"Marketing Campaign" accounting dimension — the ERPNext way to tag costs."""

import frappe

DIMENSION_FIELD = "marketing_campaign"


def make_accounting_dimension() -> None:
	"""Install: the dimension and its fields on every accounting doctype, made now
	(ERPNext otherwise queues the fields for a background worker)."""
	from erpnext.accounts.doctype.accounting_dimension.accounting_dimension import (
		make_dimension_in_accounting_doctypes,
	)

	name = frappe.db.get_value("Accounting Dimension", {"document_type": "Marketing Campaign"})
	doc = frappe.get_doc("Accounting Dimension", name) if name else None
	if not doc:
		doc = frappe.get_doc({"doctype": "Accounting Dimension", "document_type": "Marketing Campaign"})
		doc.insert(ignore_permissions=True)  # shipped accounting dimension, made at install
	make_dimension_in_accounting_doctypes(doc)


def remove_accounting_dimension() -> None:
	from erpnext.accounts.doctype.accounting_dimension.accounting_dimension import delete_accounting_dimension

	name = frappe.db.get_value("Accounting Dimension", {"document_type": "Marketing Campaign"})
	if name:
		doc = frappe.get_doc("Accounting Dimension", name)
		delete_accounting_dimension(doc)
		frappe.db.delete("Accounting Dimension", {"name": name})
		frappe.db.delete("Accounting Dimension Detail", {"parent": name})
		frappe.flags.accounting_dimensions = None


def get_actual_costs(campaign: str, company: str) -> dict[str, float]:
	"""Expense account → net debit of GL entries tagged with the campaign."""
	if not frappe.db.has_column("GL Entry", DIMENSION_FIELD):
		return {}
	rows = frappe.db.sql(
		f"""
		SELECT gle.account, SUM(gle.debit - gle.credit)
		FROM `tabGL Entry` gle
		JOIN `tabAccount` acc ON acc.name = gle.account
		WHERE gle.`{DIMENSION_FIELD}` = %(campaign)s AND gle.company = %(company)s
			AND gle.is_cancelled = 0 AND acc.root_type = 'Expense'
		GROUP BY gle.account
		""",
		{"campaign": campaign, "company": company},
	)
	return {account: amount for account, amount in rows}
