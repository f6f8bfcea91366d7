"""Where a competitor appears (竞争对手): the opportunities that name it (won, lost, open),
the customers of those opportunities and of the follow-ups that mention it, the latest
follow-ups. Read through frappe.get_list: only what the user may read."""

import frappe

from crm_plus.pipeline.opportunity import OPEN_STATUSES

RECENT = 10


def get_competitor_summary(competitor: str) -> dict:
	named = [["Competitor Detail", "competitor", "=", competitor]]
	from crm_plus.relationship.customer_360 import default_currency

	out = {"opportunities": None, "by_status": None, "follow_ups": None, "customers": [], "currency": default_currency()}
	customers = {}
	if frappe.has_permission("Opportunity", "read"):
		by_status = frappe.get_list(
			"Opportunity",
			filters=named,
			fields=["status", "count(distinct `tabOpportunity`.name) as count", "sum(base_opportunity_amount) as amount"],
			group_by="status",
			order_by="status",
		)
		out["by_status"] = {
			"open": sum(r.count for r in by_status if r.status in OPEN_STATUSES),
			"open_amount": sum(r.amount or 0 for r in by_status if r.status in OPEN_STATUSES),
			"won": sum(r.count for r in by_status if r.status == "Converted"),
			"lost": sum(r.count for r in by_status if r.status == "Lost"),
			"lost_amount": sum(r.amount or 0 for r in by_status if r.status == "Lost"),
		}
		out["opportunities"] = frappe.get_list(
			"Opportunity",
			filters=named,
			fields=["name", "opportunity_from", "party_name", "customer_name", "status", "transaction_date", "base_opportunity_amount as amount"],
			order_by="transaction_date desc",
			limit_page_length=RECENT,
			distinct=True,
		)
		for row in frappe.get_list(
			"Opportunity",
			filters=named + [["opportunity_from", "=", "Customer"]],
			fields=["party_name as customer", "count(distinct `tabOpportunity`.name) as count"],
			group_by="party_name",
			order_by="party_name",
		):
			customers.setdefault(row.customer, {"customer": row.customer, "opportunities": 0, "follow_ups": 0})["opportunities"] = row.count
	if frappe.has_permission("Customer Follow Up", "read"):
		out["follow_ups"] = frappe.get_list(
			"Customer Follow Up",
			filters={"competitor": competitor},
			fields=["name", "party_name", "date", "summary", "user"],
			order_by="date desc",
			limit_page_length=RECENT,
		)
		for row in frappe.get_list(
			"Customer Follow Up",
			filters={"competitor": competitor, "party_type": "Customer"},
			fields=["customer", "count(name) as count"],
			group_by="customer",
			order_by="customer",
		):
			customers.setdefault(row.customer, {"customer": row.customer, "opportunities": 0, "follow_ups": 0})["follow_ups"] = row.count
	out["customers"] = sorted(customers.values(), key=lambda c: (-(c["opportunities"] + c["follow_ups"]), c["customer"]))
	return out
