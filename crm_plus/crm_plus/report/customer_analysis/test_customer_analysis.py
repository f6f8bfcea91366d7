import frappe

from crm_plus.analytics.common import AnalyticsFilterError
from crm_plus.crm_plus.report.customer_analysis.customer_analysis import execute
from crm_plus.tests.analytics_data import (
	AnalyticsTestCase,
	NORTH,
	NORTH_1,
	NORTH_2,
	SOUTH,
	SOUTH_1,
	add_more_sales,
	count_queries,
	filters,
	restricted_user,
)
from crm_plus.tests.factories import set_churn_thresholds

COUNTS = ("new_customers", "active_customers", "at_risk_customers", "lost_customers", "revenue", "orders")


def ours(rows):
	"""(period, territory) -> (new, active, at risk, lost, revenue, orders), our territories only."""
	return {(r["period"], r["group"]): tuple(r[f] for f in COUNTS) for r in rows if r["group"] in (NORTH, SOUTH)}


class TestCustomerAnalysis(AnalyticsTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# at risk after 30 days without an order, lost after 60: CRM Plus Settings, as for
		# the lifecycle on the Customer form
		cls.saved_thresholds = set_churn_thresholds({"churn_at_risk_days": 30, "churn_lost_days": 60})

	@classmethod
	def tearDownClass(cls):
		set_churn_thresholds(cls.saved_thresholds)
		super().tearDownClass()

	def test_monthly_trend_by_territory(self):
		# lost after 60 days without buying, at risk after 30 (settings; analytics_data has the sales)
		_columns, rows, _message, chart, summary = execute(filters(group_by="Territory"))
		self.assertEqual(
			ours(rows),
			{
				("2026-01", NORTH): (1, 1, 0, 0, 200, 1),
				("2026-01", SOUTH): (1, 1, 0, 0, 250, 1),
				("2026-02", NORTH): (0, 1, 1, 0, 200, 1),  # North 1 bought again, 36 days on
				("2026-02", SOUTH): (0, 0, 1, 0, 0, 0),  # South 1: 30 days since 20 Jan
				("2026-03", NORTH): (1, 1, 1, 0, 270, 1),  # North 2 new; North 1 at risk
				("2026-03", SOUTH): (0, 0, 0, 1, 0, 0),  # South 1 lost (60 days)...
				("2026-04", NORTH): (0, 0, 1, 1, 0, 0),  # North 2 at risk, North 1 lost
				("2026-05", NORTH): (0, 0, 0, 1, 0, 0),  # North 2 lost
				("2026-05", SOUTH): (0, 1, 0, 0, 50, 1),  # ...and back in May
				("2026-06", SOUTH): (0, 0, 1, 0, 0, 0),
			},
		)
		self.assertEqual(chart["data"]["labels"], ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"])
		lost = next(d for d in chart["data"]["datasets"] if d["name"] == "Lost Customers")
		self.assertEqual(lost["values"], [0, 0, 1, 1, 1, 0])
		self.assertEqual({s["label"]: s["value"] for s in summary}["Revenue"], 970)

	def test_a_return_nets_revenue_but_is_no_purchase(self):
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

		frappe.db.savepoint("customer_analysis_return")
		try:
			sold = frappe.db.get_value("Sales Invoice", {"customer": SOUTH_1, "posting_date": "2026-05-25", "docstatus": 1})
			credit_note = make_sales_return(sold)
			credit_note.posting_date, credit_note.set_posting_time = "2026-06-10", 1
			credit_note.insert()
			credit_note.submit()
			_c, rows, *_ = execute(filters(group_by="Territory"))
			# June, South: the credit note takes 50 off revenue, is no order, makes South 1
			# no active customer and doesn't stop them being at risk (30 days after 25 May)
			self.assertEqual(ours(rows)[("2026-06", SOUTH)], (0, 0, 1, 0, -50, 0))
			self.assertEqual(ours(rows)[("2026-05", SOUTH)], (0, 1, 0, 0, 50, 1))
		finally:
			frappe.db.rollback(save_point="customer_analysis_return")

	def test_quarterly_and_yearly(self):
		_c, rows, *_ = execute(filters(group_by="Territory", period="Quarterly"))
		self.assertEqual(ours(rows)[("2026-Q1", NORTH)], (2, 2, 2, 0, 670, 3))
		_c, rows, *_ = execute(filters(group_by="Territory", period="Yearly"))
		self.assertEqual(ours(rows)[("2026", SOUTH)], (1, 1, 2, 1, 300, 2))

	def test_lost_customers_list(self):
		_c, rows, _m, chart, summary = execute(filters(view="Lost Customers"))
		mine = [(r.customer, r.orders, r.revenue, r.last_order_amount, str(r.last_order_date)) for r in rows]
		self.assertEqual(
			mine,
			[(NORTH_1, 2, 400, 200, "2026-02-15"), (NORTH_2, 1, 270, 270, "2026-03-05")],
		)
		self.assertEqual(rows[0].days_since_last_order, 135)
		self.assertEqual(chart["data"]["datasets"][0]["values"], [2])

	def test_a_user_restricted_to_one_territory_sees_only_it(self):
		frappe.set_user(restricted_user("cp-analytics-north@example.com", NORTH))
		_c, rows, _m, chart, summary = execute(filters(group_by="Territory"))
		self.assertEqual({r["group"] for r in rows}, {NORTH})
		self.assertEqual({s["label"]: s["value"] for s in summary}["Revenue"], 670)
		active = next(d for d in chart["data"]["datasets"] if d["name"] == "Active Customers")
		self.assertEqual(chart["data"]["labels"], ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"])
		self.assertEqual(active["values"], [1, 1, 1, 0, 0])  # North only: no South sales in January or May
		_c, rows, *_ = execute(filters(view="Lost Customers"))
		self.assertTrue(rows and all(r.territory == NORTH for r in rows))

	def test_bad_filters_are_refused_with_a_clear_message(self):
		with self.assertRaisesRegex(AnalyticsFilterError, "is after To Date"):
			execute(filters(from_date="2026-06-30", to_date="2026-01-01"))
		with self.assertRaisesRegex(AnalyticsFilterError, "Unknown grouping"):
			execute(filters(group_by="Planet"))
		with self.assertRaisesRegex(AnalyticsFilterError, "Unknown period"):
			execute(filters(period="Weekly"))
		frappe.local.lang = "zh"
		try:
			with self.assertRaisesRegex(AnalyticsFilterError, "未知的分组"):
				execute(filters(group_by="Planet"))
		finally:
			frappe.local.lang = "en"

	def test_query_count_does_not_grow_with_the_data(self):
		for view in ("Trend", "Lost Customers"):
			run = lambda: execute(filters(group_by="Territory", view=view))  # noqa: E731
			run()  # warm the caches
			small = count_queries(run)
			with self.assertQueryCount(small):
				run()
			add_more_sales(6)
			self.assertEqual(count_queries(run), small)
			self.assertLessEqual(small, 3)
