# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

import frappe
from frappe.model.document import Document


class OpportunityStageHistory(Document):
	pass


def on_doctype_update():
	"""Pipeline Movement reads the rows changed in a period and, for each, its neighbours in
	the same opportunity: both from the index alone."""
	frappe.db.add_index(
		"Opportunity Stage History",
		["changed_on", "parent", "idx", "status", "sales_stage", "expected_closing"],
		"crm_plus_period",
	)
	frappe.db.add_index(
		"Opportunity Stage History", ["parent", "idx", "status", "sales_stage", "expected_closing", "changed_on"], "crm_plus_parent_idx"
	)
