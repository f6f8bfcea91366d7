import frappe

from crm_plus.analytics.common import AnalyticsFilterError
from crm_plus.crm_plus.report.salesperson_performance.salesperson_performance import (
	COMPLAINT_DOCTYPE,
	FOLLOW_UP_DOCTYPE,
	execute,
	optional_sources,
)
from crm_plus.tests.analytics_data import (
	AnalyticsTestCase,
	NORTH,
	SP_NORTH,
	SP_SOUTH,
	add_more_sales,
	count_queries,
	filters,
	restricted_user,
)

FIELDS = ("orders", "order_value", "revenue", "gross_profit", "collected", "quotations_won", "quotations_lost", "win_rate", "target", "achievement")


def figures(rows):
	return {r["sales_person"]: tuple(round(r[f], 2) if r[f] is not None else None for f in FIELDS) for r in rows}


class TestSalespersonPerformance(AnalyticsTestCase):
	def test_known_figures(self):
		columns, rows, _m, chart, summary = execute(filters())
		self.assertEqual(
			figures(rows),
			{
				# SO1; I1, I3, I4; I1 paid; one quotation won, one lost; 720 of 1,200 due by June
				SP_NORTH: (1, 100, 670, 250, 200, 1, 1, 50.0, 720, 93.06),
				SP_SOUTH: (0, 0, 300, 120, 0, 0, 0, None, 0, None),
			},
		)
		self.assertEqual(chart["data"]["labels"], [SP_NORTH, SP_SOUTH])
		totals = {s["label"]: s["value"] for s in summary}
		self.assertEqual((totals["Revenue"], totals["Gross Profit"], totals["Collected Amount"]), (970, 370, 200))

	def test_follow_up_and_complaint_columns_only_when_those_doctypes_exist(self):
		fieldnames = [c["fieldname"] for c in execute(filters())[0]]
		self.assertEqual("follow_ups" in fieldnames, frappe.db.table_exists(FOLLOW_UP_DOCTYPE))
		self.assertEqual("complaints" in fieldnames, frappe.db.table_exists(COMPLAINT_DOCTYPE))

	def test_follow_ups_done_count_by_their_date(self):
		from crm_plus.tests.factories import make_customer, make_follow_up

		customer = make_customer("_CP SP Follow-up Customer")
		make_follow_up(customer, sales_person=SP_NORTH, date="2026-03-02 10:00:00")
		make_follow_up(customer, sales_person=SP_NORTH, date="2026-08-02 10:00:00")  # outside the range
		rows = {r["sales_person"]: r for r in execute(filters())[1]}
		self.assertEqual(rows[SP_NORTH]["follow_ups"], 1)

	def test_a_target_counts_for_the_days_of_the_range(self):
		# 15 days of January's 10 %: 1,200 x 10 % x 15 / 31
		rows = execute(filters(from_date="2026-01-01", to_date="2026-01-15"))[1]
		self.assertAlmostEqual(figures(rows)[SP_NORTH][8], round(1200 * 0.10 * 15 / 31, 2))

	def test_a_user_restricted_to_one_territory_sees_only_it(self):
		frappe.set_user(restricted_user("cp-analytics-north@example.com", NORTH))
		_c, rows, _m, chart, summary = execute(filters())
		self.assertEqual(list(figures(rows)), [SP_NORTH])
		self.assertEqual(chart["data"]["labels"], [SP_NORTH])
		self.assertEqual({s["label"]: s["value"] for s in summary}["Revenue"], 670)

	def test_a_user_restricted_to_one_sales_person_sees_only_them(self):
		user = restricted_user("cp-analytics-sp-south@example.com", "All Territories")
		frappe.get_doc({"doctype": "User Permission", "user": user, "allow": "Sales Person", "for_value": SP_SOUTH}).insert()
		frappe.set_user(user)
		self.assertEqual(list(figures(execute(filters())[1])), [SP_SOUTH])

	def test_bad_filters_are_refused(self):
		with self.assertRaisesRegex(AnalyticsFilterError, "is after To Date"):
			execute(filters(from_date="2026-06-30", to_date="2026-01-01"))
		with self.assertRaisesRegex(AnalyticsFilterError, "Choose a From Date"):
			execute(filters(from_date=None))

	def test_query_count_does_not_grow_with_the_data(self):
		run = lambda: execute(filters())  # noqa: E731
		run()
		small = count_queries(run)
		# five, plus one each for follow-ups and complaints when those doctypes exist
		with self.assertQueryCount(5 + len(optional_sources())):
			run()
		add_more_sales(6)
		self.assertEqual(count_queries(run), small)
