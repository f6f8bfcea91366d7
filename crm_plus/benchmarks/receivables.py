"""Benchmark: the Receivables Follow-up report against ERPNext's Accounts Receivable on
the same generated ledger. Prints the medians and the ratio ours/AR (target <= 0.5).

	bench --site <site> execute crm_plus.benchmarks.receivables.run
	bench --site <site> execute crm_plus.benchmarks.receivables.run --kwargs '{"invoices": 20000, "rounds": 3}'

The data (customers, submitted Sales Invoice rows and their Payment Ledger Entries: the
invoices, part or full payments, credit notes) is written in bulk, not through the
controllers, since both reports read only those tables; it is all rolled back at the end.
"""

import random
import statistics
import time

import frappe
from frappe.utils import add_days, getdate, nowdate

from crm_plus.tests.factories import COMPANY


def run(invoices: int = 20000, customers: int = 400, rounds: int = 3, seed: int = 5) -> dict:
	frappe.only_for("System Manager")
	from erpnext.accounts.report.accounts_receivable.accounts_receivable import execute as accounts_receivable

	from crm_plus.crm_plus.report.receivables_follow_up.receivables_follow_up import execute as receivables_follow_up

	frappe.db.get_value("Company", COMPANY) or frappe.throw(f"Needs the test company {COMPANY}")
	try:
		generate(invoices, customers, random.Random(seed))
		filters = {"company": COMPANY, "report_date": nowdate(), "ageing_based_on": "Due Date", "range": "30, 60, 90, 120"}
		timings = {"ar": [], "ours": []}
		ar_rows = our_rows = None
		for _ in range(rounds):
			start = time.perf_counter()
			ar_rows = accounts_receivable(frappe._dict(filters, party_type="Customer"))[1]
			timings["ar"].append(time.perf_counter() - start)
			start = time.perf_counter()
			our_rows = receivables_follow_up(dict(filters, top_n=0))[1]  # every row, as Accounts Receivable
			timings["ours"].append(time.perf_counter() - start)
		ar, ours = statistics.median(timings["ar"]), statistics.median(timings["ours"])
		ar_total = round(sum(r.get("outstanding") or 0 for r in ar_rows if r.get("voucher_no")), 2)
		our_total = round(sum(r["outstanding"] for r in our_rows), 2)
		result = {
			"invoices": invoices,
			"customers": customers,
			"rounds": rounds,
			"accounts_receivable_s": round(ar, 3),
			"receivables_follow_up_s": round(ours, 3),
			"ratio": round(ours / ar, 3),
			"rows": [len([r for r in ar_rows if r.get("voucher_no")]), len(our_rows)],
			"totals_equal": ar_total == our_total,
		}
		print(
			f"{invoices} invoices, {customers} customers: Accounts Receivable {ar:.3f} s, Receivables Follow-up {ours:.3f} s "
			f"(median of {rounds}); ratio = {ours / ar:.3f} (target <= 0.5); rows {result['rows']}, totals equal: {result['totals_equal']}"
		)
		return result
	finally:
		frappe.db.rollback()


def generate(invoices: int, customers: int, rnd: random.Random) -> None:
	now = frappe.utils.now()
	company_currency = frappe.get_cached_value("Company", COMPANY, "default_currency")
	debtors = frappe.get_cached_value("Company", COMPANY, "default_receivable_account")
	cost_center = frappe.get_cached_value("Company", COMPANY, "cost_center")
	names = [f"_CP Bench Customer {i:04d}" for i in range(customers)]
	frappe.db.bulk_insert(
		"Customer",
		["name", "customer_name", "customer_group", "territory", "customer_type", "creation", "modified", "owner", "modified_by"],
		[(n, n, "All Customer Groups", "All Territories", "Company", now, now, "Administrator", "Administrator") for n in names],
	)
	today = getdate(nowdate())
	si_rows, ple_rows = [], []
	ple_fields = [
		"name", "creation", "modified", "owner", "modified_by", "docstatus", "posting_date", "company", "account_type",
		"account", "party_type", "party", "due_date", "voucher_type", "voucher_no", "against_voucher_type",
		"against_voucher_no", "amount", "account_currency", "amount_in_account_currency", "delinked", "cost_center",
	]

	def ple(voucher_type, voucher_no, against, party, posting_date, amount, due_date=None):
		ple_rows.append(
			(
				frappe.generate_hash(length=12), now, now, "Administrator", "Administrator", 1, posting_date, COMPANY, "Receivable",
				debtors, "Customer", party, due_date, voucher_type, voucher_no, "Sales Invoice", against, amount,
				company_currency, amount, 0, cost_center,
			)
		)

	for i in range(invoices):
		name = f"_CP-BENCH-SINV-{i:06d}"
		party = names[rnd.randrange(customers)]
		posting = add_days(today, -rnd.randrange(1, 400))
		due = add_days(posting, rnd.choice((0, 15, 30, 60)))
		total = round(rnd.uniform(50, 5000), 2)
		paid = 0.0
		ple("Sales Invoice", name, name, party, posting, total, due)
		kind = rnd.random()
		if kind < 0.35:  # paid in full
			paid = total
			ple("Payment Entry", f"_CP-BENCH-PE-{i:06d}", name, party, add_days(posting, 20), -total)
		elif kind < 0.7:  # part paid
			paid = round(total * rnd.uniform(0.1, 0.9), 2)
			ple("Payment Entry", f"_CP-BENCH-PE-{i:06d}", name, party, add_days(posting, 10), -paid)
		elif kind < 0.8:  # credit note against it
			paid = round(total * 0.2, 2)
			ple("Journal Entry", f"_CP-BENCH-JV-{i:06d}", name, party, add_days(posting, 5), -paid)
		si_rows.append(
			(name, now, now, "Administrator", "Administrator", 1, COMPANY, party, party, posting, due, company_currency, 1,
			 debtors, total, total, round(total - paid, 2), 0, "Standard Selling")
		)
	frappe.db.bulk_insert(
		"Sales Invoice",
		["name", "creation", "modified", "owner", "modified_by", "docstatus", "company", "customer", "customer_name",
		 "posting_date", "due_date", "currency", "conversion_rate", "debit_to", "grand_total", "base_grand_total",
		 "outstanding_amount", "is_return", "selling_price_list"],
		si_rows,
		chunk_size=5000,
	)
	frappe.db.bulk_insert("Payment Ledger Entry", ple_fields, ple_rows, chunk_size=5000)
