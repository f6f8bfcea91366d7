import frappe
from frappe.tests.utils import FrappeTestCase

from crm_plus.analytics.common import AnalyticsFilterError
from crm_plus.crm_plus.report.sales_forecast.sales_forecast import execute
from crm_plus.tests.analytics_data import count_queries, restricted_user
from crm_plus.tests.pipeline_data import (
	NEGOTIATION,
	NORTH,
	NORTH_1,
	PROPOSAL,
	PROSPECTING,
	SOUTH,
	SOUTH_1,
	SP_NORTH,
	SP_SOUTH,
	filters,
	make_opportunity,
	make_pipeline,
)


def figures(rows):
	return [
		(r["period"], r["group"], r["opportunities"], r["pipeline"], r["weighted"], r["best_case"], r["committed"], r["ordered"])
		for r in rows
	]


class TestSalesForecast(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.opps = make_pipeline()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_forecast_by_sales_person_against_orders(self):
		_c, rows, message, chart, summary = execute(filters(group_by="Sales Person"))
		self.assertIsNone(message)
		self.assertEqual(
			figures(rows),
			[
				("2030-01", "", 1, 300, 30, 0, 0, 0),
				("2030-01", SP_NORTH, 2, 3000, 2300, 3000, 2000, 300),
				("2030-01", SP_SOUTH, 0, 0, 0, 0, 0, 300),
				("2030-02", SP_SOUTH, 1, 4000, 1000, 0, 0, 0),
			],
		)
		self.assertEqual(rows[1]["ordered_vs_weighted"], 13.0)
		self.assertEqual(chart["data"]["labels"], ["2030-01", "2030-02", "2030-03"])
		self.assertEqual([d["values"] for d in chart["data"]["datasets"]], [[2330, 1000, 0], [2000, 0, 0], [600, 0, 0]])
		totals = {s["label"]: s["value"] for s in summary}
		self.assertEqual((totals["Pipeline"], totals["Weighted"], totals["Committed"], totals["Ordered"]), (7300, 3330, 2000, 600))

	def test_by_territory_quarterly(self):
		_c, rows, *_rest = execute(filters(group_by="Territory", period="Quarterly"))
		self.assertEqual(
			figures(rows),
			[("2030-Q1", NORTH, 3, 3300, 2330, 3000, 2000, 600), ("2030-Q1", SOUTH, 1, 4000, 1000, 0, 0, 0)],
		)

	def test_relationship_filter(self):
		frappe.db.set_value("Customer", SOUTH_1, "crm_plus_relationship", "Agent")
		try:
			_c, rows, *_rest = execute(filters(relationship="Agent"))
			self.assertEqual(figures(rows), [("2030-02", SP_SOUTH, 1, 4000, 1000, 0, 0, 0)])
			_c, rows, *_rest = execute(filters(relationship="Direct Customer"))
			self.assertEqual({r["group"] for r in rows}, {"", SP_NORTH, SP_SOUTH})
			self.assertEqual(sum(r["pipeline"] for r in rows), 3300)
		finally:
			frappe.db.set_value("Customer", SOUTH_1, "crm_plus_relationship", None)

	def test_overdue_opportunities(self):
		late = make_opportunity(NORTH_1, 100, PROPOSAL, "2020-01-01", SP_NORTH)
		_c, rows, *_rest = execute(filters(view="Overdue Opportunities"))
		row = next(r for r in rows if r["opportunity"] == late.name)
		self.assertEqual((row["amount"], row["weighted"], row["sales_stage"]), (100, 50, PROPOSAL))
		self.assertGreater(row["days_overdue"], 365 * 6)
		self.assertNotIn(self.opps["O1"], [r["opportunity"] for r in rows])
		late.delete()

	def test_user_permissions_in_the_query(self):
		frappe.set_user(restricted_user("_cp_forecast_north@example.com", NORTH))
		_c, rows, _m, chart, summary = execute(filters(group_by="Territory"))
		self.assertEqual([r["group"] for r in rows], [NORTH])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [2330, 0, 0])

	def test_bad_filters(self):
		for bad in (dict(group_by="Colour"), dict(view="Nothing"), dict(relationship="Enemy"), dict(from_date="2030-05-01")):
			with self.assertRaises(AnalyticsFilterError):
				execute(filters(**bad))

	def test_query_count_does_not_grow(self):
		before = count_queries(lambda: execute(filters()))
		more = [make_opportunity(SOUTH_1, 10 + i, NEGOTIATION, f"2030-03-0{i + 1}", SP_SOUTH) for i in range(5)]
		try:
			self.assertEqual(count_queries(lambda: execute(filters())), before)
		finally:
			for doc in more:
				doc.delete()


class TestOpportunityForecastFields(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_pipeline()

	def test_probability_from_the_stage_unless_typed(self):
		opp = make_opportunity(NORTH_1, 1000, PROSPECTING, "2030-03-01", SP_NORTH)
		self.assertEqual((opp.probability, opp.crm_plus_weighted_amount, opp.base_opportunity_amount), (10, 100, 1000))
		opp.sales_stage = NEGOTIATION
		opp.save()
		self.assertEqual((opp.probability, opp.crm_plus_weighted_amount), (90, 900))
		opp.sales_stage, opp.probability = PROPOSAL, 70  # typed in the same edit: kept
		opp.save()
		self.assertEqual((opp.probability, opp.crm_plus_weighted_amount), (70, 700))

	def test_history_row_per_change_also_through_db_set(self):
		opp = make_opportunity(NORTH_1, 1000, PROSPECTING, "2030-03-01", SP_NORTH)
		opp.expected_closing = "2030-04-01"
		opp.save()
		opp.save()  # nothing changed: no row
		opp.db_set("status", "Quotation")  # as ERPNext does when a quotation is submitted
		rows = frappe.get_all(
			"Opportunity Stage History",
			filters={"parent": opp.name, "parenttype": "Opportunity"},
			fields=["sales_stage", "status", "probability", "expected_closing", "amount"],
			order_by="idx",
		)
		self.assertEqual(
			[(r.sales_stage, r.status, r.probability, str(r.expected_closing), r.amount) for r in rows],
			[
				(PROSPECTING, "Open", 10, "2030-03-01", 1000),
				(PROSPECTING, "Open", 10, "2030-04-01", 1000),
				(PROSPECTING, "Quotation", 10, "2030-04-01", 1000),
			],
		)

	def test_history_and_weighted_amount_cannot_be_written(self):
		opp = make_opportunity(NORTH_1, 1000, PROSPECTING, "2030-03-01", SP_NORTH)
		opp.set("crm_plus_stage_history", [])
		opp.crm_plus_weighted_amount = 123456
		opp.base_opportunity_amount = 999999
		opp.save()
		opp.reload()
		self.assertEqual(len(opp.crm_plus_stage_history), 1)
		self.assertEqual((opp.crm_plus_weighted_amount, opp.base_opportunity_amount), (100, 1000))

	def test_sales_person_from_the_owners_employee(self):
		from crm_plus.tests.factories import make_user

		user = make_user("_cp_forecast_owner@example.com", ["Sales User"])
		employee = frappe.db.get_value("Employee", {"user_id": user})
		if not employee:
			employee = (
				frappe.get_doc(
					{
						"doctype": "Employee",
						"first_name": "Forecast Owner",
						"gender": "Female",
						"date_of_birth": "1990-01-01",
						"date_of_joining": "2020-01-01",
						"company": frappe.db.get_value("Opportunity", {}, "company") or "Wind Power LLC",
						"user_id": user,
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		frappe.db.set_value("Sales Person", SP_SOUTH, "employee", employee)
		try:
			opp = make_opportunity(SOUTH_1, 10, PROSPECTING, "2030-03-01", None, opportunity_owner=user)
			self.assertEqual(opp.crm_plus_sales_person, SP_SOUTH)
		finally:
			frappe.db.set_value("Sales Person", SP_SOUTH, "employee", None)
