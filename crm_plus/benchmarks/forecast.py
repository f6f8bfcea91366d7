"""Benchmark: the pipeline reports (Sales Forecast, Pipeline Movement, Competitor Analysis)
against ERPNext's Sales Pipeline Analytics on the same opportunities, in the same run.

	bench --site <site> execute crm_plus.benchmarks.forecast.run
	bench --site <site> execute crm_plus.benchmarks.forecast.run --kwargs '{"size": "large"}'

Run it on a site where crm_plus's tests have run (the test company, Wind Power LLC), never on
a production site: it writes opportunities with three stage-history rows and one competitor
each (and deletes them at the end unless keep=1).

	size      opportunities   history rows   sales persons   territories   competitors
	typical         10,000         30,000              10             5             5
	large          100,000        300,000              10             5             5

One seed opportunity is made through ERPNext (so every column holds what ERPNext writes),
then cloned in SQL: expected closing dates over the 12 months around today, amounts 1,000 to
100,000, a third lost, a tenth ordered, the rest open, in three stages.
"""

import time

import frappe
from frappe.utils import add_days, add_months, get_first_day, nowdate

from crm_plus.benchmarks.analytics import clone, measure
from crm_plus.tests.factories import COMPANY, make_sales_person, make_territory, make_territory_customer

SIZES = {"typical": 10_000, "large": 100_000}
PREFIX = "CPB-OPP-"
STAGES = ["_CPB Prospecting", "_CPB Proposal", "_CPB Negotiation"]
SALES_PERSONS = [f"_CPB Sales Person {i}" for i in range(1, 11)]
TERRITORIES = [f"_CPB Territory {i}" for i in range(1, 6)]
COMPETITORS = [f"_CPB Competitor {i}" for i in range(1, 6)]
SEED_CUSTOMER = "_CPB Seed Customer"


def run(size: str = "typical", rounds: int = 3, keep: int = 0) -> dict:
	frappe.only_for("System Manager")
	if not frappe.db.exists("Company", COMPANY):
		frappe.throw(f"Needs the test company {COMPANY} (run on a site where crm_plus's tests have run)")
	count = SIZES[size]
	print(f"== crm_plus pipeline benchmark: {size}: {count:,} opportunities, {3 * count:,} stage-history rows")
	try:
		delete_generated()
		start = time.perf_counter()
		generate(count)
		print(f"data generated in {time.perf_counter() - start:.1f} s")
		return compare(rounds)
	finally:
		if not keep:
			delete_generated()


def generate(count: int) -> None:
	for territory in TERRITORIES:
		make_territory(territory)
	for sales_person in SALES_PERSONS:
		make_sales_person(sales_person)
	for i, stage in enumerate(STAGES):
		if not frappe.db.exists("Sales Stage", stage):
			frappe.get_doc({"doctype": "Sales Stage", "stage_name": stage, "crm_plus_probability": 10 + 40 * i}).insert()
	for competitor in COMPETITORS:
		if not frappe.db.exists("Competitor", competitor):
			frappe.get_doc({"doctype": "Competitor", "competitor_name": competitor}).insert()
	make_territory_customer(SEED_CUSTOMER, TERRITORIES[0], SALES_PERSONS[0])
	seed = frappe.get_doc(
		{
			"doctype": "Opportunity",
			"opportunity_from": "Customer",
			"party_name": SEED_CUSTOMER,
			"company": COMPANY,
			"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
			"opportunity_amount": 1000,
			"sales_stage": STAGES[0],
			"expected_closing": nowdate(),
			"crm_plus_sales_person": SALES_PERSONS[0],
			"competitors": [{"competitor": COMPETITORS[0]}],
		}
	).insert()
	start = add_months(get_first_day(nowdate()), -6)
	n = "s.seq"
	status = f"case when mod({n}, 3) = 0 then 'Lost' when mod({n}, 10) = 1 then 'Converted' else 'Open' end"
	amount = f"(1000 + mod({n} * 7919, 99001))"
	probability = f"(10 + 40 * mod({n}, 3))"
	params = {"seed": seed.name, "start": start, "now": frappe.utils.now_datetime()}
	clone(
		"Opportunity",
		f"seq_1_to_{count}",
		"t.name = %(seed)s",
		{
			"name": f"concat('{PREFIX}', lpad({n}, 7, '0'))",
			"title": f"concat('CPB Opportunity ', {n})",
			"status": status,
			"sales_stage": f"elt(1 + mod({n}, 3), '{STAGES[0]}', '{STAGES[1]}', '{STAGES[2]}')",
			"probability": probability,
			"opportunity_amount": amount,
			"base_opportunity_amount": amount,
			"crm_plus_weighted_amount": f"{amount} * {probability} / 100",
			"expected_closing": f"date_add(%(start)s, interval mod({n}, 365) day)",
			"transaction_date": f"date_add(%(start)s, interval mod({n} * 13, 365) day)",
			"crm_plus_sales_person": f"concat('_CPB Sales Person ', 1 + mod({n}, 10))",
			"territory": f"concat('_CPB Territory ', 1 + mod({n}, 5))",
		},
		params,
	)
	history = frappe.db.get_value("Opportunity Stage History", {"parent": seed.name}, "name")
	clone(
		"Opportunity Stage History",
		f"seq_1_to_{count} s join seq_1_to_3 h",
		"t.name = %(history)s",
		{
			"name": f"concat('CPB-OSH-', {n}, '-', h.seq)",
			"parent": f"concat('{PREFIX}', lpad({n}, 7, '0'))",
			"idx": "h.seq",
			"changed_on": f"date_sub(%(now)s, interval (mod({n}, 300) + 30 - 10 * h.seq) day)",
			"sales_stage": f"elt(least(h.seq, 1 + mod({n}, 3)), '{STAGES[0]}', '{STAGES[1]}', '{STAGES[2]}')",
			"status": f"if(h.seq = 3, {status}, 'Open')",
			"expected_closing": f"date_add(%(start)s, interval (cast(mod({n}, 365) as signed) - if(h.seq = 1, 20, 0)) day)",
		},
		{**params, "history": history},
		seq_alias=False,
	)
	detail = frappe.db.get_value("Competitor Detail", {"parent": seed.name}, "name")
	clone(
		"Competitor Detail",
		f"seq_1_to_{count}",
		"t.name = %(detail)s",
		{
			"name": f"concat('CPB-CD-', {n})",
			"parent": f"concat('{PREFIX}', lpad({n}, 7, '0'))",
			"competitor": f"concat('_CPB Competitor ', 1 + mod({n}, 5))",
		},
		{**params, "detail": detail},
	)
	frappe.delete_doc("Opportunity", seed.name, force=True)
	frappe.db.commit()  # benchmark data, deleted at the end


def delete_generated() -> None:
	for doctype, prefix in (("Opportunity", PREFIX), ("Opportunity Stage History", "CPB-OSH-"), ("Competitor Detail", "CPB-CD-")):
		frappe.db.delete(doctype, {"name": ("like", f"{prefix}%")})
	frappe.db.commit()  # benchmark data


def compare(rounds: int) -> dict:
	from erpnext.crm.report.sales_pipeline_analytics.sales_pipeline_analytics import execute as pipeline_analytics

	from crm_plus.crm_plus.report.competitor_analysis.competitor_analysis import execute as competitor_analysis
	from crm_plus.crm_plus.report.pipeline_movement.pipeline_movement import execute as pipeline_movement
	from crm_plus.crm_plus.report.sales_forecast.sales_forecast import execute as sales_forecast

	start = add_months(get_first_day(nowdate()), -6)
	end = add_days(add_months(start, 12), -1)
	ours = {"company": COMPANY, "from_date": start, "to_date": end}
	baseline_seconds, baseline_mb, _ = measure(
		lambda: pipeline_analytics(
			frappe._dict(ours, pipeline_by="Owner", range="Monthly", based_on="Amount", status="Open")
		),
		rounds,
	)
	print(f"ERPNext Sales Pipeline Analytics (owner, monthly, amount): {baseline_seconds:.3f} s, {baseline_mb:.1f} MiB")
	results = {"baseline": baseline_seconds}
	for label, fn in (
		("Sales Forecast (sales person, monthly)", lambda: sales_forecast(ours)),
		("Sales Forecast (territory, quarterly)", lambda: sales_forecast({**ours, "group_by": "Territory", "period": "Quarterly"})),
		("Sales Forecast (overdue)", lambda: sales_forecast({**ours, "view": "Overdue Opportunities"})),
		("Pipeline Movement (summary)", lambda: pipeline_movement(ours)),
		("Pipeline Movement (stages)", lambda: pipeline_movement({**ours, "view": "Stages"})),
		("Competitor Analysis (competitor)", lambda: competitor_analysis(ours)),
	):
		seconds, mb, _ = measure(fn, rounds)
		results[label] = seconds
		print(f"{label}: {seconds:.3f} s, {mb:.1f} MiB, ratio to the baseline {seconds / baseline_seconds:.2f}")
	return results
