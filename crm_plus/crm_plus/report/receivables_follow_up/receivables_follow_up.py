# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt
"""Receivables Follow-up: what each customer and invoice still owes, aged, with the
collector's last contact and next promise.

Outstanding is computed exactly as ERPNext v15's Accounts Receivable does (the Payment
Ledger Entry, grouped by the voucher it settles; credit notes count against the invoice
they return), but summed in SQL: three queries whatever the data size.
"""

import frappe
from frappe import _
from frappe.utils import cint, getdate, nowdate

from crm_plus.utils.permissions import check_company, user_permission_values

RECEIVABLE_FOLLOW_UP = "Receivable Follow Up"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	filters.company = filters.company or frappe.defaults.get_user_default("Company")
	filters.report_date = getdate(filters.report_date or nowdate())
	check_company(filters.company, "Sales Invoice")
	ranges = parse_ranges(filters.get("range"))
	rows = get_invoice_rows(filters, ranges)
	by_customer = filters.get("group_by") == "Customer"
	data = group_by_customer(rows, ranges) if by_customer else rows
	columns = get_columns(ranges, by_customer)
	return columns, data, None, get_chart(rows, ranges), get_summary(rows, filters)


def parse_ranges(text: str | None) -> list[int]:
	text = text or frappe.db.get_single_value("CRM Plus Settings", "receivable_ageing_ranges") or "30, 60, 90, 120"
	return [cint(n.strip()) for n in text.split(",") if n.strip().isdigit()]


def get_invoice_rows(filters, ranges: list[int]) -> list[dict]:
	# Ageing as of the report date or today, with ERPNext's rule when the filter is absent.
	age_as_on = filters.report_date if filters.get("calculate_ageing_with") == "Report Date" else getdate(nowdate())
	values = {"company": filters.company, "report_date": filters.report_date, "age_as_on": age_as_on}
	conditions = ""
	if filters.get("customer"):
		conditions += " and ple.party = %(customer)s"
		values["customer"] = filters.customer
	# the customers the user's permissions allow for Sales Invoice (as the invoices' own rows)
	customers = user_permission_values("Customer", "Sales Invoice")
	if customers is not None:
		conditions += " and ple.party in %(perm_customers)s"
		values["perm_customers"] = tuple(customers)
	# age in days and ageing bucket columns, as Accounts Receivable: bucket i holds rows
	# aged up to ranges[i]; rows not yet due (negative age) sit in no bucket.
	age_from = "coalesce(si.due_date, v.posting_date)" if filters.get("ageing_based_on", "Due Date") == "Due Date" else "v.posting_date"
	buckets, lower = [], None
	for i, upper in enumerate(ranges + [None], start=1):
		cond = [f"datediff(%(age_as_on)s, {age_from}) >= 0"]
		if lower is not None:
			cond.append(f"datediff(%(age_as_on)s, {age_from}) > {cint(lower)}")
		if upper is not None:
			cond.append(f"datediff(%(age_as_on)s, {age_from}) <= {cint(upper)}")
		buckets.append(f"case when {' and '.join(cond)} then v.outstanding else 0 end as range{i}")
		lower = upper
	rows = frappe.db.sql(
		f"""
		select v.voucher_type, v.voucher_no, v.party as customer, v.posting_date, v.account_currency,
			coalesce(si.due_date, v.posting_date) as due_date, si.currency,
			v.outstanding, v.outstanding_in_account_currency,
			datediff(%(age_as_on)s, {age_from}) as age,
			case when coalesce(si.due_date, v.posting_date) < %(report_date)s then v.outstanding else 0 end as overdue,
			{", ".join(buckets)}
		from (
			select b.account, b.voucher_type, b.voucher_no, b.party,
				round(sum(b.amount), 2) as outstanding,
				round(sum(b.amount_in_account_currency), 2) as outstanding_in_account_currency,
				max(b.own_posting_date) as posting_date, max(b.account_currency) as account_currency,
				max(b.has_own_row) as has_own_row
			from (
				select ple.account, ple.party, ple.amount, ple.amount_in_account_currency, ple.account_currency,
					ple.against_voucher_type as voucher_type,
					coalesce(nullif(ret.return_against, ''), ple.against_voucher_no) as voucher_no,
					case when ple.voucher_no = ple.against_voucher_no then ple.posting_date end as own_posting_date,
					ple.voucher_no = ple.against_voucher_no as has_own_row
				from `tabPayment Ledger Entry` ple
				left join `tabSales Invoice` ret
					on ple.against_voucher_type = 'Sales Invoice' and ret.name = ple.against_voucher_no
					and ret.is_return = 1 and ret.docstatus = 1 and ret.update_outstanding_for_self = 0
					and ret.company = %(company)s and ret.posting_date <= %(report_date)s
				where ple.delinked = 0 and ple.company = %(company)s and ple.party_type = 'Customer'
					and ple.posting_date <= %(report_date)s and ple.account_type = 'Receivable' {conditions}
			) b
			group by b.account, b.voucher_type, b.voucher_no, b.party
			having abs(outstanding) >= 0.01 and abs(outstanding_in_account_currency) >= 0.01
		) v
		left join `tabSales Invoice` si
			on v.voucher_type = 'Sales Invoice' and si.name = v.voucher_no and si.posting_date <= %(report_date)s
		order by v.posting_date, v.party, v.voucher_no
		""",
		values,
		as_dict=True,
	)
	add_follow_ups(rows, filters)
	if filters.get("collector"):
		rows = [r for r in rows if r.collector == filters.collector]
	return rows


def add_follow_ups(rows: list[dict], filters) -> None:
	"""Collector, last contact and next promise of each invoice's latest follow-up (one query)."""
	fu = frappe.qb.DocType(RECEIVABLE_FOLLOW_UP)
	follow_ups = (
		frappe.qb.from_(fu)
		.select(fu.sales_invoice, fu.collector, fu.last_contact_on, fu.promise_date, fu.promise_amount, fu.status, fu.name)
		.where((fu.company == filters.company) & (fu.status != "Closed"))
		.orderby(fu.creation)
	).run(as_dict=True)
	latest = {f.sales_invoice: f for f in follow_ups}
	for row in rows:
		f = latest.get(row.voucher_no) if row.voucher_type == "Sales Invoice" else None
		row.follow_up = f.name if f else None
		row.collector = f.collector if f else None
		row.last_contact_on = f.last_contact_on if f else None
		row.follow_up_status = f.status if f else None
		promised = f and f.status in ("Promised", "Promise Missed")
		row.next_promise_date = f.promise_date if promised else None
		row.next_promise_amount = f.promise_amount if promised else None


def group_by_customer(rows: list[dict], ranges: list[int]) -> list[dict]:
	amount_fields = ["outstanding", "overdue"] + [f"range{i}" for i in range(1, len(ranges) + 2)]
	out: dict[str, dict] = {}
	for row in rows:
		c = out.setdefault(
			row.customer,
			frappe._dict(customer=row.customer, invoices=0, last_contact_on=None, next_promise_date=None, collector=None, **{f: 0.0 for f in amount_fields}),
		)
		c.invoices += 1
		for f in amount_fields:
			c[f] += row[f] or 0
		if row.last_contact_on and (not c.last_contact_on or row.last_contact_on > c.last_contact_on):
			c.last_contact_on = row.last_contact_on
		if row.next_promise_date and (not c.next_promise_date or row.next_promise_date < c.next_promise_date):
			c.next_promise_date = row.next_promise_date
		c.collector = c.collector or row.collector
	return list(out.values())


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


def get_chart(rows: list[dict], ranges: list[int]) -> dict:
	labels, lower = [], 0
	for upper in ranges:
		labels.append(f"{lower}-{upper}")
		lower = upper + 1
	labels.append(_("{0}-Above").format(lower))
	values = [sum(r[f"range{i}"] or 0 for r in rows) for i in range(1, len(ranges) + 2)]
	return {"data": {"labels": labels, "datasets": [{"name": _("Overdue"), "values": values}]}, "type": "bar"}


def get_summary(rows: list[dict], filters) -> list[dict]:
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	return [
		{"label": _("Outstanding Amount"), "value": sum(r.outstanding for r in rows), "datatype": "Currency", "currency": currency},
		{"label": _("Overdue"), "value": sum(r.overdue for r in rows), "datatype": "Currency", "currency": currency, "indicator": "Red"},
		{"label": _("Promises Missed"), "value": sum(1 for r in rows if r.follow_up_status == "Promise Missed"), "datatype": "Int"},
	]
