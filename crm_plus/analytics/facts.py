"""One definition of what a sale earned (销售事实): revenue, cost of goods sold and gross
profit of every submitted Sales Invoice line, in the company's currency, kept in the
table `CRM Plus Sales Fact` (one row per invoice line). Every crm_plus screen that shows
revenue, cost of goods or gross profit reads that table: Customer 360, Profit
Contribution, Product Sales Analysis, Salesperson Performance, Campaign ROI, Customer
Analysis and the workspace cards.

Revenue is the line's base_net_amount (after any discount on the invoice, in company
currency); returns count negative on their own posting date. Cost of goods is taken the
way ERPNext's Gross Profit report takes it (erpnext/accounts/report/gross_profit), so the
two agree for every invoice, customer and item:

- a stock-updating invoice, or a line delivered by a Delivery Note: what left stock for
  that line, from its Stock Ledger Entry (|stock value difference| x billed qty / moved
  qty), after every repost;
- a Delivery Note made *after* the invoice (against_sales_invoice): that note's entry;
- a product bundle: the sum of its packed items' entries;
- a line billed from a Sales Order whose deliveries are not linked to the invoice: the
  average incoming rate of that order line's deliveries;
- a non-stock item (services, drop-ship): the last purchase rate for its cost center on
  or before the invoice date;
- a credit note against an invoice: the original line's cost per unit (ERPNext's
  buying rate, rounded as it rounds it) times the returned quantity;
- otherwise (stock item, neither stock update nor delivery): ERPNext's own estimate,
  erpnext.stock.utils.get_incoming_rate, as its report does.

Where ERPNext decides at report time (its estimate and the last purchase rate look at
the report's dates), the fact is computed when the invoice is submitted. One deliberate
difference: a bundle delivered by one Delivery Note and billed in parts counts its cost in
proportion to the billed quantity on each invoice; ERPNext's report counts the whole
delivered bundle's cost on every invoice that bills part of it.

The table is kept current on submit and cancel of Sales Invoices and Delivery Notes and
when a Repost Item Valuation completes; `rebuild()` recomputes it from scratch
(`bench --site <site> execute crm_plus.analytics.facts.rebuild`). Reports call
`ensure_current()`, which rebuilds (or says a rebuild is under way) when the table was
never built for this version, so a figure is never read from a missing table.
"""

from collections import defaultdict
from collections.abc import Iterable

import frappe
from frappe import _
from frappe.utils import cint, flt, now

FACT = "CRM Plus Sales Fact"
# bump when the way a fact is computed changes: reports rebuild before reading
VERSION = 1
VERSION_KEY = "crm_plus_sales_facts_version"
VERSION_CACHE_KEY = "crm_plus:sales_facts_version"
BATCH = 500
# above this many invoice lines a missing table is rebuilt in the background
REBUILD_INLINE_LIMIT = 20000

FACT_FIELDS = (
	"sales_invoice", "company", "posting_date", "customer", "customer_group", "territory", "campaign",
	"item_code", "item_group", "is_return", "return_against", "qty", "revenue", "cost", "cost_basis",
)
FACT_INDEXES = {
	# Each report groups by one of these columns: an index that starts (company, <group>) and
	# holds every column the report reads lets MariaDB add up the rows in index order,
	# without a temporary table (which, past MariaDB's default 16 MiB, goes to disk).
	"crm_plus_fact_customer": ["company", "customer", "posting_date", "revenue", "cost"],
	"crm_plus_fact_item": ["company", "item_code", "posting_date", "customer", "qty", "revenue", "cost"],
	"crm_plus_fact_item_group": ["company", "item_group", "posting_date", "customer", "qty", "revenue", "cost"],
	"crm_plus_fact_territory": ["company", "territory", "posting_date", "revenue", "cost"],
	"crm_plus_fact_customer_group": ["company", "customer_group", "posting_date", "revenue", "cost"],
	"crm_plus_fact_invoice": ["company", "sales_invoice", "posting_date", "revenue", "cost"],
	# one customer's figures (Customer 360) and one campaign's (Campaign ROI)
	"crm_plus_fact_customer_date": ["customer", "company", "posting_date", "revenue", "cost"],
	"crm_plus_fact_campaign": ["campaign", "company", "sales_invoice", "revenue", "cost"],
}


# An invoice's revenue, for queries that count invoices rather than lines: its net total in
# company currency, which is the sum of its facts' revenue (an invoice's lines add up to it).
INVOICE_REVENUE_SQL = "si.base_net_total"


class SalesFactsNotReady(frappe.ValidationError):
	pass


# --- keeping the table current ------------------------------------------------------------

def on_sales_invoice_submit(doc, method=None) -> None:
	refresh([doc.name])


def on_sales_invoice_cancel(doc, method=None) -> None:
	frappe.db.delete(FACT, {"sales_invoice": doc.name})


def on_delivery_note_change(doc, method=None) -> None:
	"""A delivery changes the cost ERPNext gives invoices billed before it: those it was made
	against, and those billed from the same Sales Order lines without a delivery."""
	refresh(invoices_costed_by_deliveries([doc.name]))


def on_repost_change(doc, method=None) -> None:
	"""When a Repost Item Valuation completes, the stock ledger of every later transaction of
	its items may have changed: recompute the invoices it touched."""
	if doc.status != "Completed":
		return
	done = frappe.local.flags.setdefault("crm_plus_facts_reposted", set())
	if doc.name in done:  # ERPNext db_sets the finished repost more than once
		return
	done.add(doc.name)
	from erpnext.stock.doctype.repost_item_valuation.repost_item_valuation import (
		_get_directly_dependent_vouchers,
	)
	from erpnext.stock.stock_ledger import get_affected_transactions

	vouchers = set(map(tuple, _get_directly_dependent_vouchers(doc))) | get_affected_transactions(doc)
	invoices = {no for vtype, no in vouchers if vtype == "Sales Invoice"}
	notes = [no for vtype, no in vouchers if vtype == "Delivery Note"]
	refresh(invoices | invoices_costed_by_deliveries(notes) | estimated_invoices_after(doc))


def estimated_invoices_after(repost) -> set[str]:
	"""Invoices whose cost is ERPNext's valuation estimate (they moved no stock, so the
	repost does not list them) for the reposted items, on or after the repost's date."""
	if repost.based_on == "Transaction":
		items = frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_type": repost.voucher_type, "voucher_no": repost.voucher_no},
			pluck="item_code",
			distinct=True,
		)
	else:
		items = [repost.item_code]
	if not items:
		return set()
	return set(
		frappe.get_all(
			FACT,
			filters={
				"company": repost.company,
				"item_code": ("in", items),
				"posting_date": (">=", repost.posting_date),
				"cost_basis": "Valuation Estimate",
			},
			pluck="sales_invoice",
			distinct=True,
		)
	)


def invoices_costed_by_deliveries(delivery_notes: list[str]) -> set[str]:
	if not delivery_notes:
		return set()
	return set(
		frappe.db.sql_list(
			"""select distinct sii.parent from `tabSales Invoice Item` sii
			where sii.docstatus = 1 and sii.delivery_note in %(dns)s
			union
			select distinct dni.against_sales_invoice from `tabDelivery Note Item` dni
			where dni.parent in %(dns)s and ifnull(dni.against_sales_invoice, '') != ''
			union
			select distinct sii.parent from `tabSales Invoice Item` sii
			join `tabDelivery Note Item` dni on dni.so_detail = sii.so_detail
			where dni.parent in %(dns)s and sii.docstatus = 1 and ifnull(sii.dn_detail, '') = ''
				and ifnull(sii.so_detail, '') != ''""",
			{"dns": tuple(delivery_notes)},
		)
	)


def refresh(invoices: Iterable[str]) -> None:
	"""Recompute the facts of these invoices and of the credit notes against them."""
	names = {n for n in invoices if n}
	if not names:
		return
	returns = set(
		frappe.db.sql_list(
			"select name from `tabSales Invoice` where docstatus = 1 and is_return = 1 and return_against in %s",
			(tuple(names),),
		)
	)
	# originals first: a credit note's cost is read from its original's facts
	for group in (sorted(names - returns), sorted(returns)):
		for start in range(0, len(group), BATCH):
			write(group[start : start + BATCH])


def write(invoices: list[str]) -> None:
	facts = compute(invoices)
	frappe.db.delete(FACT, {"sales_invoice": ("in", invoices)})
	if not facts:
		return
	stamp, user = now(), frappe.session.user
	frappe.db.bulk_insert(
		FACT,
		["name", "creation", "modified", "owner", "modified_by", *FACT_FIELDS],
		[[f["name"], stamp, stamp, user, user, *(f[k] for k in FACT_FIELDS)] for f in facts],
	)


def rebuild(company: str | None = None) -> int:
	"""Recompute every fact (of one company, or all). Returns how many invoice lines."""
	scope = {"company": company} if company else {}
	frappe.db.delete(FACT, scope)
	for is_return in (0, 1):  # originals first
		names = frappe.get_all(
			"Sales Invoice",
			filters={**scope, "docstatus": 1, "is_opening": ("!=", "Yes"), "is_return": is_return},
			pluck="name",
			order_by="name",
		)
		for start in range(0, len(names), BATCH):
			write(names[start : start + BATCH])
	if not company:
		frappe.db.set_default(VERSION_KEY, str(VERSION))
		forget_version()
	return frappe.db.count(FACT, scope)


def current_version() -> int:
	"""The facts' definition this site's facts were built with. Not Frappe's cache of defaults:
	with a read replica, a request may fill that cache from the replica before the primary's
	rebuild reaches it, and the old version would stay cached. Our own cache is filled only
	from the primary, and emptied when a rebuild commits."""
	from crm_plus.utils.replica import on_replica

	cached = frappe.cache.get_value(VERSION_CACHE_KEY)
	if cached is not None:
		return cint(cached)
	version = cint(frappe.db.get_value("DefaultValue", {"parent": "__default", "defkey": VERSION_KEY}, "defvalue"))
	if not on_replica():
		frappe.cache.set_value(VERSION_CACHE_KEY, version)
	return version


def forget_version() -> None:
	frappe.cache.delete_value(VERSION_CACHE_KEY)
	frappe.db.after_commit.add(lambda: frappe.cache.delete_value(VERSION_CACHE_KEY))


def ensure_current() -> bool:
	"""Before a report reads the facts: build them if this site never had them (or had an
	older definition). Small sites rebuild at once; large ones in the background, and the
	report says so instead of showing partial figures. True when it rebuilt them now."""
	if current_version() == VERSION:
		return False
	from crm_plus.utils.replica import on_replica

	lines = frappe.db.sql(
		"select count(*) from `tabSales Invoice Item` where docstatus = 1"
	)[0][0]
	if lines <= REBUILD_INLINE_LIMIT and not on_replica():  # a replica is read-only: the primary's workers rebuild
		rebuild()
		return True
	frappe.enqueue(
		"crm_plus.analytics.facts.rebuild", queue="long", timeout=7200,
		job_id="crm_plus_sales_facts_rebuild", deduplicate=True,
	)
	frappe.throw(
		_("Sales figures are being rebuilt after an update ({0} invoice lines). Open this report again in a few minutes.").format(lines),
		SalesFactsNotReady,
		title=_("Please Wait"),
	)


def add_fact_indexes() -> None:
	"""FACT_INDEXES, and no other crm_plus_fact_ index (an older definition is dropped)."""
	existing = set(
		frappe.db.sql_list(
			"""select distinct index_name from information_schema.statistics
			where table_schema = database() and table_name = %s and index_name like 'crm_plus_fact_%%'""",
			f"tab{FACT}",
		)
	)
	from crm_plus.analytics.common import ensure_index

	for name in set(existing) - set(FACT_INDEXES):
		frappe.db.sql_ddl(f"alter table `tab{FACT}` drop index `{name}`")  # a name crm_plus gave
	for name, columns in FACT_INDEXES.items():
		ensure_index(FACT, columns, name)


# --- the cost of goods of invoice lines ------------------------------------------------------

def compute(invoices: list[str]) -> list[dict]:
	"""The facts of these submitted invoices, one per line, as ERPNext's Gross Profit report
	costs them. A fixed number of queries per batch, plus one per line that needs ERPNext's
	estimate (once per invoice, item and warehouse) or a last purchase rate."""
	if not invoices:
		return []
	lines = frappe.db.sql(
		"""select sii.name, sii.parent, si.company, si.posting_date, si.posting_time, si.customer,
			si.customer_group, si.territory, si.campaign, si.is_return, si.return_against,
			si.update_stock, sii.item_code, sii.item_group, sii.warehouse, sii.stock_qty as qty,
			sii.base_net_amount as revenue, sii.dn_detail, sii.delivery_note, sii.so_detail,
			sii.sales_order, sii.sales_invoice_item, sii.cost_center, sii.project,
			sii.serial_and_batch_bundle, item.is_stock_item
		from `tabSales Invoice` si
		join `tabSales Invoice Item` sii on sii.parent = si.name
		join `tabItem` item on item.name = sii.item_code
		where si.name in %(invoices)s and si.docstatus = 1 and si.is_opening != 'Yes'
		order by si.name, sii.idx""",
		{"invoices": tuple(invoices)},
		as_dict=True,
	)
	if not lines:
		return []
	ctx = _Context(lines)
	precision = cint(frappe.db.get_default("currency_precision")) or 3
	facts = []
	for line in lines:
		cost, basis = ctx.cost(line)
		facts.append(
			{
				"name": line.name,
				"sales_invoice": line.parent,
				"company": line.company,
				"posting_date": line.posting_date,
				"customer": line.customer,
				"customer_group": line.customer_group,
				"territory": line.territory,
				"campaign": line.campaign,
				"item_code": line.item_code,
				"item_group": line.item_group,
				"is_return": line.is_return,
				"return_against": line.return_against,
				"qty": flt(line.qty),
				"revenue": flt(line.revenue),
				"cost": flt(cost, precision),
				"cost_basis": basis,
			}
		)
	return facts


class _Context:
	"""What the lines of one batch need, read in a few queries."""

	def __init__(self, lines):
		invoices = tuple({l.parent for l in lines})
		self.float_precision = cint(frappe.db.get_default("float_precision")) or 2
		# deliveries made after the invoice, against it: ERPNext takes the latest per item
		self.after_invoice = {}
		for d in frappe.db.sql(
			"""select dni.against_sales_invoice as invoice, dni.item_code, dni.parent, dni.name
			from `tabDelivery Note Item` dni
			where dni.docstatus = 1 and dni.against_sales_invoice in %s order by dni.creation""",
			(invoices,),
			as_dict=True,
		):
			self.after_invoice[(d.invoice, d.item_code)] = d
		notes = {l.delivery_note for l in lines if l.dn_detail} | {d.parent for d in self.after_invoice.values()}
		self.sle = self._stock_ledger(invoices, tuple(notes))
		self.packed = defaultdict(list)
		for p in frappe.db.sql(
			"""select parenttype, parent, parent_detail_docname, item_code, warehouse, qty
			from `tabPacked Item` where docstatus = 1
				and ((parenttype = 'Sales Invoice' and parent in %(invoices)s)
				or (parenttype = 'Delivery Note' and parent in %(notes)s))""",
			{"invoices": invoices, "notes": tuple(notes) or ("",)},
			as_dict=True,
		):
			self.packed[(p.parenttype, p.parent, p.parent_detail_docname)].append(p)
		self.dn_qty = dict(
			frappe.db.sql(
				"select name, stock_qty from `tabDelivery Note Item` where name in %s",
				(tuple({l.dn_detail for l in lines if l.dn_detail}) or ("",),),
			)
		)
		self.originals = self._originals(lines)
		# lines billed from an order, no delivery linked: the average incoming rate of the
		# order line's deliveries (ERPNext's get_buying_amount_from_so_dn), for the whole batch
		self.so_delivery_rate = dict(
			frappe.db.sql(
				"""select so_detail, avg(incoming_rate) from `tabDelivery Note Item`
				where docstatus = 1 and so_detail in %s group by so_detail""",
				(tuple({l.so_detail for l in lines if l.so_detail and not l.dn_detail}) or ("",),),
			)
		)
		self.estimates = {}

	@staticmethod
	def _stock_ledger(invoices, notes):
		entries = {}
		for sle in frappe.db.sql(
			"""select voucher_type, voucher_no, voucher_detail_no, item_code, warehouse, actual_qty,
				stock_value, stock_value_difference
			from `tabStock Ledger Entry`
			where is_cancelled = 0 and ((voucher_type = 'Sales Invoice' and voucher_no in %(invoices)s)
				or (voucher_type = 'Delivery Note' and voucher_no in %(notes)s))""",
			{"invoices": invoices, "notes": notes or ("",)},
			as_dict=True,
		):
			entries.setdefault((sle.voucher_type, sle.voucher_no, sle.voucher_detail_no, sle.item_code), sle)
			entries.setdefault(
				(sle.voucher_type, sle.voucher_no, sle.voucher_detail_no, sle.item_code, sle.warehouse), sle
			)
		return entries

	@staticmethod
	def _originals(lines):
		against = tuple({l.return_against for l in lines if l.is_return and l.return_against})
		if not against:
			return {}
		rows = frappe.get_all(
			FACT, filters={"sales_invoice": ("in", against)}, fields=["name", "sales_invoice", "item_code", "qty", "cost"]
		)
		return {"by_name": {r.name: r for r in rows}, "by_item": {(r.sales_invoice, r.item_code): r for r in rows}}

	def cost(self, line) -> tuple[float, str]:
		if line.is_return and line.return_against and self.originals:
			original = self.originals["by_name"].get(line.sales_invoice_item) or self.originals["by_item"].get(
				(line.return_against, line.item_code)
			)
			if original:
				rate = flt(flt(original.cost) / flt(original.qty), self.float_precision) if flt(original.qty) else 0.0
				return flt(line.qty) * rate, "Return"
		# a product bundle: its packed items, from the document that moved the stock
		if line.update_stock:
			packed = self.packed.get(("Sales Invoice", line.parent, line.name))
			voucher = ("Sales Invoice", line.parent, line.name)
		elif line.dn_detail:
			packed = self.packed.get(("Delivery Note", line.delivery_note, line.dn_detail))
			voucher = ("Delivery Note", line.delivery_note, line.dn_detail)
		else:
			packed = None
		if packed:
			total = 0.0
			for p in packed:
				sle = self.sle.get((*voucher, p.item_code, p.warehouse))
				total += self._from_sle(line, sle, flt(p.qty), p.item_code, p.warehouse) if sle else 0.0
			if line.dn_detail and not line.update_stock and flt(self.dn_qty.get(line.dn_detail)):
				total *= flt(line.qty) / flt(self.dn_qty[line.dn_detail])
			return total, "Product Bundle"
		return self._item_cost(line)

	def _item_cost(self, line) -> tuple[float, str]:
		qty = flt(line.qty)
		if not line.is_stock_item and (line.project or line.cost_center):
			return qty * self._last_purchase_rate(line), "Last Purchase Rate"
		if line.update_stock or line.dn_detail:
			if line.update_stock:
				key, basis = ("Sales Invoice", line.parent, line.name, line.item_code), "Stock Ledger"
			else:
				key, basis = ("Delivery Note", line.delivery_note, line.dn_detail, line.item_code), "Delivery Note"
			sle = self.sle.get(key)
			return (self._from_sle(line, sle, qty, line.item_code, line.warehouse) if sle else 0.0), basis
		after = self.after_invoice.get((line.parent, line.item_code))
		if after:
			sle = self.sle.get(("Delivery Note", after.parent, after.name, line.item_code))
			return (self._from_sle(line, sle, qty, line.item_code, line.warehouse) if sle else 0.0), "Delivery After Invoice"
		if line.sales_order and line.so_detail:
			rate = flt(self.so_delivery_rate.get(line.so_detail))
			if rate:
				return qty * rate, "Sales Order Deliveries"
		return qty * self._estimate(line, line.item_code, line.warehouse), "Valuation Estimate"

	def _from_sle(self, line, sle, qty, item_code, warehouse) -> float:
		"""ERPNext: |previous stock value - stock value| x qty / |moved qty|; with no stock
		value before the entry, its estimate."""
		previous = flt(sle.stock_value) - flt(sle.stock_value_difference)
		if previous and flt(sle.actual_qty):
			return abs(flt(sle.stock_value_difference)) * qty / abs(flt(sle.actual_qty))
		return qty * self._estimate(line, item_code, warehouse)

	def _estimate(self, line, item_code, warehouse) -> float:
		from erpnext.stock.utils import get_incoming_rate

		key = (line.parent, item_code, warehouse)
		if key not in self.estimates:
			args = frappe._dict(line)
			args.update(
				{
					"item_code": item_code,
					"warehouse": warehouse,
					"voucher_type": "Sales Invoice",
					"voucher_no": line.parent,
					"allow_zero_valuation": True,
					"company": line.company,
				}
			)
			try:
				self.estimates[key] = flt(get_incoming_rate(args, raise_error_if_no_rate=False))
			except Exception:
				# no valuation anywhere (a brand-new item): ERPNext's report shows 0 too
				self.estimates[key] = 0.0
		return self.estimates[key]

	@staticmethod
	def _last_purchase_rate(line) -> float:
		conditions, values = "", {"item_code": line.item_code, "date": line.posting_date}
		if line.project:
			conditions += " and pii.project = %(project)s"
			values["project"] = line.project
		if line.cost_center:
			conditions += " and pii.cost_center = %(cost_center)s"
			values["cost_center"] = line.cost_center
		rate = frappe.db.sql(
			f"""select pii.base_rate / pii.conversion_factor from `tabPurchase Invoice Item` pii
			join `tabPurchase Invoice` pi on pi.name = pii.parent
			where pi.docstatus = 1 and pi.is_return = 0 and pi.posting_date <= %(date)s
				and pii.item_code = %(item_code)s {conditions}
			order by pi.posting_date desc limit 1""",
			values,
		)
		return flt(rate[0][0]) if rate else 0.0
