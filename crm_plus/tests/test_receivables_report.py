"""The Receivables Follow-up report agrees, to the cent, with ERPNext's Accounts Receivable."""

import frappe
from erpnext.accounts.report.accounts_receivable.accounts_receivable import execute as accounts_receivable
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, nowdate

from crm_plus.crm_plus.report.receivables_follow_up.receivables_follow_up import execute as receivables_follow_up
from crm_plus.tests.factories import (
	COMPANY,
	make_credit_note,
	make_customer,
	make_foreign_customer,
	make_item,
	make_payment,
	make_payment_terms_template,
	make_receivable_invoice,
	make_user,
)

ITEM = "_CP AR Item"
USD_CUSTOMER = "_CP AR Customer USD"
EUR_CUSTOMER = "_CP AR Customer EUR"
RANGE = "30, 60, 90, 120"


class TestReceivablesReportEqualsAccountsReceivable(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		frappe.db.set_single_value("Currency Exchange Settings", "disabled", 1)
		make_item(ITEM, is_stock_item=0)
		make_customer(USD_CUSTOMER)
		make_foreign_customer(EUR_CUSTOMER, "EUR")
		today = nowdate()
		cls.dates = {"today": today, "earlier": add_days(today, -20)}

		# USD: partial payment; fully paid; payment terms with a payment; credit note; old and overdue
		a = make_receivable_invoice(USD_CUSTOMER, ITEM, 1000, posting_date=add_days(today, -70), due_date=add_days(today, -40))
		make_payment(a.name, 300, posting_date=add_days(today, -10))
		b = make_receivable_invoice(USD_CUSTOMER, ITEM, 500, posting_date=add_days(today, -30))
		make_payment(b.name, 500, posting_date=add_days(today, -5))
		c = make_receivable_invoice(
			USD_CUSTOMER, ITEM, 2000, posting_date=add_days(today, -50), payment_terms_template=make_payment_terms_template()
		)
		make_payment(c.name, 500.37, posting_date=add_days(today, -25))
		make_credit_note(c.name, 200, posting_date=add_days(today, -3))
		d = make_receivable_invoice(USD_CUSTOMER, ITEM, 333.33, posting_date=add_days(today, -130), due_date=add_days(today, -125))
		make_credit_note(d.name, 33.33, posting_date=add_days(today, -1), against_invoice=False)  # a row of its own

		# EUR at explicit rates: the ledger keeps company-currency amounts
		e = make_receivable_invoice(EUR_CUSTOMER, ITEM, 1000, currency="EUR", conversion_rate=1.1, posting_date=add_days(today, -35), due_date=add_days(today, -15))
		make_payment(e.name, 400, posting_date=add_days(today, -2), exchange_rate=1.1)
		make_receivable_invoice(EUR_CUSTOMER, ITEM, 250.55, currency="EUR", conversion_rate=1.2, posting_date=add_days(today, -95), due_date=add_days(today, -90))
		cls.invoices = [a.name, b.name, c.name, d.name, e.name]

	def reports(self, report_date, parties=None, ageing_with="Report Date"):
		ar_filters = frappe._dict(
			company=COMPANY, report_date=report_date, party_type="Customer", ageing_based_on="Due Date", range=RANGE,
			calculate_ageing_with=ageing_with,
		)
		if parties:
			ar_filters.party = parties
		_columns, ar_rows, *_ = accounts_receivable(ar_filters)
		ours_filters = {
			"company": COMPANY, "report_date": report_date, "ageing_based_on": "Due Date", "range": RANGE,
			"calculate_ageing_with": ageing_with,
		}
		if parties and len(parties) == 1:
			ours_filters["customer"] = parties[0]
		_columns, our_rows, _msg, _chart, summary = receivables_follow_up(ours_filters)
		ar = {(r["voucher_type"], r["voucher_no"]): r for r in ar_rows if r.get("voucher_no")}
		ours = {(r["voucher_type"], r["voucher_no"]): r for r in our_rows}
		if parties:
			ours = {k: v for k, v in ours.items() if v["customer"] in parties}
			ar = {k: v for k, v in ar.items() if v["party"] in parties}
		return ar, ours, summary

	def assert_equal_reports(self, report_date, parties=None, ageing_with="Report Date"):
		ar, ours, _summary = self.reports(report_date, parties, ageing_with)
		self.assertTrue(ar, "Accounts Receivable shows nothing: the test data is wrong")
		self.assertEqual(set(ours), set(ar))
		for key, row in ar.items():
			self.assertEqual(flt(ours[key]["outstanding"], 2), flt(row["outstanding"], 2), key)
			for i in range(1, 6):
				self.assertEqual(flt(ours[key][f"range{i}"], 2), flt(row[f"range{i}"], 2), (key, i))
		self.assertEqual(
			flt(sum(r["outstanding"] for r in ours.values()), 2), flt(sum(r["outstanding"] for r in ar.values()), 2)
		)
		return ar, ours

	def test_equal_for_our_customers_today(self):
		ar, ours = self.assert_equal_reports(self.dates["today"], [USD_CUSTOMER, EUR_CUSTOMER])
		# what the data says, so the equality is about something
		self.assertEqual(flt(ours[("Sales Invoice", self.invoices[2])]["outstanding"], 2), 1299.63)
		self.assertNotIn(("Sales Invoice", self.invoices[1]), ours)  # paid in full
		self.assertEqual(flt(ours[("Sales Invoice", self.invoices[4])]["outstanding"], 2), 660.0)  # 600 EUR at 1.1

	def test_equal_for_one_customer(self):
		self.assert_equal_reports(self.dates["today"], [USD_CUSTOMER])
		self.assert_equal_reports(self.dates["today"], [EUR_CUSTOMER])

	def test_equal_at_an_earlier_date(self):
		self.assert_equal_reports(self.dates["earlier"], [USD_CUSTOMER, EUR_CUSTOMER])
		self.assert_equal_reports(self.dates["earlier"], [USD_CUSTOMER, EUR_CUSTOMER], ageing_with="Today Date")

	def test_equal_for_the_whole_company(self):
		self.assert_equal_reports(self.dates["today"])

	def test_by_customer_totals(self):
		_columns, rows, _msg, _chart, summary = receivables_follow_up(
			{"company": COMPANY, "report_date": self.dates["today"], "group_by": "Customer", "range": RANGE}
		)
		ar, _ours, _summary = self.reports(self.dates["today"], [USD_CUSTOMER])
		usd = next(r for r in rows if r["customer"] == USD_CUSTOMER)
		self.assertEqual(flt(usd["outstanding"], 2), flt(sum(r["outstanding"] for r in ar.values()), 2))

	def test_a_fixed_number_of_queries(self):
		def count(report_date):
			queries = []
			original = frappe.db.sql

			def spy(*args, **kwargs):
				queries.append(args[0] if args else kwargs.get("query"))
				return original(*args, **kwargs)

			frappe.db.sql = spy
			try:
				receivables_follow_up({"company": COMPANY, "report_date": report_date, "range": RANGE})
			finally:
				frappe.db.sql = original
			return len(queries)

		# a few queries, however many rows (one more only for invoices without a due date)
		self.assertLessEqual(count(self.dates["earlier"]), 6)
		self.assertLessEqual(count(nowdate()), 6)

	def test_top_n_shows_the_largest_and_a_total_row_for_all(self):
		filters = {"company": COMPANY, "report_date": self.dates["today"], "range": RANGE}
		_columns, every, message, _chart, summary = receivables_follow_up(filters)
		self.assertIsNone(message)
		self.assertGreater(len(every), 2)
		_columns, rows, message, _chart, top_summary, skip_total_row = receivables_follow_up({**filters, "top_n": 2})
		largest = {r["voucher_no"] for r in sorted(every, key=lambda r: -abs(r["outstanding"]))[:2]}
		# the two largest, in the report's order, then the total of every row
		self.assertEqual([r["voucher_no"] for r in rows[:-1]], [r["voucher_no"] for r in every if r["voucher_no"] in largest])
		total = rows[-1]
		self.assertEqual((total["is_total_row"], total["total_label"]), (1, f"Total ({len(every)} rows)"))
		for field in ("outstanding", "overdue", "range1", "range5"):
			self.assertEqual(flt(total[field], 2), flt(sum(r[field] for r in every), 2), field)
		self.assertEqual(skip_total_row, 1)  # Frappe's own would add up only the two shown
		self.assertIn(f"Showing the 2 largest of {len(every)} rows", message)
		self.assertEqual(top_summary, summary)
		# by customer the same way; 0 shows every row
		_columns, customers, *_ = receivables_follow_up({**filters, "group_by": "Customer", "top_n": 1})
		self.assertEqual(flt(customers[-1]["outstanding"], 2), flt(sum(r["outstanding"] for r in every), 2))
		self.assertEqual(len(receivables_follow_up({**filters, "top_n": 0})[1]), len(every))
		with self.assertRaisesRegex(frappe.ValidationError, "Top N must be 0"):
			receivables_follow_up({**filters, "top_n": -1})

	def test_user_permissions_apply_in_the_query(self):
		user = make_user("_cp_ar_restricted@example.com", ["Accounts User"])
		frappe.get_doc({"doctype": "User Permission", "user": user, "allow": "Customer", "for_value": USD_CUSTOMER}).insert(
			ignore_permissions=True
		)
		frappe.set_user(user)
		try:
			_columns, rows, _msg, _chart, summary = receivables_follow_up({"company": COMPANY, "report_date": self.dates["today"], "range": RANGE})
		finally:
			frappe.set_user("Administrator")
		self.assertEqual({r["customer"] for r in rows}, {USD_CUSTOMER})
		self.assertEqual(flt(summary[0]["value"], 2), flt(sum(r["outstanding"] for r in rows), 2))
