"""What the CRM Plus analytics reports share: filter checks, periods, the user's
permissions as SQL conditions, and the FROM of the sales facts they add up.

Every SQL fragment here is a constant of this module; values from the user only ever
travel as `%(name)s` parameters."""

from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate

from crm_plus.marketing.costs import DIMENSION_FIELD
from crm_plus.utils.permissions import check_company, user_permission_sql, user_permission_values

PERIODS = ("Monthly", "Quarterly", "Yearly")

# SQL for the index of the period a date column falls in: consecutive periods have
# consecutive indexes, so "the previous period" is index - 1.
_PERIOD_INDEX_SQL = {
	"Monthly": "(year({col}) * 12 + month({col}) - 1)",
	"Quarterly": "(year({col}) * 4 + quarter({col}) - 1)",
	"Yearly": "year({col})",
}

# Indexes on ERPNext tables for what the reports filter, join and add up: the invoices of a
# company in a date range, read from the index alone (InnoDB stores the name with it), and
# their lines by invoice. Sales Order and Quotation: company and date.
INDEXES = {
	"Sales Invoice": [
		"company", "posting_date", "docstatus", "is_opening", "is_return", "update_stock",
		"customer", "territory", "customer_group", "base_net_total",
		# what Salesperson Performance's "collected" reads
		"base_grand_total", "base_rounded_total", "outstanding_amount", "conversion_rate",
	],
	"Sales Invoice Item": ["parent", "stock_qty", "base_net_amount", "incoming_rate", "dn_detail", "item_code"],
	"Sales Order": ["company", "transaction_date"],
	"Quotation": ["company", "transaction_date"],
	# a document's team, read from the index alone when joined to tens of thousands of invoices
	"Sales Team": ["parent", "parenttype", "sales_person", "allocated_percentage", "allocated_amount"],
}
INDEX_NAME = "crm_plus_analytics"
# a customer's last order (crm_plus.relationship.churn.LAST_ORDER_OF_SQL) from the index alone;
# on Sales Invoice also every customer's invoices of a company added up in customer order
# (Customer Analysis, lost customers), without a temporary table
LAST_ORDER_INDEXES = {
	"Sales Invoice": ["customer", "docstatus", "is_return", "posting_date", "company", "is_opening", "base_net_total"],
	"Sales Order": ["customer", "docstatus", "transaction_date"],
}
LAST_ORDER_INDEX_NAME = "crm_plus_last_order"
# Receivables Follow-up: a company's customer ledger rows, in the order it adds them up per
# voucher (account, voucher, party), with the amounts; five text columns fit MariaDB's
# 3,072-byte index limit, so party type, account type and voucher number are read by key
RECEIVABLE_INDEXES = {
	"Payment Ledger Entry": [
		"company", "against_voucher_type", "against_voucher_no", "account", "party",
		"delinked", "posting_date", "amount", "amount_in_account_currency",
	],
}
RECEIVABLE_INDEX_NAME = "crm_plus_receivable"
# Campaign ROI: what the books spent on each campaign (its accounting dimension), by campaign
CAMPAIGN_COST_INDEXES = {"GL Entry": [DIMENSION_FIELD, "company", "is_cancelled", "account", "debit", "credit"]}
CAMPAIGN_COST_INDEX_NAME = "crm_plus_campaign_cost"
# every index crm_plus adds to other apps' tables: (doctype -> columns, index name)
INDEX_SETS = (
	(INDEXES, INDEX_NAME),
	(LAST_ORDER_INDEXES, LAST_ORDER_INDEX_NAME),
	(RECEIVABLE_INDEXES, RECEIVABLE_INDEX_NAME),
	(CAMPAIGN_COST_INDEXES, CAMPAIGN_COST_INDEX_NAME),
)


class AnalyticsFilterError(frappe.ValidationError):
	pass


def check_filters(
	filters: dict,
	groupings: tuple[str, ...] | None = None,
	default_group: str | None = None,
	for_doctype: str = "Sales Invoice",
) -> frappe._dict:
	"""The report's filters, checked: company and dates given, dates in order, a known
	period and grouping. Raises AnalyticsFilterError with a message saying what to fix."""
	filters = frappe._dict(filters or {})
	if not filters.get("company"):
		raise_filter_error(_("Choose a Company."))
	if not filters.get("from_date") or not filters.get("to_date"):
		raise_filter_error(_("Choose a From Date and a To Date."))
	check_company(filters.company, for_doctype)
	filters.from_date, filters.to_date = getdate(filters.from_date), getdate(filters.to_date)
	if filters.from_date > filters.to_date:
		raise_filter_error(
			_("From Date {0} is after To Date {1}.").format(
				frappe.format(filters.from_date, "Date"), frappe.format(filters.to_date, "Date")
			)
		)
	filters.period = filters.get("period") or "Monthly"
	if filters.period not in PERIODS:
		raise_filter_error(
			_("Unknown period {0}. Choose one of: {1}.").format(
				frappe.bold(filters.period), ", ".join(_(p) for p in PERIODS)
			)
		)
	if groupings:
		filters.group_by = filters.get("group_by") or default_group or groupings[0]
		if filters.group_by not in groupings:
			raise_filter_error(
				_("Unknown grouping {0}. Choose one of: {1}.").format(
					frappe.bold(filters.group_by), ", ".join(_(g) for g in groupings)
				)
			)
	return filters


def raise_filter_error(message: str) -> None:
	frappe.throw(message, AnalyticsFilterError, title=_("Invalid Filters"))


def period_sql(period: str, column: str) -> str:
	"""SQL for the period index of `column` (a constant of the calling report)."""
	return _PERIOD_INDEX_SQL[period].format(col=column)


def period_index(period: str, day: date) -> int:
	day = getdate(day)
	if period == "Monthly":
		return day.year * 12 + day.month - 1
	if period == "Quarterly":
		return day.year * 4 + (day.month - 1) // 3
	return day.year


def period_start(period: str, index: int) -> date:
	if period == "Monthly":
		return date(index // 12, index % 12 + 1, 1)
	if period == "Quarterly":
		return date(index // 4, (index % 4) * 3 + 1, 1)
	return date(index, 1, 1)


def period_label(period: str, index: int) -> str:
	if period == "Monthly":
		return f"{index // 12}-{index % 12 + 1:02d}"
	if period == "Quarterly":
		return f"{index // 4}-Q{index % 4 + 1}"
	return str(index)


def period_range(filters: frappe._dict) -> tuple[int, int]:
	return period_index(filters.period, filters.from_date), period_index(filters.period, filters.to_date)


# --- permissions -----------------------------------------------------------------------

def permission_conditions(
	doctype: str, alias: str, customer_field: str = "customer", sales_team: bool = True
) -> tuple[str, dict]:
	"""SQL conditions (starting with " and") and their parameters that keep only the
	`doctype` records (table alias `alias`) the user may read: their user permissions on the
	record and its links, as frappe.get_list applies them (Company, Customer, Customer
	Group, Territory, Cost Center, ...), the customer of a Dynamic Link (`customer_field`),
	and their Sales Person permissions through the sales team. Applied inside each report's
	queries, so rows, chart and summary are computed from the same permitted records."""
	field = frappe.get_meta(doctype).get_field(customer_field)
	extra = {f"{alias}.`{customer_field}`": "Customer"} if field and field.fieldtype == "Dynamic Link" else None
	sql, params = user_permission_sql(doctype, alias, extra)
	sales_persons = user_permission_values("Sales Person", doctype)
	if sales_team and sales_persons is not None:
		sql += f""" and exists (select 1 from `tabSales Team` perm_st
			where perm_st.parenttype = '{doctype}' and perm_st.parent = {alias}.name
			and perm_st.sales_person in %(perm_sales_person)s)"""
		params["perm_sales_person"] = tuple(sales_persons)
	return sql, params


def allowed_sales_persons_condition(column: str) -> tuple[str, dict]:
	"""Rows per sales person: only the sales persons the user may see."""
	values = user_permission_values("Sales Person", "Sales Invoice")
	if values is None:
		return "", {}
	return f" and {column} in %(perm_sales_person)s", {"perm_sales_person": tuple(values)}


# --- indexes ---------------------------------------------------------------------------

def add_indexes() -> None:
	"""The indexes of INDEX_SETS; idempotent. One on a column that is not there yet (the
	campaign dimension, before crm_plus made it) waits for the next migrate."""
	for indexes, index_name in INDEX_SETS:
		for doctype, columns in indexes.items():
			if all(frappe.db.has_column(doctype, c) for c in columns):
				ensure_index(doctype, columns, index_name)


def ensure_index(doctype: str, columns: list[str], name: str) -> None:
	"""The index `name` on exactly these columns: added when missing, rebuilt when an older
	version of crm_plus defined it on other columns."""
	existing = frappe.db.sql(
		"""select group_concat(column_name order by seq_in_index) from information_schema.statistics
		where table_schema = database() and table_name = %s and index_name = %s""",
		(f"tab{doctype}", name),
	)[0][0]
	if existing and existing.split(",") != columns:
		frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{name}`")  # names and doctypes are crm_plus's constants
	frappe.db.add_index(doctype, columns, name)


def drop_indexes() -> None:
	for indexes, index_name in INDEX_SETS:
		for doctype in indexes:
			if frappe.db.sql(f"show index from `tab{doctype}` where Key_name = %s", index_name):  # doctype from INDEXES, not input
				frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{index_name}`")


# --- invoice lines -------------------------------------------------------------------------

def profit_columns() -> list[dict]:
	"""Revenue, cost of goods sold, gross profit and margin columns, for rows that have them."""
	return [
		{"fieldname": "revenue", "label": _("Revenue"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "cost", "label": _("Cost of Goods Sold"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "gross_profit", "label": _("Gross Profit"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "margin", "label": _("Gross Margin %"), "fieldtype": "Percent", "precision": 1, "width": 110},
	]


def fact_invoice_join(perm_sql: str) -> str:
	"""The invoice of each sales fact (alias `si`), joined only when the user's permission
	conditions `perm_sql` need it: the facts' indexes hold every figure, and the join would
	read each line's invoice by key (tens of thousands that do not fit the buffer pool)."""
	return "join `tabSales Invoice` si on si.name = f.sales_invoice" if perm_sql.strip() else ""


def facts_sql(perm_sql: str, extra_join: str = "", index: str = "") -> str:
	"""FROM and WHERE for the sales facts (crm_plus.analytics.facts: one row per submitted
	invoice line, revenue and cost of goods as ERPNext's Gross Profit report takes them) of
	%(company)s from %(from_date)s to %(to_date)s, alias `f`, read by `index` when given (one
	of facts.FACT_INDEXES), with `extra_join` (a constant of the calling report) and the Sales
	Invoice permission conditions `perm_sql` (alias `si`; the invoice is joined only when
	there are any). Returns count negative."""
	force_index = f"force index ({index})" if index else ""
	return f"""
	from `tabCRM Plus Sales Fact` f {force_index} {fact_invoice_join(perm_sql)}
	{extra_join}
	where f.company = %(company)s and f.posting_date between %(from_date)s and %(to_date)s {perm_sql}"""


def sales_team_facts_sql(perm_sql: str) -> str:
	"""FROM and WHERE for the sales facts of each invoice's Sales Team: the facts of
	facts_sql added up per invoice (x.revenue, x.cost, in the order of the invoice index),
	then each sales person of the invoice (st.sales_person, st.allocated_percentage). The
	invoices are added up first and joined second (straight_join): joining the team to
	every line instead reads the lines one invoice at a time, several times slower."""
	return f"""
	from (select f.sales_invoice, sum(f.revenue) as revenue, sum(f.cost) as cost
		{facts_sql(perm_sql)}
		group by f.sales_invoice) x
	straight_join `tabSales Team` st on st.parent = x.sales_invoice
	where st.parenttype = 'Sales Invoice'"""
