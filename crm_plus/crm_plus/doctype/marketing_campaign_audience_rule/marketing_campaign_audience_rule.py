# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

from frappe.model.document import Document


class MarketingCampaignAudienceRule(Document):
	def __init__(self, *args, **kwargs):
		super().__init__(*args, **kwargs)
		# Frappe checks a Dynamic Link before any validate hook runs: its doctype
		# follows from the rule, so a REST or import caller needn't send it.
		from crm_plus.marketing.audience import RULE_DOCTYPES

		if self.get("rule") in RULE_DOCTYPES:
			self.link_doctype = RULE_DOCTYPES[self.rule]
