"""Opportunities with known answers for the pipeline reports' tests (Sales Forecast,
Pipeline Movement, Competitor Analysis), expected to close in 2030 on the test company
(nothing else on the test site does).

Stages: Prospecting 10 %, Proposal 50 %, Negotiation 90 %. Committed from 90 %, best case
from 50 % (CRM Plus Settings' defaults).

	opp  customer  territory  sales person  stage        prob.  amount  closes      status   weighted
	O1   North 1   North      SP North      Proposal      50     1000  2030-01-15  Open       500
	O2   North 2   North      SP North      Negotiation   90     2000  2030-01-20  Open      1800
	O3   South 1   South      SP South      Prospecting   25 *   4000  2030-02-10  Open      1000
	O4   South 1   South      SP South      Proposal      50      500  2030-02-28  Lost (to Competitor A)
	O5   North 1   North      (none)        Prospecting   10      300  2030-01-31  Open        30

	* typed on the opportunity over the stage's 10 %.

One Sales Order for North 1 on 2030-01-25, net 600, shared 50/50 by SP North and SP South.
"""

import frappe

from crm_plus.tests.analytics_data import ITEM_A, NORTH, NORTH_1, NORTH_2, SOUTH, SOUTH_1, SP_NORTH, SP_SOUTH, make_known_sales
from crm_plus.tests.factories import COMPANY, WAREHOUSE

PROSPECTING, PROPOSAL, NEGOTIATION = "_CP Prospecting", "_CP Proposal", "_CP Negotiation"
COMPETITOR_A, COMPETITOR_B = "_CP Competitor A", "_CP Competitor B"
LOST_REASON = "_CP Lost on Price"
FROM_DATE, TO_DATE = "2030-01-01", "2030-03-31"


def make_stage(name: str, probability: float) -> str:
	if not frappe.db.exists("Sales Stage", name):
		frappe.get_doc({"doctype": "Sales Stage", "stage_name": name}).insert(ignore_permissions=True)
	frappe.db.set_value("Sales Stage", name, "crm_plus_probability", probability)
	return name


def make_competitor(name: str) -> str:
	if not frappe.db.exists("Competitor", name):
		frappe.get_doc({"doctype": "Competitor", "competitor_name": name}).insert(ignore_permissions=True)
	return name


def make_opportunity(customer: str, amount: float, stage: str, closes: str, sales_person: str | None = None, **values):
	doc = frappe.new_doc("Opportunity")
	territory, customer_group = frappe.db.get_value("Customer", customer, ["territory", "customer_group"])
	doc.update(
		{
			"opportunity_from": "Customer",
			"party_name": customer,
			"company": COMPANY,
			"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"transaction_date": "2030-01-02",
			"opportunity_amount": amount,
			"sales_stage": stage,
			"expected_closing": closes,
			"crm_plus_sales_person": sales_person,
			# as the form fetches them from the customer
			"territory": territory,
			"customer_group": customer_group,
			**values,
		}
	)
	doc.insert()
	return doc


def make_pipeline() -> dict:
	make_known_sales()
	make_stage(PROSPECTING, 10)
	make_stage(PROPOSAL, 50)
	make_stage(NEGOTIATION, 90)
	make_competitor(COMPETITOR_A)
	make_competitor(COMPETITOR_B)
	if not frappe.db.exists("Opportunity Lost Reason", LOST_REASON):
		frappe.get_doc({"doctype": "Opportunity Lost Reason", "lost_reason": LOST_REASON}).insert(ignore_permissions=True)
	opps = {
		"O1": make_opportunity(NORTH_1, 1000, PROPOSAL, "2030-01-15", SP_NORTH, competitors=[{"competitor": COMPETITOR_B}]),
		"O2": make_opportunity(NORTH_2, 2000, NEGOTIATION, "2030-01-20", SP_NORTH),
		"O3": make_opportunity(SOUTH_1, 4000, PROSPECTING, "2030-02-10", SP_SOUTH, probability=25),
		"O4": make_opportunity(SOUTH_1, 500, PROPOSAL, "2030-02-28", SP_SOUTH),
		"O5": make_opportunity(NORTH_1, 300, PROSPECTING, "2030-01-31"),
	}
	opps["O4"].declare_enquiry_lost([{"lost_reason": LOST_REASON}], [{"competitor": COMPETITOR_A}], "Cheaper offer")
	make_order(NORTH_1, 600, "2030-01-25", {SP_NORTH: 50, SP_SOUTH: 50})
	return {key: doc.name for key, doc in opps.items()}


def make_order(customer: str, amount: float, date: str, team: dict[str, float]):
	so = frappe.new_doc("Sales Order")
	so.update(
		{
			"company": COMPANY,
			"customer": customer,
			"territory": frappe.db.get_value("Customer", customer, "territory"),
			"transaction_date": date,
			"delivery_date": date,
			"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"selling_price_list": "Standard Selling",
			"sales_team": [{"sales_person": sp, "allocated_percentage": pct} for sp, pct in team.items()],
		}
	)
	so.append("items", {"item_code": ITEM_A, "qty": 1, "rate": amount, "warehouse": WAREHOUSE, "delivery_date": date})
	so.insert()
	so.submit()
	return so


def filters(**values) -> dict:
	return {"company": COMPANY, "from_date": FROM_DATE, "to_date": TO_DATE, **values}


__all__ = ["NORTH", "SOUTH", "NORTH_1", "NORTH_2", "SOUTH_1", "SP_NORTH", "SP_SOUTH"]
