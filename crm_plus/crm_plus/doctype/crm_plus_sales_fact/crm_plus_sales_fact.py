"""A sales fact is written only by crm_plus.analytics.facts (submit, cancel, repost,
rebuild); nobody creates or edits one by hand or over REST (no role has write)."""

from frappe.model.document import Document


class CRMPlusSalesFact(Document):
	pass


def on_doctype_update():
	from crm_plus.analytics.facts import add_fact_indexes

	add_fact_indexes()
