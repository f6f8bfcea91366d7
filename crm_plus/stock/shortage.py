"""Stock-shortage check for Quotation, Sales Order and Delivery Note (库存不足提醒).

One entry point, `get_shortages(doc)`, used by the document events (warn, block,
notify) and by the form (row marking). It costs two queries whatever the number of
lines: one for item facts (stock item?, default warehouse, bundle components, and for
delivery notes the reservation their sales order lines already hold), one for bins.

Available quantity follows CRM Plus Settings:
- "Actual minus Reserved" (default): in the warehouse now and not promised to other
  sales orders (Bin.actual_qty - Bin.reserved_qty).
- "Projected Quantity": Bin.projected_qty, which also counts what is ordered, requested or planned.
A delivery note line made from a sales order line draws on that order's own
reservation, so that reservation is added back for it.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import escape_html, flt

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings, stock_check_mode

PRECISION = 6
PROJECTED = "Projected Quantity"


class StockShortageError(frappe.ValidationError):
	pass


@dataclass
class Shortage:
	item_code: str
	item_name: str
	warehouse: str
	stock_uom: str
	required: float = 0.0
	available: float = 0.0
	rows: list[int] = field(default_factory=list)
	row_names: list[str] = field(default_factory=list)

	@property
	def shortfall(self) -> float:
		return flt(self.required - self.available, PRECISION)

	def as_dict(self) -> dict:
		return {
			"item_code": self.item_code,
			"item_name": self.item_name,
			"warehouse": self.warehouse,
			"stock_uom": self.stock_uom,
			"required": self.required,
			"available": self.available,
			"shortfall": self.shortfall,
			"rows": self.rows,
			"row_names": self.row_names,
		}


@dataclass
class ShortageResult:
	shortages: list[Shortage] = field(default_factory=list)
	unchecked: list[dict] = field(default_factory=list)

	def __bool__(self) -> bool:
		return bool(self.shortages or self.unchecked)

	def as_dict(self) -> dict:
		return {"shortages": [s.as_dict() for s in self.shortages], "unchecked": self.unchecked}


# --- document events -----------------------------------------------------------


def check_stock_shortage(doc) -> None:
	"""validate: warn about or refuse a document whose lines the warehouses can't supply."""
	mode = stock_check_mode(doc.doctype)
	if mode == "Off":
		return
	result = get_shortages(doc)
	doc.flags.crm_plus_shortages = result
	if not result:
		return
	message = render_message(doc, result)
	if mode == "Block" and result.shortages:
		frappe.throw(message, StockShortageError, title=_("Stock Shortage"))
	frappe.msgprint(message, title=_("Stock Shortage"), indicator="orange")


def notify_stock_managers(doc) -> None:
	"""on_submit of a short Sales Order: tell every Stock Manager, once per order."""
	if stock_check_mode(doc.doctype) == "Off" or not get_settings().notify_stock_managers:
		return
	result = doc.flags.get("crm_plus_shortages")
	if not result or not result.shortages or doc.get("crm_plus_shortage_notified"):
		return
	users = frappe.utils.user.get_users_with_role("Stock Manager")
	if users:
		items = ", ".join(sorted({s.item_code for s in result.shortages}))
		frappe.desk.doctype.notification_log.notification_log.enqueue_create_notification(
			users,
			{
				"type": "Alert",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"from_user": frappe.session.user,
				"subject": escape_html(_("Sales Order {0} was submitted short of stock: {1}").format(doc.name, items)),
				"email_content": render_message(doc, result),
			},
		)
	doc.db_set("crm_plus_shortage_notified", 1, update_modified=False)


# --- the check -------------------------------------------------------------------


@dataclass
class _Demand:
	item_code: str
	warehouse: str | None
	qty: float
	idx: int
	row_name: str
	addback: float = 0.0


def get_shortages(doc, basis: str | None = None) -> ShortageResult:
	"""Every (item, warehouse) whose summed demand on `doc` exceeds what is available."""
	lines = [
		row
		for row in doc.get("items") or []
		if row.get("item_code") and flt(row.get("qty")) > 0 and not row.get("delivered_by_supplier")
	]
	if not lines:
		return ShortageResult()

	basis = basis or get_settings().stock_shortage_basis
	items, so_pending = _get_item_facts(doc, lines)
	demands, result = _expand_lines(doc, lines, items, so_pending)
	if not demands:
		return result

	bins = _get_bins({d.item_code for d in demands}, {d.warehouse for d in demands})
	by_key: dict[tuple[str, str], Shortage] = {}
	addback: dict[tuple[str, str], float] = defaultdict(float)
	for d in demands:
		key = (d.item_code, d.warehouse)
		if key not in by_key:
			facts = items.get(d.item_code) or {}
			by_key[key] = Shortage(
				d.item_code, facts.get("item_name") or d.item_code, d.warehouse, facts.get("stock_uom") or ""
			)
		s = by_key[key]
		s.required = flt(s.required + d.qty, PRECISION)
		addback[key] += d.addback
		if d.idx not in s.rows:
			s.rows.append(d.idx)
			s.row_names.append(d.row_name)

	for key, s in by_key.items():
		s.available = flt(_available(bins.get(key), basis) + addback[key], PRECISION)
		if s.shortfall > 0:
			result.shortages.append(s)
	return result


def _available(bin_row: dict | None, basis: str) -> float:
	if not bin_row:
		return 0.0
	if basis == PROJECTED:
		return flt(bin_row.projected_qty)
	return flt(bin_row.actual_qty) - flt(bin_row.reserved_qty)


def _expand_lines(doc, lines, items: dict, so_pending: dict) -> tuple[list[_Demand], ShortageResult]:
	"""Lines → demands in stock UOM per (item, warehouse); bundles become their components."""
	demands: list[_Demand] = []
	result = ShortageResult()
	for row in lines:
		facts = items.get(row.item_code)
		if not facts:
			continue  # an item that doesn't exist is ERPNext's own validation's business
		stock_qty = flt(row.qty) * (flt(row.get("conversion_factor")) or 1.0)
		pending = min(stock_qty, so_pending.get(row.get("so_detail"), 0.0))
		if facts["components"]:
			targets = [
				(c["item_code"], row.get("warehouse") or c["default_warehouse"], c["qty"])
				for c in facts["components"]
				if c["is_stock_item"]
			]
		elif facts["is_stock_item"]:
			targets = [(row.item_code, row.get("warehouse") or facts["default_warehouse"], 1.0)]
		else:
			continue
		for item_code, warehouse, factor in targets:
			if not warehouse:
				result.unchecked.append({"item_code": item_code, "idx": row.idx, "row_name": row.name})
				continue
			demands.append(
				_Demand(item_code, warehouse, stock_qty * factor, row.idx, row.name, addback=pending * factor)
			)
	return demands, result


def _get_item_facts(doc, lines) -> tuple[dict, dict]:
	"""Query 1: item, default warehouse for the company, bundle components; for delivery
	notes, what their sales order lines still hold reserved (UNION ALL, same query)."""
	item_codes = list({row.item_code for row in lines})
	so_details = [row.so_detail for row in lines if row.get("so_detail")] if doc.doctype == "Delivery Note" else []
	params = {"items": item_codes, "company": doc.get("company") or "", "so_details": so_details or [""]}
	rows = frappe.db.sql(
		"""
		SELECT 'item' AS kind, i.name AS item_code, i.item_name, i.stock_uom, i.is_stock_item,
			d.default_warehouse, pbi.item_code AS component, pbi.qty AS component_qty,
			ci.item_name AS component_name, ci.stock_uom AS component_uom,
			ci.is_stock_item AS component_is_stock_item, cd.default_warehouse AS component_warehouse,
			NULL AS pending
		FROM `tabItem` i
		LEFT JOIN `tabItem Default` d
			ON d.parent = i.name AND d.parenttype = 'Item' AND d.company = %(company)s
		LEFT JOIN `tabProduct Bundle` pb ON pb.new_item_code = i.name AND pb.disabled = 0
		LEFT JOIN `tabProduct Bundle Item` pbi ON pbi.parent = pb.name
		LEFT JOIN `tabItem` ci ON ci.name = pbi.item_code
		LEFT JOIN `tabItem Default` cd
			ON cd.parent = ci.name AND cd.parenttype = 'Item' AND cd.company = %(company)s
		WHERE i.name IN %(items)s
		UNION ALL
		SELECT 'so_line', soi.name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
			GREATEST(soi.stock_qty - soi.delivered_qty * soi.conversion_factor, 0)
		FROM `tabSales Order Item` soi
		JOIN `tabSales Order` so ON so.name = soi.parent
		WHERE soi.name IN %(so_details)s AND so.docstatus = 1 AND so.status NOT IN ('Closed', 'On Hold')
		""",
		params,
		as_dict=True,
	)
	items: dict[str, dict] = {}
	so_pending: dict[str, float] = {}
	for r in rows:
		if r.kind == "so_line":
			so_pending[r.item_code] = flt(r.pending)
			continue
		facts = items.setdefault(
			r.item_code,
			{
				"item_name": r.item_name,
				"stock_uom": r.stock_uom,
				"is_stock_item": r.is_stock_item,
				"default_warehouse": r.default_warehouse,
				"components": [],
			},
		)
		if r.component:
			facts["components"].append(
				{
					"item_code": r.component,
					"qty": flt(r.component_qty),
					"is_stock_item": r.component_is_stock_item,
					"default_warehouse": r.component_warehouse,
				}
			)
			items.setdefault(
				r.component,
				{
					"item_name": r.component_name,
					"stock_uom": r.component_uom,
					"is_stock_item": r.component_is_stock_item,
					"default_warehouse": r.component_warehouse,
					"components": [],
				},
			)
	return items, so_pending


def _get_bins(item_codes: set[str], warehouses: set[str]) -> dict[tuple[str, str], dict]:
	"""Query 2: the bins of every (item, warehouse) the document needs."""
	rows = frappe.db.sql(
		"""
		SELECT item_code, warehouse, actual_qty, reserved_qty, projected_qty
		FROM `tabBin`
		WHERE item_code IN %(items)s AND warehouse IN %(warehouses)s
		""",
		{"items": list(item_codes), "warehouses": list(warehouses)},
		as_dict=True,
	)
	return {(r.item_code, r.warehouse): r for r in rows}


# --- the message -----------------------------------------------------------------


def render_message(doc, result: ShortageResult) -> str:
	return frappe.render_template(
		"crm_plus/stock/shortage_message.html",
		{
			"doc": doc,
			"shortages": result.shortages,
			"unchecked": result.unchecked,
			"fmt": lambda value: frappe.format_value(value, {"fieldtype": "Float"}),
		},
	)
