"""The sales facts (crm_plus.analytics.facts) against ERPNext's Gross Profit report, on every
sales flow of crm_plus.tests.sales_flows, and every crm_plus screen against the facts."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt

from crm_plus.analytics import facts
from crm_plus.tests import sales_flows as flows
from crm_plus.tests.factories import COMPANY, receive_stock, set_churn_thresholds


def fact_totals(field: str, values) -> dict[str, tuple[float, float]]:
	rows = frappe.db.sql(
		f"""select {field} as k, sum(revenue), sum(cost) from `tabCRM Plus Sales Fact`
		where company = %s and {field} in %s group by {field}""",  # field: a constant of these tests
		(COMPANY, tuple(values)),
	)
	return {k: (flt(r, 2), flt(c, 2)) for k, r, c in rows}


def facts_where(condition: str, values) -> tuple:
	"""The sales facts matching `condition` (a constant of these tests), figures rounded to
	the cent, in name order: what the hooks kept, to compare with a rebuild."""
	return frappe.db.sql(
		f"""select name, sales_invoice, item_code, qty, round(revenue, 2), round(cost, 2), cost_basis
		from `tabCRM Plus Sales Fact` where {condition} order by name""",
		values,
	)


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
		self.assertEqual(basis[d["F13"]], "Stock Ledger")
		self.assertEqual(basis[d["F14"]], "Delivery Note")
		self.assertEqual(basis[d["F15"]], "Last Purchase Rate")

	def test_the_backdated_receipt_reposts_the_cost(self):
		# M cost 40 until the receipt of 10 at 100 dated 3 July: F1's 4 then cost (40*40+10*100)/50 = 52 each
		cost = frappe.db.get_value("CRM Plus Sales Fact", {"sales_invoice": self.docs["F1"]}, "cost")
		self.assertAlmostEqual(flt(cost), 4 * 52, 2)

	def test_batches_serial_numbers_and_drop_ship(self):
		def cost(key):
			return flt(frappe.db.get_value("CRM Plus Sales Fact", {"sales_invoice": self.docs[key]}, "cost"))

		self.assertAlmostEqual(cost("F13"), 5 * 20 + 2 * 26, 2)  # FIFO over two batches
		self.assertAlmostEqual(cost("F14"), 2 * 300, 2)
		self.assertAlmostEqual(cost("F15"), 2 * 70, 2)  # what the supplier charged

	def test_foreign_currency_in_company_currency(self):
		revenue = frappe.db.get_value("CRM Plus Sales Fact", {"sales_invoice": self.docs["F9"]}, "revenue")
		self.assertAlmostEqual(flt(revenue), 20 * 7.1, 2)

	def test_rebuild_gives_what_the_hooks_kept(self):
		kept = facts_where("customer in %s", (flows.CUSTOMERS,))
		self.assertTrue(kept)
		facts.rebuild(COMPANY)
		self.assertEqual(facts_where("customer in %s", (flows.CUSTOMERS,)), kept)

	def test_incremental_equals_rebuilt_after_a_random_mix(self):
		"""A seeded random mix in August 2026 (after the flows' July): stock-updating invoices,
		deliveries billed afterwards, cancels, amendments, returns, then a backdated receipt
		that makes ERPNext repost; what the hooks kept equals a rebuild, line for line."""
		import random

		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return as si_return
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice as dn_invoice

		rng = random.Random(12)
		for item in (flows.M, flows.F):
			receive_stock(item, 100, 50, "2026-08-01")
		invoices, returned, done = [], set(), []
		for day in range(2, 26):
			date = f"2026-08-{day:02d}"
			op = rng.choice(["invoice", "delivery", "cancel", "amend", "return"]) if len(invoices) > 2 else "invoice"
			line = [(rng.choice([flows.M, flows.F]), rng.randint(1, 3), rng.randint(80, 150))]
			customer = rng.choice(flows.CUSTOMERS[:4])  # in the company's currency
			if op == "invoice":
				invoices.append(flows.new_doc("Sales Invoice", customer, date, line, update_stock=1))
			elif op == "delivery":
				dn = flows.new_doc("Delivery Note", customer, date, line)
				invoices.append(flows.mapped(dn_invoice(dn.name), date))
			else:
				doc = invoices.pop(rng.randrange(len(invoices)))
				if op == "return":
					ret = si_return(doc.name)
					ret.items[0].qty = -1
					flows.mapped(ret, date)
					returned.add(doc.name)
				elif doc.name not in returned:  # an invoice with a submitted return stays
					doc.reload()
					doc.cancel()
					if op == "amend":
						amended = frappe.copy_doc(doc)
						amended.docstatus, amended.amended_from = 0, doc.name  # as the desk's Amend
						invoices.append(flows.mapped(amended, str(doc.posting_date)))
			done.append(op)
		receive_stock(flows.M, 20, 90, "2026-08-03")  # every later sale of M is reposted
		repost = frappe.get_last_doc("Repost Item Valuation", {"item_code": flows.M, "posting_date": "2026-08-03"})
		self.assertEqual(repost.status, "Completed")
		self.assertTrue({"invoice", "delivery", "cancel", "amend", "return"} <= set(done), done)

		august = "company = %s and posting_date >= '2026-08-01'"
		kept = facts_where(august, COMPANY)
		self.assertTrue(kept)
		facts.rebuild(COMPANY)
		self.assertEqual(facts_where(august, COMPANY), kept)
		# and nothing of a cancelled invoice is left
		self.assertFalse(
			frappe.db.sql(
				"""select f.name from `tabCRM Plus Sales Fact` f join `tabSales Invoice` si on si.name = f.sales_invoice
				where si.docstatus != 1 and f.posting_date >= '2026-08-01'"""
			)
		)

	def test_cancel_removes_the_facts(self):
		si = flows.new_doc("Sales Invoice", flows.C1, "2026-07-25", [(flows.M, 1, 100)], update_stock=1)
		self.assertTrue(frappe.db.exists("CRM Plus Sales Fact", {"sales_invoice": si.name}))
		si.cancel()
		self.assertFalse(frappe.db.exists("CRM Plus Sales Fact", {"sales_invoice": si.name}))


class TestEveryScreenAgrees(FrappeTestCase):
	"""Customer 360 = Profit Contribution = Product Sales Analysis = Salesperson Performance =
	Campaign ROI = ERPNext's Gross Profit, on every flow; Customer Analysis's lost list = the
	lifecycle the churn job writes = Customer Churn's Lost."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.docs = flows.make_sales_flows()

	def july(self, **values):
		return {"company": COMPANY, "from_date": flows.FROM_DATE, "to_date": flows.TO_DATE, **values}

	def test_gross_profit_per_customer(self):
		from crm_plus.crm_plus.report.profit_contribution.profit_contribution import execute as contribution
		from crm_plus.relationship.customer_360 import get_customer_360

		erpnext = flows.erpnext_gross_profit("Customer")
		by_customer = {r["group"]: r["gross_profit"] for r in contribution(self.july(group_by="Customer"))[1]}
		for customer in flows.CUSTOMERS:
			expected = erpnext[customer][0] - erpnext[customer][1]
			self.assertAlmostEqual(get_customer_360(customer, COMPANY)["gross_profit"], expected, 2, customer)
			self.assertAlmostEqual(by_customer[customer], expected, 2, customer)

	def test_gross_profit_per_item(self):
		from crm_plus.crm_plus.report.product_sales_analysis.product_sales_analysis import execute as product_sales
		from crm_plus.crm_plus.report.profit_contribution.profit_contribution import execute as contribution

		erpnext = flows.erpnext_gross_profit("Item Code")
		by_item = {r["group"]: r["gross_profit"] for r in contribution(self.july(group_by="Item"))[1]}
		product_rows = product_sales(self.july(group_by="Item", period="Yearly"))[1]
		margin = {r["group"]: r["revenue"] - r["cost"] for r in product_rows}
		for item in flows.ITEMS:
			expected = erpnext[item][0] - erpnext[item][1]
			self.assertAlmostEqual(by_item[item], expected, 2, item)
			self.assertAlmostEqual(margin[item], expected, 2, item)

	def test_gross_profit_per_sales_person(self):
		from crm_plus.crm_plus.report.salesperson_performance.salesperson_performance import execute as performance

		erpnext = flows.erpnext_gross_profit("Sales Person")
		ours = {r["sales_person"]: r["gross_profit"] for r in performance(self.july())[1]}
		self.assertEqual(set(erpnext) & {flows.SP_A, flows.SP_B}, {flows.SP_A, flows.SP_B})
		for sales_person in (flows.SP_A, flows.SP_B):
			self.assertAlmostEqual(ours[sales_person], erpnext[sales_person][0] - erpnext[sales_person][1], 2, sales_person)

	def test_gross_profit_of_the_campaign(self):
		from crm_plus.crm_plus.report.campaign_roi.campaign_roi import execute as campaign_roi

		erpnext = flows.erpnext_gross_profit("Invoice")
		expected = sum(erpnext[self.docs[k]][0] - erpnext[self.docs[k]][1] for k in ("F1", "F4"))
		rows = campaign_roi({"company": COMPANY, "campaign": frappe.db.get_value(
			"Marketing Campaign", {"campaign_name": flows.CAMPAIGN})})[1]
		self.assertAlmostEqual(rows[0]["gross_profit"], expected, 2)

	def test_lost_customers_agree(self):
		from crm_plus.crm_plus.report.customer_analysis.customer_analysis import execute as customer_analysis
		from crm_plus.crm_plus.report.customer_churn.customer_churn import execute as customer_churn
		from crm_plus.relationship.churn import update_lifecycle_statuses

		day = "2027-02-15"  # lost after 180 days: everyone who last ordered before 19 August 2026
		saved = set_churn_thresholds({"churn_at_risk_days": 90, "churn_lost_days": 180})
		self.addCleanup(set_churn_thresholds, saved)
		update_lifecycle_statuses(day)
		lost_by_job = set(frappe.get_all("Customer", {"crm_plus_lifecycle_status": "Lost", "name": ("in", flows.CUSTOMERS)}, pluck="name"))
		analysis = {r.customer for r in customer_analysis(
			{"company": COMPANY, "from_date": "2026-01-01", "to_date": day, "view": "Lost Customers"})[1]}
		churn = {r.customer for r in customer_churn({"company": COMPANY, "status": ["Lost"]})[1]}
		self.assertEqual(lost_by_job, set(flows.CUSTOMERS))
		self.assertEqual(analysis & set(flows.CUSTOMERS), lost_by_job)
		self.assertEqual(churn & set(flows.CUSTOMERS), lost_by_job)
