import json

import frappe
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as get_chart
from frappe.desk.doctype.number_card.number_card import get_result as get_card_result
from frappe.tests.utils import FrappeTestCase
from frappe.translate import get_translations_from_apps
from frappe.utils import add_months, get_first_day, nowdate

from crm_plus.tests.factories import (
	COMPANY,
	make_item,
	make_dated_sales_invoice,
	make_territory_customer,
	receive_stock,
)

WORKSPACE = "CRM Plus"
REPORTS = [
	"Customer Analysis",
	"Product Sales Analysis",
	"Profit Contribution",
	"Salesperson Performance",
	"Sales Forecast",
	"Pipeline Movement",
	"Competitor Analysis",
]


def card_value(name: str) -> float:
	card = frappe.get_doc("Number Card", name)
	filters = json.loads(card.filters_json)
	if frappe.get_meta(card.document_type).has_field("company"):
		filters.append([card.document_type, "company", "=", COMPANY])
	if name == "Receivables Due":
		filters.append(["Sales Invoice", "due_date", "<=", nowdate()])
	return get_card_result(card.as_dict(), filters)


class TestCRMPlusWorkspace(FrappeTestCase):
	def test_the_workspace_ships_cards_charts_and_shortcuts(self):
		ws = frappe.get_doc("Workspace", WORKSPACE)
		self.assertEqual((ws.module, ws.public), ("CRM Plus", 1))
		for row in ws.number_cards:
			self.assertEqual(frappe.db.get_value("Number Card", row.number_card_name, ["module", "is_standard"]), ("CRM Plus", 1))
		for row in ws.charts:
			self.assertEqual(frappe.db.get_value("Dashboard Chart", row.chart_name, ["module", "is_standard"]), ("CRM Plus", 1))
		# a shortcut to every crm_plus doctype users work in, and every report (not to the
		# read-only tables crm_plus writes itself, such as the sales facts the reports add up)
		ours = set(frappe.get_all("DocType", {"module": "CRM Plus", "istable": 0, "read_only": 0}, pluck="name")) | set(
			frappe.get_all("Report", {"module": "CRM Plus"}, pluck="name")
		)
		# ... and to the sales path a user starts from: 客户, 商机, 报价单, 销售订单
		self.assertEqual({s.link_to for s in ws.shortcuts}, ours | {"Customer", "Opportunity", "Quotation", "Sales Order"})
		self.assertEqual([s.link_to for s in ws.shortcuts][:4], ["Customer", "Opportunity", "Quotation", "Sales Order"])
		# the reports card lists every crm_plus report
		reports = {link.link_to for link in ws.links if link.type == "Link" and link.link_type == "Report"}
		self.assertEqual(reports, set(frappe.get_all("Report", {"module": "CRM Plus"}, pluck="name")))
		# what the page shows: every block names a record of the workspace
		blocks = json.loads(ws.content)
		self.assertEqual(
			{b["data"]["number_card_name"] for b in blocks if b["type"] == "number_card"},
			{r.number_card_name for r in ws.number_cards},
		)
		self.assertEqual({b["data"]["chart_name"] for b in blocks if b["type"] == "chart"}, {r.chart_name for r in ws.charts})

	def test_sales_this_month_and_last_month_and_receivables_due(self):
		make_item("_CP Card Item")
		receive_stock("_CP Card Item", 10, 5, str(add_months(get_first_day(nowdate()), -1)))
		customer = make_territory_customer("_CP Card Customer", "All Territories")
		before = {name: card_value(name) for name in ("Sales This Month", "Sales Last Month", "Receivables Due")}
		make_dated_sales_invoice(customer, [("_CP Card Item", 1, 70)], nowdate())
		make_dated_sales_invoice(customer, [("_CP Card Item", 1, 30)], str(add_months(get_first_day(nowdate()), -1)))
		self.assertEqual(card_value("Sales This Month") - before["Sales This Month"], 70)
		self.assertEqual(card_value("Sales Last Month") - before["Sales Last Month"], 30)
		self.assertEqual(card_value("Receivables Due") - before["Receivables Due"], 100)  # both due on their dates

	def test_pipeline_by_stage_and_every_chart_computes(self):
		customer = make_territory_customer("_CP Card Customer", "All Territories")
		stage = frappe.db.get_value("Sales Stage", {}) or frappe.get_doc({"doctype": "Sales Stage", "stage_name": "_CP Stage"}).insert().name
		frappe.get_doc(
			{
				"doctype": "Opportunity",
				"opportunity_from": "Customer",
				"party_name": customer,
				"company": COMPANY,
				"sales_stage": stage,
				"opportunity_amount": 500,
				"currency": frappe.get_cached_value("Company", COMPANY, "default_currency"),
				"conversion_rate": 1,
			}
		).insert()
		data = get_chart(chart_name="Opportunities by Stage", refresh=1)
		self.assertEqual(dict(zip(data["labels"], data["datasets"][0]["values"]))[stage], 500)
		for name in frappe.get_all("Dashboard Chart", {"module": "CRM Plus", "chart_type": ("!=", "Report")}, pluck="name"):
			data = get_chart(chart_name=name, refresh=1)
			self.assertIn("datasets", data, name)
		# a report chart is the report's own chart, with the chart's filters and the report's defaults
		from frappe.desk.query_report import run

		for chart in frappe.get_all("Dashboard Chart", {"module": "CRM Plus", "chart_type": "Report"}, ["report_name", "filters_json"]):
			filters = {
				"company": COMPANY,
				"from_date": get_first_day(nowdate()),
				"to_date": add_months(get_first_day(nowdate()), 6),
				**json.loads(chart.filters_json),
			}
			result = run(chart.report_name, filters=filters, ignore_prepared_report=True)
			self.assertIn("datasets", result["chart"]["data"], chart.report_name)
		for name in frappe.get_all("Number Card", {"module": "CRM Plus"}, pluck="name"):
			self.assertIsNotNone(card_value(name), name)

	def test_labels_read_chinese(self):
		zh = get_translations_from_apps("zh")
		labels = [WORKSPACE, *REPORTS]
		labels += frappe.get_all("Number Card", {"module": "CRM Plus"}, pluck="label")
		labels += frappe.get_all("Dashboard Chart", {"module": "CRM Plus"}, pluck="chart_name")
		ws = frappe.get_doc("Workspace", WORKSPACE)
		labels += [link.label for link in ws.links] + [s.label for s in ws.shortcuts]
		self.assertEqual([label for label in labels if not zh.get(label)], [])
