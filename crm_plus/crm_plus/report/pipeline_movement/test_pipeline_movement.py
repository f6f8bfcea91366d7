import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, now_datetime, today

from crm_plus.crm_plus.report.pipeline_movement.pipeline_movement import execute
from crm_plus.tests.analytics_data import SP_NORTH, count_queries, restricted_user
from crm_plus.tests.factories import COMPANY, make_territory, make_territory_customer
from crm_plus.tests.pipeline_data import COMPETITOR_A, LOST_REASON, PROPOSAL, PROSPECTING, make_opportunity, make_pipeline

WEST = "_CP Pipeline West"
WEST_CUSTOMER = "_CP West Customer"


def filters(**values):
	return {"company": COMPANY, "from_date": add_days(today(), -30), "to_date": today(), "group_by": "Territory", **values}


def set_history(opportunity: str, days_ago: list[float]) -> None:
	"""Date the opportunity's history rows (in order) `days_ago` days before now."""
	rows = frappe.get_all("Opportunity Stage History", filters={"parent": opportunity}, pluck="name", order_by="idx")
	assert len(rows) == len(days_ago), (opportunity, len(rows))
	for name, days in zip(rows, days_ago):
		frappe.db.set_value("Opportunity Stage History", name, "changed_on", add_to_date(now_datetime(), days=-days), update_modified=False)


class TestPipelineMovement(FrappeTestCase):
	"""West: W1 Prospecting → Proposal → won; W2 Proposal → lost to Competitor A; W3 still
	in Prospecting, its expected closing moved a month later."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_pipeline()
		make_territory(WEST)
		make_territory_customer(WEST_CUSTOMER, WEST, SP_NORTH)
		day = today()
		w1 = make_opportunity(WEST_CUSTOMER, 1000, PROSPECTING, "2030-01-10", SP_NORTH, transaction_date=day)
		w1.sales_stage = PROPOSAL
		w1.save()
		w1.db_set("status", "Converted")
		w2 = make_opportunity(WEST_CUSTOMER, 400, PROPOSAL, "2030-01-10", SP_NORTH, transaction_date=day)
		w2.declare_enquiry_lost([{"lost_reason": LOST_REASON}], [{"competitor": COMPETITOR_A}], "Cheaper")
		w3 = make_opportunity(WEST_CUSTOMER, 200, PROSPECTING, "2030-01-01", SP_NORTH, transaction_date=day)
		w3.expected_closing = "2030-02-01"
		w3.save()
		set_history(w1.name, [10, 4, 1])
		set_history(w2.name, [6, 2])
		set_history(w3.name, [8, 3])
		cls.w1, cls.w2, cls.w3 = w1.name, w2.name, w3.name

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_summary(self):
		_c, rows, _m, chart, summary = execute(filters())
		west = next(r for r in rows if r["group"] == WEST)
		self.assertEqual(
			(west.created, west.quoted, west.won, west.lost, west.slipped, west.conversion_rate, west.won_amount, west.lost_amount),
			(3, 0, 1, 1, 1, 50.0, 1000, 400),
		)
		self.assertIn(WEST, chart["data"]["labels"])

	def test_stages_days_in_stage(self):
		frappe.set_user(restricted_user("_cp_pipeline_west@example.com", WEST))
		_c, rows, *_rest = execute(filters(view="Stages"))
		self.assertEqual(
			[(r.sales_stage, r.entered, r.moved_on, r.avg_days) for r in rows],
			[(PROSPECTING, 2, 1, 7.0), (PROPOSAL, 2, 2, 3.5)],
		)

	def test_lost_with_reasons_and_competitors(self):
		_c, rows, *_rest = execute(filters(view="Lost"))
		row = next(r for r in rows if r.opportunity == self.w2)
		self.assertEqual((row.lost_reasons, row.competitors, row.amount, row.sales_stage), (LOST_REASON, COMPETITOR_A, 400, PROPOSAL))
		self.assertNotIn(self.w1, [r.opportunity for r in rows])

	def test_user_permissions(self):
		frappe.set_user(restricted_user("_cp_pipeline_west@example.com", WEST))
		_c, rows, *_rest = execute(filters())
		self.assertEqual([r["group"] for r in rows], [WEST])

	def test_query_count_does_not_grow(self):
		more = []
		try:
			for view in ("Summary", "Stages", "Lost"):
				before = count_queries(lambda: execute(filters(view=view)))
				more.append(make_opportunity(WEST_CUSTOMER, 10, PROSPECTING, "2030-01-10", SP_NORTH, transaction_date=today()))
				self.assertEqual(count_queries(lambda: execute(filters(view=view))), before, view)
		finally:
			for doc in more:
				doc.delete()
