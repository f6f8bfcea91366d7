"""A competitor's dashboard (竞争对手管理)."""

import frappe

from crm_plus.pipeline.competitors import get_competitor_summary


@frappe.whitelist(methods=["GET"])
def competitor_summary(competitor: str) -> dict:
	"""403 without read permission on the competitor; each part only from what the user may read."""
	frappe.has_permission("Competitor", "read", doc=competitor, throw=True)
	return get_competitor_summary(competitor)
