"""Benchmark: crm_plus's analytics reports against their ERPNext counterparts on the same
data, in the same run. Prints times, peak memory and ratios.

	bench --site <site> execute crm_plus.benchmarks.analytics.run
	bench --site <site> execute crm_plus.benchmarks.analytics.run --kwargs '{"size": "large"}'
	bench --site <site> execute crm_plus.benchmarks.analytics.run --kwargs '{"size": "large", "scale": 0.4}'

Run it on a site where crm_plus's tests have run (it needs the test company, Wind Power LLC),
never on a production site: it writes ~1 million rows at "large" (and deletes them at the end
unless keep=1).

Data, the way ERPNext holds it: a few real documents made through ERPNext (a stock receipt
and a submitted, stock-updating Sales Invoice with its GL, payment ledger and stock ledger
entries), then cloned in SQL: customers (in five territories), items (one stock receipt each),
submitted Sales Invoices of five lines with their Sales Team, stock ledger entries (valuation
chain recomputed so the running qty and stock value are consistent, which is what ERPNext's
Gross Profit reads), GL entries and payment ledger entries. Invoices spread over the last
15 months. For the CRM reports: complaints (one per five invoices), repair orders with their
technicians (one per ten), ten campaigns that every tenth invoice is attributed to, and every
customer's lifecycle status written by the churn job.

	size      customers   items   invoices   invoice lines
	typical       5,000   2,000     10,000          50,000
	large        50,000  20,000    100,000         500,000

Timed, each through frappe.desk.query_report.run as the desk calls it, the first run after a
cache clear and the median of `rounds` more runs, the same way for crm_plus and ERPNext: every
crm_plus analytics report (Customer Analysis trend and lost view, Profit Contribution by each
grouping, Product Sales Analysis by item group and item, Salesperson Performance, Receivables
Follow-up, Customer Churn, Campaign ROI, Complaint Analysis, Repair Turnaround), over the last
12 months, against Sales Analytics, Inactive Customers (the same lost days), Gross Profit (by
customer, by item), Sales Person-wise Transaction Summary and Accounts Receivable. Gross profit
and lost customers must agree. Ends by listing any crm_plus report Frappe switched to a
prepared report (a run over 15 s does that).
"""

import gc
import statistics
import time

import frappe
from frappe.utils import add_days, add_months, get_first_day, nowdate

from crm_plus.analytics import facts
from crm_plus.relationship.churn import lifecycle_thresholds, update_lifecycle_statuses
from crm_plus.tests.factories import (
	COMPANY,
	make_complaint,
	make_item,
	make_repair_order,
	make_user,
	set_churn_thresholds,
	make_dated_sales_invoice,
	make_sales_person,
	make_territory,
	make_territory_customer,
	receive_stock,
)

SIZES = {
	"typical": {"customers": 5_000, "items": 2_000, "invoices": 10_000},
	"large": {"customers": 50_000, "items": 20_000, "invoices": 100_000},
}
# per invoice: complaints and repair orders (one in five and one in ten invoices); campaigns
# attribute every tenth invoice
COMPLAINTS_PER_INVOICE, REPAIRS_PER_INVOICE = 0.2, 0.1
CAMPAIGNS = [f"_CPB Campaign {i}" for i in range(1, 11)]
CATEGORIES = [f"_CPB Category {i}" for i in range(1, 6)]
TECHNICIANS = [f"cpb-technician-{i}@example.com" for i in range(1, 6)]
LINES = 5  # per invoice
DAYS = 450  # invoices spread over this many days up to today
PREFIX = "CPB-"
SEED_CUSTOMER, SEED_ITEM, SEED_TERRITORY = "_CPB Seed Customer", "_CPB Seed Item", "_CPB Territory 1"
TERRITORIES = [f"_CPB Territory {i}" for i in range(1, 6)]
SALES_PERSONS = [f"_CPB Sales Person {i}" for i in range(1, 11)]
RECEIPT_QTY = 1_000_000
# row s.seq of a generated document -> its customer's number (1 .. %(n_customers)s)
CUSTOMER_NO_SQL = "(1 + mod(s.seq * 7919, %(n_customers)s))"


def run(
	size: str = "typical", scale: float = 1.0, rounds: int = 3, keep: int = 0, reuse: int = 0, ours_only: int = 0
) -> dict:
	"""keep=1 leaves the generated data in place; reuse=1 times the reports on data a
	keep=1 run left (of the same size), without generating or deleting it; ours_only=1
	skips ERPNext's reports (no ratios)."""
	frappe.only_for("System Manager")
	if not frappe.db.exists("Company", COMPANY):
		frappe.throw(f"Needs the test company {COMPANY} (run on a site where crm_plus's tests have run)")
	counts = {k: max(1, int(v * scale)) for k, v in SIZES[size].items()}
	label = size if scale == 1 else f"{size} x {scale:g}"
	print(f"== crm_plus analytics benchmark: {label}: {counts['customers']:,} customers, {counts['items']:,} items, "
		f"{counts['invoices']:,} invoices, {counts['invoices'] * LINES:,} invoice lines")
	try:
		if not reuse:
			delete_generated()
			start = time.perf_counter()
			generate(**counts)
			print(f"data generated in {time.perf_counter() - start:.1f} s")
		results = compare(rounds, ours_only)
		results["size"], results["counts"] = label, counts
		return results
	finally:
		if not keep and not reuse:
			delete_generated()


# --- data --------------------------------------------------------------------------------------

def generate(customers: int, items: int, invoices: int) -> None:
	seed = make_seed()
	frappe.db.commit()  # the seed documents, made through ERPNext
	first_day = add_days(nowdate(), -DAYS)
	params = {
		"n_customers": customers,
		"n_items": items,
		"n_invoices": invoices,
		"first_day": first_day,
		"receipt_day": add_days(first_day, -1),
		"receipt_qty": RECEIPT_QTY,
		**{f"t{i}": t for i, t in enumerate(TERRITORIES)},
		**{f"sp{i}": s for i, s in enumerate(SALES_PERSONS)},
		**seed,
	}
	customer_no = CUSTOMER_NO_SQL  # invoice k (1..n) -> its customer's number
	steps = [
		(
			"Customer",
			"seq_1_to_{customers}",
			"t.name = %(seed_customer)s",
			{
				"name": "concat('CPB-C-', lpad(s.seq, 6, '0'))",
				"customer_name": "concat('CPB Customer ', s.seq)",
				"territory": pick("t", "s.seq", len(TERRITORIES)),
			},
		),
		(
			"Item",
			"seq_1_to_{items}",
			"t.name = %(seed_item)s",
			{
				"name": "concat('CPB-I-', lpad(s.seq, 6, '0'))",
				"item_code": "concat('CPB-I-', lpad(s.seq, 6, '0'))",
				"item_name": "concat('CPB Item ', s.seq)",
				"valuation_rate": "0.6 * (50 + mod(s.seq, 100))",
			},
		),
		(
			"Sales Invoice",
			"seq_1_to_{invoices}",
			"t.name = %(seed_invoice)s",
			{
				"name": "concat('CPB-SINV-', lpad(s.seq, 7, '0'))",
				"customer": f"concat('CPB-C-', lpad({customer_no}, 6, '0'))",
				"customer_name": f"concat('CPB Customer ', {customer_no})",
				"territory": pick("t", customer_no, len(TERRITORIES)),
				"posting_date": "date_add(%(first_day)s, interval mod(s.seq, " + str(DAYS) + ") day)",
				"due_date": "date_add(%(first_day)s, interval mod(s.seq, " + str(DAYS) + ") + 30 day)",
				"creation": "timestamp(date_add(%(first_day)s, interval mod(s.seq, " + str(DAYS) + ") day), '10:00:00')",
			},
		),
	]
	for doctype, seq, where, values in steps:
		clone(doctype, seq.format(customers=customers, items=items, invoices=invoices), where, values, params)

	# invoice lines: item number = (31 k + 977 j) mod items, qty 1..5, price 50..149, cost 60 % of price
	line_item = "(1 + mod(s.seq * 31 + l.seq * 977, %(n_items)s))"
	price = f"(50 + mod({line_item}, 100))"
	qty = "(1 + mod(s.seq + l.seq, 5))"
	clone(
		"Sales Invoice Item",
		f"seq_1_to_{invoices} s join seq_1_to_{LINES} l",
		"t.name = %(seed_invoice_item)s",
		{
			"name": "concat('CPB-SII-', s.seq, '-', l.seq)",
			"parent": "concat('CPB-SINV-', lpad(s.seq, 7, '0'))",
			"idx": "l.seq",
			"item_code": f"concat('CPB-I-', lpad({line_item}, 6, '0'))",
			"item_name": f"concat('CPB Item ', {line_item})",
			**{f: qty for f in ("qty", "stock_qty")},
			**{f: price for f in ("rate", "base_rate", "net_rate", "base_net_rate", "price_list_rate", "base_price_list_rate")},
			**{f: f"{qty} * {price}" for f in ("amount", "base_amount", "net_amount", "base_net_amount")},
			"incoming_rate": f"0.6 * {price}",
		},
		params,
		seq_alias=False,
	)
	# invoice totals from their lines (no taxes); every third invoice paid
	frappe.db.sql(
		"""
		update `tabSales Invoice` si join (
			select parent, sum(base_net_amount) as total from `tabSales Invoice Item`
			where parent like 'CPB-SINV-%%' group by parent
		) t on t.parent = si.name
		set si.total = t.total, si.base_total = t.total, si.net_total = t.total, si.base_net_total = t.total,
			si.grand_total = t.total, si.base_grand_total = t.total, si.rounded_total = t.total,
			si.base_rounded_total = t.total, si.rounding_adjustment = 0, si.base_rounding_adjustment = 0,
			si.outstanding_amount = if(mod(cast(substring(si.name, 10) as unsigned), 3) = 0, 0, t.total),
			si.status = if(mod(cast(substring(si.name, 10) as unsigned), 3) = 0, 'Paid', 'Overdue')"""
	)
	clone(
		"Sales Team",
		f"seq_1_to_{invoices}",
		"t.name = %(seed_sales_team)s",
		{
			"name": "concat('CPB-ST-', s.seq)",
			"parent": "concat('CPB-SINV-', lpad(s.seq, 7, '0'))",
			"sales_person": pick("sp", "s.seq", len(SALES_PERSONS)),
			"allocated_percentage": "100",
			"allocated_amount": "0",
		},
		params,
	)
	frappe.db.sql(
		"""update `tabSales Team` st join `tabSales Invoice` si on si.name = st.parent
		set st.allocated_amount = si.base_net_total where st.name like 'CPB-ST-%%'"""
	)
	# stock ledger: one receipt per item, one issue per invoice line
	clone(
		"Stock Ledger Entry",
		f"seq_1_to_{items}",
		"t.name = %(seed_receipt_sle)s",
		{
			"name": "concat('CPB-SLE-R-', s.seq)",
			"item_code": "concat('CPB-I-', lpad(s.seq, 6, '0'))",
			"voucher_detail_no": "concat('CPB-SED-', s.seq)",
			"posting_date": "%(receipt_day)s",
			"posting_time": "'00:00:00'",
			"posting_datetime": "timestamp(%(receipt_day)s, '00:00:00')",
			"creation": "timestamp(%(receipt_day)s, '00:00:00')",
			"actual_qty": "%(receipt_qty)s",
			"incoming_rate": "0.6 * (50 + mod(s.seq, 100))",
			"valuation_rate": "0.6 * (50 + mod(s.seq, 100))",
			"stock_value_difference": "%(receipt_qty)s * 0.6 * (50 + mod(s.seq, 100))",
		},
		params,
	)
	clone(
		"Stock Ledger Entry",
		"`tabSales Invoice Item` sii join `tabSales Invoice` si on si.name = sii.parent",
		"t.name = %(seed_sle)s and sii.name like 'CPB-SII-%%'",
		{
			"name": "concat('CPB-SLE-', sii.name)",
			"item_code": "sii.item_code",
			"voucher_no": "si.name",
			"voucher_detail_no": "sii.name",
			"posting_date": "si.posting_date",
			"posting_time": "si.posting_time",
			"posting_datetime": "timestamp(si.posting_date, si.posting_time)",
			"creation": "timestamp(si.posting_date, '10:00:00') + interval (cast(substring(si.name, 10) as unsigned) * 10 + sii.idx) microsecond",
			"actual_qty": "-sii.stock_qty",
			"valuation_rate": "sii.incoming_rate",
			"outgoing_rate": "sii.incoming_rate",
			"stock_value_difference": "-sii.stock_qty * sii.incoming_rate",
		},
		params,
		seq_alias=False,
	)
	frappe.db.sql(
		"""
		update `tabStock Ledger Entry` sle join (
			select name, sum(actual_qty) over (partition by item_code, warehouse
				order by posting_datetime, creation, name) as qty_after
			from `tabStock Ledger Entry` where name like 'CPB-SLE-%%'
		) w on w.name = sle.name
		set sle.qty_after_transaction = w.qty_after, sle.stock_value = w.qty_after * sle.valuation_rate"""
	)
	# general ledger and payment ledger: the seed invoice's entries, with each invoice's amounts
	for doctype, amount in (("GL Entry", None), ("Payment Ledger Entry", "x.total")):
		columns = frappe.db.get_table_columns(doctype)
		values = {
			"name": "concat('CPB-', left(md5(concat(x.parent, t.name)), 20))",
			"voucher_no": "x.parent",
			"posting_date": "x.posting_date",
			"creation": "timestamp(x.posting_date, '10:00:00')",
		}
		if doctype == "GL Entry":
			amount = "if(t.account in (%(income_account)s, %(debit_to)s), x.total, x.cost)"
			for f in ("debit", "debit_in_account_currency", "debit_in_transaction_currency"):
				values[f] = f"if(t.{f} > 0, {amount}, 0)"
			for f in ("credit", "credit_in_account_currency", "credit_in_transaction_currency"):
				values[f] = f"if(t.{f} > 0, {amount}, 0)"
			values["against_voucher"] = "if(t.against_voucher = t.voucher_no, x.parent, t.against_voucher)"
		else:
			values.update({"amount": amount, "amount_in_account_currency": amount, "against_voucher_no": "x.parent",
				"party": "x.customer", "due_date": "x.due_date"})
		if doctype == "GL Entry":
			values["party"] = "if(t.party is null or t.party = '', t.party, x.customer)"
		values = {k: v for k, v in values.items() if k in columns}
		frappe.db.sql(
			f"""
			insert into `tab{doctype}` ({", ".join(f"`{c}`" for c in columns)})
			select {", ".join(values.get(c, f"t.`{c}`") for c in columns)}
			from (
				select si.name as parent, si.posting_date, si.due_date, si.customer, si.base_net_total as total,
					sum(sii.stock_qty * sii.incoming_rate) as cost
				from `tabSales Invoice` si join `tabSales Invoice Item` sii on sii.parent = si.name
				where si.name like 'CPB-SINV-%%' group by si.name
			) x join `tab{doctype}` t on t.voucher_no = %(seed_invoice)s""",
			params,
		)
	generate_crm(customers, invoices, params)
	frappe.db.commit()  # a benchmark's own data, deleted again at the end
	# the sales facts every report reads, built as `facts.rebuild` builds them after an update
	start = time.perf_counter()
	lines = facts.rebuild()
	frappe.db.commit()  # as above
	print(f"sales facts rebuilt: {lines:,} invoice lines in {time.perf_counter() - start:.1f} s")
	# every customer's lifecycle status, written by the daily churn job itself (without its
	# win-back follow-ups, which would be tens of thousands of documents for one run)
	start = time.perf_counter()
	saved = set_churn_thresholds({"churn_follow_up": 0})
	try:
		counts = update_lifecycle_statuses()["counts"]
	finally:
		set_churn_thresholds(saved)
	frappe.db.commit()  # as above
	print(f"lifecycle statuses by the churn job in {time.perf_counter() - start:.1f} s: {counts}")


def generate_crm(customers: int, invoices: int, params: dict) -> None:
	"""What the CRM reports read, cloned from real documents as the sales are: customer
	complaints in five categories (most answered and resolved, some late), repair orders
	(most submitted and ready, some in progress) with their technicians, and campaigns
	(Marketing Campaign documents, each with its ERPNext Campaign) that every tenth invoice
	is attributed to."""
	for category in CATEGORIES:
		if not frappe.db.exists("Complaint Category", category):
			frappe.get_doc({"doctype": "Complaint Category", "category_name": category}).insert()
	for user in TECHNICIANS:
		make_user(user, ["Service Clerk"])
	erpnext_campaigns = []
	for name in CAMPAIGNS:
		campaign = frappe.db.get_value("Marketing Campaign", {"campaign_name": name}, "campaign")
		if not campaign:
			campaign = frappe.get_doc({"doctype": "Marketing Campaign", "campaign_name": name, "company": COMPANY,
				"start_date": params["first_day"], "purpose": "Product Launch"}).insert().campaign
		erpnext_campaigns.append(campaign)
	seed_complaint = frappe.db.get_value("Customer Complaint", {"customer": SEED_CUSTOMER})
	if not seed_complaint:
		seed_complaint = make_complaint(SEED_CUSTOMER, category=CATEGORIES[0]).name
	seed_repair = frappe.db.get_value("Repair Order", {"customer": SEED_CUSTOMER})
	if not seed_repair:
		seed_repair = make_repair_order(SEED_CUSTOMER, SEED_ITEM, technicians=[{"user": TECHNICIANS[0]}]).name
	params = {**params, "seed_complaint": seed_complaint, "seed_repair": seed_repair,
		**{f"cat{i}": c for i, c in enumerate(CATEGORIES)}, **{f"tech{i}": u for i, u in enumerate(TECHNICIANS)},
		**{f"camp{i}": c for i, c in enumerate(erpnext_campaigns)}}

	customer_of = f"concat('CPB-C-', lpad({CUSTOMER_NO_SQL}, 6, '0'))"
	day = "date_add(%(first_day)s, interval mod(s.seq * 7, " + str(DAYS) + ") day)"
	opened = f"timestamp({day}, '09:00:00') + interval mod(s.seq, 480) minute"
	n_complaints = int(invoices * COMPLAINTS_PER_INVOICE)
	clone(
		"Customer Complaint",
		f"seq_1_to_{n_complaints}",
		"t.name = %(seed_complaint)s",
		{
			"name": "concat('CPB-CMP-', lpad(s.seq, 7, '0'))",
			"customer": customer_of,
			"category": pick("cat", "s.seq", len(CATEGORIES)),
			"opened_on": opened,
			"creation": opened,
			"first_responded_on": f"{opened} + interval mod(s.seq * 13, 72) hour",
			"response_by": f"{opened} + interval 24 hour",
			"resolve_by": f"{opened} + interval 72 hour",
			# four in five resolved within ten days, the rest still open or in progress
			"resolved_on": f"if(mod(s.seq, 5) = 0, null, {opened} + interval mod(s.seq * 17, 240) hour)",
			"status": "if(mod(s.seq, 5) = 0, if(mod(s.seq, 2) = 0, 'Open', 'In Progress'), 'Resolved')",
		},
		params,
	)
	n_repairs = int(invoices * REPAIRS_PER_INVOICE)
	received = f"timestamp({day}, '10:00:00')"
	clone(
		"Repair Order",
		f"seq_1_to_{n_repairs}",
		"t.name = %(seed_repair)s",
		{
			"name": "concat('CPB-RPR-', lpad(s.seq, 7, '0'))",
			"customer": customer_of,
			"received_on": received,
			"creation": received,
			"promised_date": f"date({received} + interval 5 day)",
			# nine in ten submitted and ready (one in six of those after the promised day)
			"docstatus": "if(mod(s.seq, 10) = 0, 0, 1)",
			"status": "if(mod(s.seq, 10) = 0, 'Diagnosing', 'Ready for Pickup')",
			"ready_on": f"if(mod(s.seq, 10) = 0, null, {received} + interval (24 + mod(s.seq * 11, 150)) hour)",
		},
		params,
	)
	clone(
		"Repair Order Technician",
		f"seq_1_to_{n_repairs}",
		"t.parent = %(seed_repair)s and t.parenttype = 'Repair Order'",
		{
			"name": "concat('CPB-ROT-', s.seq)",
			"parent": "concat('CPB-RPR-', lpad(s.seq, 7, '0'))",
			"user": pick("tech", "s.seq", len(TECHNICIANS)),
		},
		params,
	)
	frappe.db.sql(
		f"""update `tabSales Invoice` set campaign = {pick("camp", "cast(substring(name, 10) as unsigned) div 10", len(CAMPAIGNS))}
		where name like 'CPB-SINV-%%' and mod(cast(substring(name, 10) as unsigned), 10) = 0""",
		params,
	)
	print(f"crm data: {n_complaints:,} complaints, {n_repairs:,} repair orders, {len(CAMPAIGNS)} campaigns")


def pick(prefix: str, n: str, k: int) -> str:
	"""SQL for the (n mod k)-th of the parameters prefix0 .. prefix{k-1}."""
	return f"elt(1 + mod({n}, {k}), " + ", ".join(f"%({prefix}{i})s" for i in range(k)) + ")"


def clone(doctype: str, source: str, where: str, values: dict, params: dict, seq_alias: bool = True) -> None:
	"""Insert copies of the rows of `doctype` matched by `where` (alias t), one per row of
	`source` (alias s when seq_alias), with `values` (SQL expressions) in place of columns."""
	columns = frappe.db.get_table_columns(doctype)
	select = ", ".join(values.get(c, f"t.`{c}`") for c in columns)
	source_sql = f"{source} s" if seq_alias else source
	frappe.db.sql(
		f"""insert into `tab{doctype}` ({", ".join(f"`{c}`" for c in columns)})
		select {select} from `tab{doctype}` t join {source_sql} where {where}""",
		params,
	)


def make_seed() -> dict:
	"""Real documents to clone: a customer, an item and its receipt, a submitted invoice."""
	for t in TERRITORIES:
		make_territory(t)
	for sp in SALES_PERSONS:
		make_sales_person(sp)
	make_territory_customer(SEED_CUSTOMER, SEED_TERRITORY, SALES_PERSONS[0])
	make_item(SEED_ITEM)
	seed_day = "2026-07-02"  # outside the tests' January to June
	if not frappe.db.exists("Sales Invoice", {"customer": SEED_CUSTOMER, "docstatus": 1}):
		receive_stock(SEED_ITEM, 1000, 60, "2026-07-01")
		make_dated_sales_invoice(SEED_CUSTOMER, [(SEED_ITEM, 1, 100)], seed_day, SALES_PERSONS[0])
	invoice = frappe.db.get_value("Sales Invoice", {"customer": SEED_CUSTOMER, "docstatus": 1}, ["name", "debit_to"], as_dict=True)
	item_row = frappe.db.get_value("Sales Invoice Item", {"parent": invoice.name}, ["name", "income_account"], as_dict=True)
	return {
		"seed_customer": SEED_CUSTOMER,
		"seed_item": SEED_ITEM,
		"seed_invoice": invoice.name,
		"seed_invoice_item": item_row.name,
		"income_account": item_row.income_account,
		"debit_to": invoice.debit_to,
		"seed_sales_team": frappe.db.get_value("Sales Team", {"parent": invoice.name}),
		"seed_sle": frappe.db.get_value("Stock Ledger Entry", {"voucher_no": invoice.name, "is_cancelled": 0}),
		"seed_receipt_sle": frappe.db.get_value(
			"Stock Ledger Entry", {"item_code": SEED_ITEM, "voucher_type": "Stock Entry", "is_cancelled": 0}
		),
	}


def delete_generated() -> None:
	for doctype in ("Sales Invoice", "Sales Invoice Item", "Sales Team", "Stock Ledger Entry", "GL Entry",
			"Payment Ledger Entry", "Customer", "Item", "CRM Plus Sales Fact", "Customer Complaint",
			"Repair Order", "Repair Order Technician"):
		frappe.db.sql(f"delete from `tab{doctype}` where name like 'CPB-%%'")  # doctype from a fixed list
	frappe.db.commit()  # the benchmark's generated rows are gone; keep it so


# --- timing ---------------------------------------------------------------------------------------

def compare(rounds: int, ours_only: int = 0) -> dict:
	"""Every crm_plus analytics report and, where ERPNext has one, its counterpart, each through
	frappe.desk.query_report.run as the desk calls it, timed the same way (see `measure`)."""
	today = nowdate()
	db_today = str(frappe.db.sql("select current_date")[0][0])
	year = {"company": COMPANY, "from_date": str(get_first_day(add_months(today, -11))), "to_date": today}
	lost_days = lifecycle_thresholds()[2]
	receivable = {"company": COMPANY, "report_date": today, "ageing_based_on": "Due Date", "range": "30, 60, 90, 120"}
	# (our report, its filters, label, ERPNext's report or None, its filters)
	cases = [
		("Customer Analysis", {**year, "group_by": "Territory"}, "trend, monthly, by territory",
			"Sales Analytics", {**year, "tree_type": "Customer", "doc_type": "Sales Invoice",
				"value_quantity": "Value", "range": "Monthly"}),
		# Inactive Customers counts days from the database server's date and "at least" its days
		("Customer Analysis", {"company": COMPANY, "from_date": "2000-01-01", "to_date": db_today,
			"view": "Lost Customers"}, "lost customers",
			"Inactive Customers", {"days_since_last_order": lost_days + 1, "doctype": "Sales Invoice"}),
		("Profit Contribution", {**year, "group_by": "Customer"}, "by customer",
			"Gross Profit", {**year, "group_by": "Customer"}),
		("Profit Contribution", {**year, "group_by": "Item"}, "by item",
			"Gross Profit", {**year, "group_by": "Item Code"}),
		("Profit Contribution", {**year, "group_by": "Item Group"}, "by item group", None, None),
		("Profit Contribution", {**year, "group_by": "Territory"}, "by territory", None, None),
		("Profit Contribution", {**year, "group_by": "Sales Person"}, "by sales person", None, None),
		("Product Sales Analysis", {**year, "group_by": "Item Group"}, "by item group, monthly", None, None),
		("Product Sales Analysis", {**year, "group_by": "Item"}, "by item, monthly", None, None),
		("Salesperson Performance", year, "", "Sales Person-wise Transaction Summary",
			{**year, "doc_type": "Sales Invoice"}),
		("Receivables Follow-up", receivable, "", "Accounts Receivable", {**receivable, "party_type": "Customer"}),
		("Customer Churn", {"company": COMPANY}, "", None, None),
		("Campaign ROI", {"company": COMPANY}, "", None, None),
		("Complaint Analysis", {**year, "group_by": "Category"}, "", None, None),
		("Repair Turnaround", year, "", None, None),
	]
	results = {"rows": []}
	print(f"{'report':58} {'first s':>8} {'median s':>9} {'rows':>8}   {'counterpart':40} {'first s':>8} {'median s':>9} {'ratio':>6}")
	for report, filters, label, theirs, their_filters in cases:
		name = f"{report} ({label})" if label else report
		ours = measure(report, filters, rounds)
		row = {"report": name, **{f"ours_{k}": v for k, v in ours.items() if k != "result"}}
		line = f"{name:58} {ours['first']:8.3f} {ours['median']:9.3f} {ours['rows']:8,}"
		if theirs and not ours_only:
			other = measure(theirs, their_filters, rounds)
			row.update({"theirs": theirs, **{f"theirs_{k}": v for k, v in other.items() if k != "result"}})
			row["ratio"] = ours["median"] / other["median"] if other["median"] else float("nan")
			line += f"   {theirs:40} {other['first']:8.3f} {other['median']:9.3f} {row['ratio']:6.3f}"
			check = figure_check(ours["result"], theirs, other["result"])
			if check:
				line += "\n    " + check
		print(line)
		results["rows"].append(row)
	prepared = frappe.get_all("Report", {"module": "CRM Plus", "prepared_report": 1}, pluck="name")
	print(f"crm_plus reports switched to prepared reports: {prepared or 'none'}")
	results["prepared"] = prepared
	return results


def measure(report: str, filters: dict, rounds: int) -> dict:
	"""The first run after clearing the caches (what a user gets first), then the median of
	`rounds` more runs; both sides of a pair are measured by this same function."""
	from frappe.desk.query_report import run as run_report

	def once():
		gc.collect()
		start = time.perf_counter()
		# computed here and now even for a report Frappe has switched to a prepared report
		# (ERPNext's Gross Profit and Accounts Receivable run over 15 s at "large")
		out = run_report(report, filters=frappe.as_json(filters), ignore_prepared_report=True)
		return time.perf_counter() - start, out

	frappe.clear_cache()
	first, result = once()
	times = []
	for _ in range(rounds):
		t, result = once()
		times.append(t)
	rows = result.get("result") or []
	return {"first": first, "median": statistics.median(times) if times else first, "rows": len(rows), "result": result}


def figure_check(ours: dict, theirs: str, other: dict) -> str:
	"""The answers must agree where both reports state the same fact."""
	if theirs == "Gross Profit":
		ours_gp = sum(r["gross_profit"] for r in ours["result"] if isinstance(r, dict) and r.get("group") is not None)
		last = other["result"][-1]
		theirs_gp = last[7] if isinstance(last, list | tuple) else last.get("gross_profit")
		return f"gross profit: crm_plus {ours_gp:,.2f}, ERPNext {theirs_gp:,.2f}, difference {ours_gp - theirs_gp:,.2f}"
	if theirs == "Accounts Receivable":
		rows = [r for r in ours["result"] if isinstance(r, dict)]
		total = next((r for r in rows if r.get("is_total_row")), None)
		ours_total = total["outstanding"] if total else sum(r["outstanding"] for r in rows)
		theirs_total = sum(r.get("outstanding") or 0 for r in other["result"] if isinstance(r, dict) and r.get("voucher_no"))
		return f"outstanding: crm_plus {ours_total:,.2f}, ERPNext {theirs_total:,.2f}, difference {ours_total - theirs_total:,.2f}"
	if theirs == "Inactive Customers":
		ours_set = {r["customer"] for r in ours["result"]}
		theirs_set = {r.get("customer") if isinstance(r, dict) else r[0] for r in other["result"]}
		return (f"lost customers: crm_plus {len(ours_set):,}, ERPNext {len(theirs_set):,}, "
			f"only crm_plus {len(ours_set - theirs_set)}, only ERPNext {len(theirs_set - ours_set)}")
	return ""
