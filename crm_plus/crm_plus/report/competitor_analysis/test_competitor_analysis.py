import frappe
from frappe.tests.utils import FrappeTestCase

from crm_plus.analytics.common import AnalyticsFilterError
from crm_plus.crm_plus.report.competitor_analysis.competitor_analysis import execute
from crm_plus.tests.analytics_data import NORTH, NORTH_2, SOUTH, SP_NORTH, count_queries, restricted_user
from crm_plus.tests.factories import make_follow_up
from crm_plus.tests.pipeline_data import COMPETITOR_A, COMPETITOR_B, NEGOTIATION, filters, make_opportunity, make_pipeline


def figures(rows):
	return [
		(r.competitor, r.group, r.opportunities, r.amount, r.won, r.lost, r.open_count, r.win_rate, r.lost_amount)
		for r in rows
	]


class TestCompetitorAnalysis(FrappeTestCase):
	"""The pipeline data (O1 open against B, O4 lost to A) and O6: won against A."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_pipeline()
		won = make_opportunity(NORTH_2, 800, NEGOTIATION, "2030-02-01", SP_NORTH, competitors=[{"competitor": COMPETITOR_A}])
		won.db_set("status", "Converted")
		make_follow_up(NORTH_2, competitor=COMPETITOR_A, date="2030-01-05 10:00:00")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_by_competitor(self):
		_c, rows, _m, chart, summary = execute(filters())
		self.assertEqual(
			figures(rows),
			[(COMPETITOR_A, "", 2, 1300, 1, 1, 0, 50.0, 500), (COMPETITOR_B, "", 1, 1000, 0, 0, 1, None, 0)],
		)
		self.assertEqual([r.follow_ups for r in rows], [1, 0])
		self.assertEqual(chart["data"]["datasets"], [{"name": COMPETITOR_A, "values": [500, 0, 0]}])
		self.assertEqual({s["label"]: s["value"] for s in summary}["Win Rate (%)"], 50.0)

	def test_by_territory_and_one_competitor(self):
		_c, rows, *_rest = execute(filters(group_by="Territory", competitor=COMPETITOR_A))
		self.assertEqual(
			figures(rows),
			[(COMPETITOR_A, SOUTH, 1, 500, 0, 1, 0, 0.0, 500), (COMPETITOR_A, NORTH, 1, 800, 1, 0, 0, 100.0, 0)],
		)

	def test_user_permissions(self):
		frappe.set_user(restricted_user("_cp_competitor_north@example.com", NORTH))
		_c, rows, *_rest = execute(filters(group_by="Territory"))
		self.assertEqual({r.group for r in rows}, {NORTH})

	def test_bad_filters(self):
		for bad in (dict(group_by="Colour"), dict(competitor="_CP No Such Competitor"), dict(relationship="Enemy")):
			with self.assertRaises(AnalyticsFilterError):
				execute(filters(**bad))

	def test_query_count_does_not_grow(self):
		before = count_queries(lambda: execute(filters()))
		more = [
			make_opportunity(NORTH_2, 10, NEGOTIATION, "2030-02-01", SP_NORTH, competitors=[{"competitor": COMPETITOR_B}])
			for _i in range(3)
		]
		try:
			self.assertEqual(count_queries(lambda: execute(filters())), before)
		finally:
			for doc in more:
				doc.delete()
