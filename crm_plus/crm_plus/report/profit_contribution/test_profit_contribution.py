import frappe

from crm_plus.analytics.common import AnalyticsFilterError
from crm_plus.crm_plus.report.profit_contribution.profit_contribution import execute
from crm_plus.tests.analytics_data import (
	AnalyticsTestCase,
	ITEM_A,
	ITEM_B,
	NORTH,
	NORTH_1,
	NORTH_2,
	SOUTH,
	SOUTH_1,
	SP_NORTH,
	SP_SOUTH,
	add_more_sales,
	count_queries,
	filters,
	restricted_user,
)


def figures(rows):
	return [(r["group"], r["revenue"], r["cost"], r["gross_profit"], round(r["share"], 2), round(r["cumulative_share"], 2)) for r in rows]


class TestProfitContribution(AnalyticsTestCase):
	def test_by_customer_with_pareto_shares(self):
		_c, rows, _m, chart, summary = execute(filters(group_by="Customer"))
		self.assertEqual(
			figures(rows),
			[
				(NORTH_1, 400, 240, 160, 43.24, 43.24),
				(SOUTH_1, 300, 180, 120, 32.43, 75.68),
				(NORTH_2, 270, 180, 90, 24.32, 100.0),
			],
		)
		self.assertEqual(chart["data"]["labels"], [NORTH_1, SOUTH_1, NORTH_2])
		self.assertEqual(chart["data"]["datasets"][1]["values"], [43.24, 75.68, 100.0])
		totals = {s["label"]: s["value"] for s in summary}
		self.assertEqual((totals["Revenue"], totals["Gross Profit"], totals["Make 80% of Gross Profit"]), (970, 370, 3))

	def test_by_item_item_group_territory_and_sales_person(self):
		def by(group_by):
			return {r["group"]: (r["revenue"], r["gross_profit"]) for r in execute(filters(group_by=group_by))[1]}

		self.assertEqual(by("Item"), {ITEM_A: (570, 210), ITEM_B: (400, 160)})
		self.assertEqual(by("Item Group"), {"All Item Groups": (970, 370)})
		self.assertEqual(by("Territory"), {NORTH: (670, 250), SOUTH: (300, 120)})
		self.assertEqual(by("Sales Person"), {SP_NORTH: (670, 250), SP_SOUTH: (300, 120)})

	def test_gross_profit_agrees_with_erpnext(self):
		from erpnext.accounts.report.gross_profit.gross_profit import execute as erpnext_gross_profit

		# ERPNext's rows are lists: the group first, gross profit at this position
		for ours_by, theirs_by, profit_at in (("Customer", "Customer", 7), ("Item", "Item Code", 9)):
			ours = {r["group"]: r["gross_profit"] for r in execute(filters(group_by=ours_by))[1]}
			_columns, rows = erpnext_gross_profit(frappe._dict(filters(group_by=theirs_by)))
			theirs = {row[0]: row[profit_at] for row in rows if row[0] != "Total"}
			self.assertEqual(set(ours), set(theirs))
			for key, profit in theirs.items():
				self.assertAlmostEqual(ours[key], profit, delta=0.01)
			self.assertAlmostEqual(sum(ours.values()), 370, delta=0.01)

	def test_a_user_restricted_to_one_territory_sees_only_it(self):
		frappe.set_user(restricted_user("cp-analytics-north@example.com", NORTH))
		_c, rows, _m, chart, summary = execute(filters(group_by="Customer"))
		self.assertEqual(figures(rows), [(NORTH_1, 400, 240, 160, 64.0, 64.0), (NORTH_2, 270, 180, 90, 36.0, 100.0)])
		self.assertEqual(chart["data"]["labels"], [NORTH_1, NORTH_2])
		self.assertEqual({s["label"]: s["value"] for s in summary}["Gross Profit"], 250)

	def test_a_user_restricted_to_one_sales_person_sees_only_their_invoices(self):
		user = restricted_user("cp-analytics-north-sp@example.com", NORTH)
		frappe.get_doc({"doctype": "User Permission", "user": user, "allow": "Sales Person", "for_value": SP_SOUTH}).insert()
		frappe.set_user(user)
		# North territory and South's sales person: nothing in common
		self.assertEqual(execute(filters(group_by="Customer"))[1], [])

	def test_bad_filters_are_refused(self):
		with self.assertRaisesRegex(AnalyticsFilterError, "is after To Date"):
			execute(filters(from_date="2026-06-30", to_date="2026-01-01"))
		with self.assertRaisesRegex(AnalyticsFilterError, "Unknown grouping"):
			execute(filters(group_by="Warehouse"))
		with self.assertRaisesRegex(AnalyticsFilterError, "Choose a Company"):
			execute(filters(company=None))

	def test_query_count_does_not_grow_with_the_data(self):
		for group_by in ("Customer", "Sales Person"):
			run = lambda: execute(filters(group_by=group_by))  # noqa: E731
			run()
			small = count_queries(run)
			with self.assertQueryCount(1):
				run()
			add_more_sales(6)
			self.assertEqual(count_queries(run), small)
