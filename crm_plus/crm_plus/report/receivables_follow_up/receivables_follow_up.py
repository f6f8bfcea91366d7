# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt
"""Receivables Follow-up: what each customer and invoice still owes, aged, with the
collector's last contact and next promise.

Outstanding is computed exactly as ERPNext v15's Accounts Receivable does (the Payment
Ledger Entry, grouped by the voucher it settles; credit notes count against the invoice
they return), added up in SQL in the order of an index (crm_plus.analytics.common): a fixed
number of queries whatever the data size. Every open voucher is aged and added to the
totals, chart and summary; past Top N rows, only the largest are shown, with a total row
for all of them.
"""

import heapq
from bisect import bisect_left
from datetime import date

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, nowdate

from crm_plus.analytics.common import RECEIVABLE_INDEX_NAME
from crm_plus.utils.permissions import check_company, user_permission_values

RECEIVABLE_FOLLOW_UP = "Receivable Follow Up"
# Past this many rows a view shows the largest (Top N) and a total row for all of them: a
# company with 100,000 open invoices would otherwise send them all to the browser.
DEFAULT_TOP_N = 500

# an open voucher, as a list (100,000 of them are built for the totals; dicts only for the
# rows shown): its ledger key, balance, dates, and where it sits in the ageing
ACCOUNT, VOUCHER_TYPE, VOUCHER_NO, CUSTOMER, OUTSTANDING, IN_ACCOUNT_CURRENCY, POSTING_DATE, DUE_DATE = range(8)
AGE, BUCKET, OVERDUE = 8, 9, 10


def execute(filters=None):
	filters = frappe._dict(filters or {})
	filters.company = filters.company or frappe.defaults.get_user_default("Company")
	filters.report_date = getdate(filters.report_date or nowdate())
	check_company(filters.company, "Sales Invoice")
	filters.top_n = DEFAULT_TOP_N if filters.get("top_n") in (None, "") else cint(filters.top_n)
	if filters.top_n < 0:
		frappe.throw(_("Top N must be 0 (every row) or more."), title=_("Invalid Filters"))
	ranges = parse_ranges(filters.get("range"))
	vouchers = open_vouchers(filters)
	age_vouchers(vouchers, filters, ranges)
	follow_ups = latest_follow_ups(filters)
	if filters.get("collector"):
		vouchers = [v for v in vouchers if (follow_up_of(v, follow_ups) or {}).get("collector") == filters.collector]
	by_customer = filters.get("group_by") == "Customer"
	columns = get_columns(ranges, by_customer)
	totals = add_up(vouchers, ranges)
	chart, summary = get_chart(totals, ranges), get_summary(totals, vouchers, follow_ups, filters)
	make_rows = customer_rows if by_customer else invoice_rows
	rows, count = make_rows(vouchers, follow_ups, ranges, filters.top_n)
	if len(rows) == count:
		return columns, rows, None, chart, summary
	message = _("Showing the {0} largest of {1} rows; the total row, chart and summary count all of them. Filter by customer or collector, or set Top N to 0 to see (and export) every row.").format(
		len(rows), count
	)
	total = frappe._dict(customer=None, is_total_row=1, total_label=_("Total ({0} rows)").format(count), total_label_field="customer", **totals)
	# skip Frappe's total row: it would add up only the rows shown
	return columns, rows + [total], message, chart, summary, 1


def parse_ranges(text: str | None) -> list[int]:
	text = text or frappe.db.get_single_value("CRM Plus Settings", "receivable_ageing_ranges") or "30, 60, 90, 120"
	return [cint(n.strip()) for n in text.split(",") if n.strip().isdigit()]


def open_vouchers(filters) -> list[list]:
	"""Every voucher with a balance on the report date, keyed as Accounts Receivable keys it
	(account, voucher type and number, party), with its due date."""
	values = {"company": filters.company, "report_date": filters.report_date}
	conditions = ""
	if filters.get("customer"):
		conditions += " and ple.party = %(customer)s"
		values["customer"] = filters.customer
	# the customers the user's permissions allow for Sales Invoice (as the invoices' own rows)
	customers = user_permission_values("Customer", "Sales Invoice")
	if customers is not None:
		conditions += " and ple.party in %(perm_customers)s"
		values["perm_customers"] = tuple(customers)
	# each voucher's balance, added up in the order of crm_plus's payment-ledger index (a
	# temporary table of 100,000 wide groups would go to disk), with the posting and due date
	# of its own entry; a group zero in both currencies adds nothing, also to the invoice a
	# credit note returns
	vouchers = frappe.db.sql(
		f"""
		select ple.account, ple.against_voucher_type, ple.against_voucher_no, ple.party,
			round(sum(ple.amount), 2) as outstanding, round(sum(ple.amount_in_account_currency), 2) as in_account_currency,
			max(case when ple.voucher_no = ple.against_voucher_no then ple.posting_date end),
			max(case when ple.voucher_no = ple.against_voucher_no then ple.due_date end)
		from `tabPayment Ledger Entry` ple force index ({RECEIVABLE_INDEX_NAME})
		where ple.company = %(company)s and ple.party_type = 'Customer' and ple.account_type = 'Receivable'
			and ple.delinked = 0 and ple.posting_date <= %(report_date)s {conditions}
		group by ple.against_voucher_type, ple.against_voucher_no, ple.account, ple.party
		having abs(outstanding) >= 0.01 or abs(in_account_currency) >= 0.01""",
		values,
		as_list=True,
	)
	# a credit note that does not keep its own balance counts against the invoice it returns
	returned = {
		r[0]: r[1:]
		for r in frappe.db.sql(
			"""select ret.name, ret.return_against, inv.posting_date, inv.due_date
			from `tabSales Invoice` ret
			join `tabSales Invoice` inv on inv.name = ret.return_against and inv.posting_date <= %(report_date)s
			where ret.company = %(company)s and ret.is_return = 1 and ret.docstatus = 1
				and ret.update_outstanding_for_self = 0 and ret.posting_date <= %(report_date)s""",
			values,
		)
	}
	for v in vouchers:
		v[OUTSTANDING], v[IN_ACCOUNT_CURRENCY] = float(v[OUTSTANDING]), float(v[IN_ACCOUNT_CURRENCY])
	if any(v[VOUCHER_TYPE] == "Sales Invoice" and v[VOUCHER_NO] in returned for v in vouchers):
		vouchers = merge_returns(vouchers, returned)
	vouchers = [v for v in vouchers if abs(v[OUTSTANDING]) >= 0.01 and abs(v[IN_ACCOUNT_CURRENCY]) >= 0.01]
	# as Accounts Receivable: an invoice whose own entry has no due date takes the invoice's
	without_due_date = [v for v in vouchers if not v[DUE_DATE] and v[VOUCHER_TYPE] == "Sales Invoice"]
	if without_due_date:
		due_dates = dict(
			frappe.db.sql(
				"select name, due_date from `tabSales Invoice` where name in %(names)s and posting_date <= %(report_date)s",
				{"names": tuple({v[VOUCHER_NO] for v in without_due_date}), "report_date": filters.report_date},
			)
		)
		for v in without_due_date:
			v[DUE_DATE] = due_dates.get(v[VOUCHER_NO])
	return vouchers


def merge_returns(vouchers: list[list], returned: dict) -> list[list]:
	by_key = {tuple(v[:4]): v for v in vouchers}
	for v in vouchers:
		if v[VOUCHER_TYPE] != "Sales Invoice" or v[VOUCHER_NO] not in returned:
			continue
		invoice, posting_date, due_date = returned[v[VOUCHER_NO]]
		del by_key[tuple(v[:4])]
		target = by_key.setdefault(
			(v[ACCOUNT], "Sales Invoice", invoice, v[CUSTOMER]),
			[v[ACCOUNT], "Sales Invoice", invoice, v[CUSTOMER], 0.0, 0.0, posting_date, due_date],
		)
		target[OUTSTANDING] = flt(target[OUTSTANDING] + v[OUTSTANDING], 2)
		target[IN_ACCOUNT_CURRENCY] = flt(target[IN_ACCOUNT_CURRENCY] + v[IN_ACCOUNT_CURRENCY], 2)
	return list(by_key.values())


def age_vouchers(vouchers: list[list], filters, ranges: list[int]) -> None:
	"""Age, ageing bucket and overdue amount of each voucher, as Accounts Receivable: aged from
	the due date (or posting date) to the report date, or to today (ERPNext's rule when the
	filter is absent); bucket i holds vouchers aged up to ranges[i]; a voucher not yet due
	(negative age) sits in no bucket (0); overdue when due before the report date."""
	age_as_on = filters.report_date if filters.get("calculate_ageing_with") == "Report Date" else getdate(nowdate())
	by_due_date = filters.get("ageing_based_on", "Due Date") == "Due Date"
	report_date = filters.report_date
	for v in vouchers:
		due_date = v[DUE_DATE] = v[DUE_DATE] or v[POSTING_DATE]
		age_from = due_date if by_due_date else v[POSTING_DATE]
		age = (age_as_on - age_from).days if age_from else None
		bucket = 1 + bisect_left(ranges, age) if age is not None and age >= 0 else 0
		v += [age, bucket, v[OUTSTANDING] if due_date and due_date < report_date else 0.0]


def add_up(vouchers: list[list], ranges: list[int]) -> dict:
	totals = dict.fromkeys(["outstanding", "overdue"] + [f"range{i}" for i in range(1, len(ranges) + 2)], 0.0)
	for v in vouchers:
		totals["outstanding"] += v[OUTSTANDING]
		totals["overdue"] += v[OVERDUE]
		if v[BUCKET]:
			totals[f"range{v[BUCKET]}"] += v[OUTSTANDING]
	return {k: flt(t, 2) for k, t in totals.items()}


def latest_follow_ups(filters) -> dict[str, dict]:
	"""Each invoice's latest open follow-up: collector, last contact and promise (one query)."""
	fu = frappe.qb.DocType(RECEIVABLE_FOLLOW_UP)
	follow_ups = (
		frappe.qb.from_(fu)
		.select(fu.sales_invoice, fu.collector, fu.last_contact_on, fu.promise_date, fu.promise_amount, fu.status, fu.name)
		.where((fu.company == filters.company) & (fu.status != "Closed"))
		.orderby(fu.creation)
	).run(as_dict=True)
	return {f.sales_invoice: f for f in follow_ups}


def follow_up_of(voucher: list, follow_ups: dict) -> dict | None:
	return follow_ups.get(voucher[VOUCHER_NO]) if voucher[VOUCHER_TYPE] == "Sales Invoice" else None


def largest(items: list, top_n: int, outstanding) -> list:
	"""The top_n items with the largest balances (all when top_n is 0 or covers them)."""
	if not top_n or len(items) <= top_n:
		return items
	return heapq.nlargest(top_n, items, key=lambda i: abs(outstanding(i)))


def invoice_rows(vouchers: list[list], follow_ups: dict, ranges: list[int], top_n: int) -> tuple[list[dict], int]:
	"""The rows shown (the top_n largest vouchers, in date order) and how many there are."""
	shown = largest(vouchers, top_n, lambda v: v[OUTSTANDING])
	shown = sorted(shown, key=lambda v: (v[POSTING_DATE] or date.min, v[CUSTOMER] or "", v[VOUCHER_NO] or ""))
	rows = []
	for v in shown:
		f = follow_up_of(v, follow_ups)
		promised = f and f.status in ("Promised", "Promise Missed")
		row = frappe._dict(
			voucher_type=v[VOUCHER_TYPE], voucher_no=v[VOUCHER_NO], customer=v[CUSTOMER], posting_date=v[POSTING_DATE],
			due_date=v[DUE_DATE], age=v[AGE], outstanding=v[OUTSTANDING],
			outstanding_in_account_currency=v[IN_ACCOUNT_CURRENCY], overdue=v[OVERDUE],
			follow_up=f.name if f else None, collector=f.collector if f else None,
			last_contact_on=f.last_contact_on if f else None, follow_up_status=f.status if f else None,
			next_promise_date=f.promise_date if promised else None,
			next_promise_amount=f.promise_amount if promised else None,
		)
		for i in range(1, len(ranges) + 2):
			row[f"range{i}"] = v[OUTSTANDING] if v[BUCKET] == i else 0.0
		rows.append(row)
	return rows, len(vouchers)


def customer_rows(vouchers: list[list], follow_ups: dict, ranges: list[int], top_n: int) -> tuple[list[dict], int]:
	"""One row per customer, in the order of their oldest open voucher: their vouchers added
	up, the latest contact, the nearest promise, a collector. Returns the rows shown (the
	top_n largest) and how many customers there are."""
	# per customer, as a list until shown: invoices, oldest date, last contact, next
	# promise, collector, outstanding, overdue, then bucket 1.. (index 7 + bucket - 1)
	customers: dict[str, list] = {}
	for v in vouchers:
		c = customers.get(v[CUSTOMER])
		if c is None:
			c = customers[v[CUSTOMER]] = [0, date.max, None, None, None, 0.0, 0.0] + [0.0] * (len(ranges) + 1)
		c[0] += 1
		c[1] = min(c[1], v[POSTING_DATE] or date.min)
		c[5] += v[OUTSTANDING]
		c[6] += v[OVERDUE]
		if v[BUCKET]:
			c[6 + v[BUCKET]] += v[OUTSTANDING]
		f = follow_up_of(v, follow_ups)
		if f:
			if f.last_contact_on and (not c[2] or f.last_contact_on > c[2]):
				c[2] = f.last_contact_on
			if f.status in ("Promised", "Promise Missed") and f.promise_date and (not c[3] or f.promise_date < c[3]):
				c[3] = f.promise_date
			c[4] = c[4] or f.collector
	shown = largest(list(customers.items()), top_n, lambda item: item[1][5])
	shown.sort(key=lambda item: (item[1][1], item[0] or ""))
	rows = [
		frappe._dict(
			customer=customer, invoices=c[0], last_contact_on=c[2], next_promise_date=c[3], collector=c[4],
			outstanding=c[5], overdue=c[6], **{f"range{i}": c[6 + i] for i in range(1, len(ranges) + 2)},
		)
		for customer, c in shown
	]
	return rows, len(customers)


def get_columns(ranges: list[int], by_customer: bool) -> list[dict]:
	columns = [{"label": _("Customer"), "fieldname": "customer", "fieldtype": "Link", "options": "Customer", "width": 180}]
	if by_customer:
		columns.append({"label": _("Invoices"), "fieldname": "invoices", "fieldtype": "Int", "width": 80})
	else:
		columns += [
			# Select: the formatter shows the doctype's name in the user's language
			{"label": _("Voucher Type"), "fieldname": "voucher_type", "fieldtype": "Select", "width": 110},
			{"label": _("Voucher No"), "fieldname": "voucher_no", "fieldtype": "Dynamic Link", "options": "voucher_type", "width": 160},
			{"label": _("Posting Date"), "fieldname": "posting_date", "fieldtype": "Date", "width": 120},
			{"label": _("Due Date"), "fieldname": "due_date", "fieldtype": "Date", "width": 120},
			{"label": _("Age (Days)"), "fieldname": "age", "fieldtype": "Int", "width": 80},
		]
	columns += [
		{"label": _("Outstanding Amount"), "fieldname": "outstanding", "fieldtype": "Currency", "width": 130},
		{"label": _("Overdue"), "fieldname": "overdue", "fieldtype": "Currency", "width": 120},
	]
	lower = 0
	for i, upper in enumerate(ranges, start=1):
		columns.append({"label": f"{lower}-{upper}", "fieldname": f"range{i}", "fieldtype": "Currency", "width": 110})
		lower = upper + 1
	columns.append({"label": _("{0}-Above").format(lower), "fieldname": f"range{len(ranges) + 1}", "fieldtype": "Currency", "width": 110})
	columns += [
		{"label": _("Collector"), "fieldname": "collector", "fieldtype": "Link", "options": "User", "width": 150},
		{"label": _("Last Contact"), "fieldname": "last_contact_on", "fieldtype": "Datetime", "width": 150},
		{"label": _("Next Promise"), "fieldname": "next_promise_date", "fieldtype": "Date", "width": 120},
	]
	if not by_customer:
		columns += [
			{"label": _("Promised Amount"), "fieldname": "next_promise_amount", "fieldtype": "Currency", "width": 120},
			{"label": _("Follow-up"), "fieldname": "follow_up", "fieldtype": "Link", "options": RECEIVABLE_FOLLOW_UP, "width": 140},
		]
	return columns


def get_chart(totals: dict, ranges: list[int]) -> dict:
	labels, lower = [], 0
	for upper in ranges:
		labels.append(f"{lower}-{upper}")
		lower = upper + 1
	labels.append(_("{0}-Above").format(lower))
	values = [totals[f"range{i}"] for i in range(1, len(ranges) + 2)]
	return {"data": {"labels": labels, "datasets": [{"name": _("Overdue"), "values": values}]}, "type": "bar"}


def get_summary(totals: dict, vouchers: list[list], follow_ups: dict, filters) -> list[dict]:
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	missed = sum(1 for v in vouchers if (follow_up_of(v, follow_ups) or {}).get("status") == "Promise Missed")
	return [
		{"label": _("Outstanding Amount"), "value": totals["outstanding"], "datatype": "Currency", "currency": currency},
		{"label": _("Overdue"), "value": totals["overdue"], "datatype": "Currency", "currency": currency, "indicator": "Red"},
		{"label": _("Promises Missed"), "value": missed, "datatype": "Int"},
	]
