import frappe

from crm_plus.marketing.audience import refresh_members
from crm_plus.marketing.mass_email import queue_campaign_emails

CAMPAIGN = "Marketing Campaign"


@frappe.whitelist(methods=["POST"])
def resolve_audience(campaign: str) -> dict:
	"""Resolve the campaign's audience rules into its stored member list."""
	doc = frappe.get_doc(CAMPAIGN, campaign)
	doc.check_permission("write")
	return refresh_members(doc)


@frappe.whitelist(methods=["POST"])
def send_emails(campaign: str) -> dict:
	"""Queue the campaign's mass email in the background; members already emailed are skipped."""
	doc = frappe.get_doc(CAMPAIGN, campaign)
	doc.check_permission("write")
	return queue_campaign_emails(doc)
