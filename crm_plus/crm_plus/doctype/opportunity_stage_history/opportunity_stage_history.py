# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

from frappe.model.document import Document


class OpportunityStageHistory(Document):
	pass
