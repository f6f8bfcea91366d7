"""The sales facts (crm_plus.analytics.facts) against ERPNext's Gross Profit report, on every
sales flow of crm_plus.tests.sales_flows, and every crm_plus screen against the facts."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt

from crm_plus.analytics import facts
from crm_plus.tests import sales_flows as flows
from crm_plus.tests.factories import COMPANY


def fact_totals(field: str, values) -> dict[str, tuple[float, float]]:
	rows = frappe.db.sql(
		f"""select {field} as k, sum(revenue), sum(cost) from `tabCRM Plus Sales Fact`
		where company = %s and {field} in %s group by {field}""",  # field: a constant of these tests
		(COMPANY, tuple(values)),
	)
	return {k: (flt(r, 2), flt(c, 2)) for k, r, c in rows}


class TestSalesFacts(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.docs = flows.make_sales_flows()

	def assertFigures(self, ours: dict, erpnext: dict, keys):
		for key in keys:
			self.assertIn(key, erpnext, key)
			self.assertAlmostEqual(ours.get(key, (0, 0))[0], erpnext[key][0], 2, f"revenue of {key}")
			self.assertAlmostEqual(ours.get(key, (0, 0))[1], erpnext[key][1], 2, f"cost of goods of {key}")

	def test_equal_to_erpnext_gross_profit_per_customer_and_item(self):
		self.assertFigures(fact_totals("customer", flows.CUSTOMERS), flows.erpnext_gross_profit("Customer"), flows.CUSTOMERS)
		self.assertFigures(fact_totals("item_code", flows.ITEMS), flows.erpnext_gross_profit("Item Code"), flows.ITEMS)

	def test_equal_to_erpnext_gross_profit_per_invoice(self):
		erpnext = flows.erpnext_gross_profit("Invoice")
		originals = [name for key, name in self.docs.items() if not key.endswith("r")]
		ours = {}
		for name in originals:
			# ERPNext nets a credit note into the invoice it returns
			ours[name] = tuple(
				flt(v, 2)
				for v in frappe.db.sql(
					"""select sum(f.revenue), sum(f.cost) from `tabCRM Plus Sales Fact` f
					where f.sales_invoice = %(si)s or f.return_against = %(si)s""",
					{"si": name},
				)[0]
			)
		self.assertFigures(ours, erpnext, originals)

	def test_every_flow_has_the_cost_basis_erpnext_uses(self):
		basis = dict(
			frappe.db.sql(
				"select sales_invoice, group_concat(distinct cost_basis order by cost_basis) from `tabCRM Plus Sales Fact` where sales_invoice in %s group by sales_invoice",
				(tuple(self.docs.values()),),
			)
		)
		d = self.docs
		self.assertEqual(basis[d["F1"]], "Delivery Note")
		self.assertEqual(basis[d["F4"]], "Last Purchase Rate,Stock Ledger")
		self.assertEqual(basis[d["F4r"]], "Return")
		self.assertEqual(basis[d["F7"]], "Product Bundle")
		self.assertEqual(basis[d["F8"]], "Product Bundle")
		self.assertEqual(basis[d["F10"]], "Valuation Estimate")
		self.assertEqual(basis[d["F11"]], "Sales Order Deliveries")

	def test_the_backdated_receipt_reposts_the_cost(self):
		# M cost 40 until the receipt of 10 at 100 dated 3 July: F1's 4 then cost (40*40+10*100)/50 = 52 each
		cost = frappe.db.get_value("CRM Plus Sales Fact", {"sales_invoice": self.docs["F1"]}, "cost")
		self.assertAlmostEqual(flt(cost), 4 * 52, 2)

	def test_foreign_currency_in_company_currency(self):
		revenue = frappe.db.get_value("CRM Plus Sales Fact", {"sales_invoice": self.docs["F9"]}, "revenue")
		self.assertAlmostEqual(flt(revenue), 20 * 7.1, 2)

	def test_rebuild_gives_what_the_hooks_kept(self):
		def snapshot():
			return frappe.db.sql(
				"""select name, sales_invoice, item_code, qty, round(revenue, 2), round(cost, 2), cost_basis
				from `tabCRM Plus Sales Fact` where customer in %s order by name""",
				(flows.CUSTOMERS,),
			)

		kept = snapshot()
		self.assertTrue(kept)
		facts.rebuild(COMPANY)
		self.assertEqual(snapshot(), kept)

	def test_cancel_removes_the_facts(self):
		si = flows.new_doc("Sales Invoice", flows.C1, "2026-07-25", [(flows.M, 1, 100)], update_stock=1)
		self.assertTrue(frappe.db.exists("CRM Plus Sales Fact", {"sales_invoice": si.name}))
		si.cancel()
		self.assertFalse(frappe.db.exists("CRM Plus Sales Fact", {"sales_invoice": si.name}))
