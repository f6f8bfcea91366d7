import frappe

from crm_plus.analytics.common import AnalyticsFilterError
from crm_plus.crm_plus.report.product_sales_analysis.product_sales_analysis import execute
from crm_plus.tests.analytics_data import (
	AnalyticsTestCase,
	ITEM_A,
	ITEM_B,
	NORTH,
	add_more_sales,
	count_queries,
	filters,
	restricted_user,
)

FIELDS = ("qty", "revenue", "cost", "gross_profit", "customers", "growth")


def figures(rows):
	return {
		(r["group"], r["period"]): tuple(round(r[f], 2) if r[f] is not None else None for f in FIELDS) for r in rows
	}


class TestProductSalesAnalysis(AnalyticsTestCase):
	def test_monthly_by_item_with_growth(self):
		_c, rows, _m, chart, summary = execute(filters(group_by="Item"))
		self.assertEqual(
			figures(rows),
			{
				(ITEM_A, "2026-01"): (2, 200, 120, 80, 1, None),  # nothing in December 2025
				(ITEM_A, "2026-02"): (1, 100, 60, 40, 1, -50.0),
				(ITEM_A, "2026-03"): (3, 270, 180, 90, 1, 170.0),
				(ITEM_B, "2026-01"): (5, 250, 150, 100, 1, None),
				(ITEM_B, "2026-02"): (2, 100, 60, 40, 1, -60.0),
				(ITEM_B, "2026-05"): (1, 50, 30, 20, 1, None),  # no sales in April to grow from
			},
		)
		self.assertEqual(chart["data"]["labels"], [ITEM_A, ITEM_B])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [570, 400])
		totals = {s["label"]: s["value"] for s in summary}
		self.assertEqual((totals["Quantity"], totals["Revenue"], totals["Gross Profit"]), (14, 970, 370))

	def test_quarterly_by_item_group_and_a_range_starting_mid_period(self):
		_c, rows, *_ = execute(filters(group_by="Item Group", period="Quarterly"))
		self.assertEqual(
			figures(rows),
			{("All Item Groups", "2026-Q1"): (14 - 1, 920, 570, 350, 3, None), ("All Item Groups", "2026-Q2"): (1, 50, 30, 20, 1, -94.57)},
		)
		# from 1 February: February's sales only, growth against all of January
		_c, rows, *_ = execute(filters(group_by="Item", from_date="2026-02-01", to_date="2026-02-28"))
		self.assertEqual(figures(rows), {(ITEM_A, "2026-02"): (1, 100, 60, 40, 1, -50.0), (ITEM_B, "2026-02"): (2, 100, 60, 40, 1, -60.0)})

	def test_a_user_restricted_to_one_territory_sees_only_it(self):
		frappe.set_user(restricted_user("cp-analytics-north@example.com", NORTH))
		_c, rows, _m, chart, summary = execute(filters(group_by="Item"))
		self.assertEqual(
			figures(rows),
			{
				(ITEM_A, "2026-01"): (2, 200, 120, 80, 1, None),
				(ITEM_A, "2026-02"): (1, 100, 60, 40, 1, -50.0),
				(ITEM_A, "2026-03"): (3, 270, 180, 90, 1, 170.0),
				(ITEM_B, "2026-02"): (2, 100, 60, 40, 1, None),
			},
		)
		self.assertEqual(chart["data"]["datasets"][0]["values"], [570, 100])
		self.assertEqual({s["label"]: s["value"] for s in summary}["Revenue"], 670)

	def test_top_n_items_with_every_item_in_the_summary(self):
		_c, rows, message, chart, top_summary = execute(filters(group_by="Item", top_n=1))
		self.assertEqual({r["group"] for r in rows}, {ITEM_A})  # A sells more than B
		self.assertIn("1 items with the most revenue of 2", message)
		_c, rows, message, _chart, summary = execute(filters(group_by="Item", top_n=0))  # every item
		self.assertEqual({r["group"] for r in rows}, {ITEM_A, ITEM_B})
		self.assertIsNone(message)
		# the summary of the top 1 still adds up both items
		self.assertEqual(top_summary, summary)
		self.assertEqual({s["label"]: s["value"] for s in summary}["Revenue"], sum(r["revenue"] for r in rows))
		with self.assertRaisesRegex(AnalyticsFilterError, "Top N"):
			execute(filters(group_by="Item", top_n=-1))

	def test_bad_filters_are_refused(self):
		with self.assertRaisesRegex(AnalyticsFilterError, "is after To Date"):
			execute(filters(from_date="2026-06-30", to_date="2026-01-01"))
		with self.assertRaisesRegex(AnalyticsFilterError, "Unknown grouping"):
			execute(filters(group_by="Brand"))

	def test_query_count_does_not_grow_with_the_data(self):
		run = lambda: execute(filters(group_by="Item"))  # noqa: E731
		run()
		small = count_queries(run)
		# every item's totals (for the top N), then one query per month: January to June and
		# the December before (for January's growth); as many whatever the lines
		with self.assertQueryCount(8):
			run()
		add_more_sales(6)
		self.assertEqual(count_queries(run), small)
