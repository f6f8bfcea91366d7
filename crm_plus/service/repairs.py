"""Repair orders (维修管理): warranty, technicians, parts from stock, billing, pickup.

Submitting a repair order means the repair is done: the parts are issued from stock
(one Stock Entry, Material Issue, pointing back at the order) and the order becomes
Ready for Pickup, which emails the customer. Cancelling cancels that stock entry, so
its ledger rows are reversed. Billing makes one Sales Invoice for parts and labour;
lines under warranty are invoiced at zero unless CRM Plus Settings says to charge.
"""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.permissions import has_user_permission
from frappe.utils import add_days, escape_html, flt, get_url, getdate, nowdate

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.utils.permissions import has_any_role, stored_doc

REPAIR = "Repair Order"
TECHNICIAN_ROLE = "Technician"
SEES_ALL_ROLES = {"Service Clerk", "Service Manager", "System Manager"}


class RepairOrderInputError(frappe.ValidationError):
	pass


# --- warranty ----------------------------------------------------------------------------


def warranty_of(serial_no: str | None, item_code: str | None) -> tuple[str, str | None]:
	"""(status, expiry date) from the serial no: its warranty expiry, else its delivery
	date plus the warranty period (the serial's, else the item's)."""
	if not serial_no:
		return "Unknown", None
	serial = frappe.db.get_value("Serial No", serial_no, ["warranty_expiry_date", "warranty_period"], as_dict=True)
	expiry = serial.warranty_expiry_date
	if not expiry:
		period = serial.warranty_period or frappe.utils.cint(frappe.db.get_value("Item", item_code, "warranty_period"))
		delivered = delivery_date(serial_no)
		if period and delivered:
			expiry = add_days(delivered, period)
	if not expiry:
		return "Unknown", None
	return ("Under Warranty" if getdate(expiry) >= getdate(nowdate()) else "Out of Warranty"), expiry


def delivery_date(serial_no: str) -> str | None:
	rows = frappe.db.sql(
		"""
		SELECT MAX(sbb.posting_date) FROM `tabSerial and Batch Entry` sbe
		JOIN `tabSerial and Batch Bundle` sbb ON sbb.name = sbe.parent
		WHERE sbe.serial_no = %(serial)s AND sbb.docstatus = 1 AND sbb.is_cancelled = 0
			AND sbb.voucher_type IN ('Delivery Note', 'Sales Invoice') AND sbb.type_of_transaction = 'Outward'
		""",
		{"serial": serial_no},
	)
	return rows[0][0] if rows else None


# --- technicians -------------------------------------------------------------------------


def assign_technicians(repair) -> None:
	"""Each technician not yet assigned gets a ToDo and a notification."""
	assigned = set(frappe.parse_json(frappe.db.get_value(REPAIR, repair.name, "_assign") or "[]"))
	new = [row.user for row in repair.technicians if row.user not in assigned]
	if not new:
		return
	assign_to.add(
		{
			"assign_to": new,
			"doctype": REPAIR,
			"name": repair.name,
			"description": _("Repair {0} for {1}: {2}").format(
				escape_html(repair.item_name or repair.item_code), escape_html(repair.customer_name), escape_html(repair.fault_description)
			),
			"notify": 1,
		},
		ignore_permissions=True,  # assigning is part of saving the order, which the user may do
	)


def only_assigned(user: str) -> bool:
	roles = set(frappe.get_roles(user))
	return user != "Administrator" and TECHNICIAN_ROLE in roles and not roles & SEES_ALL_ROLES


def get_permission_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if not only_assigned(user):
		return ""
	return (
		"`tabRepair Order`.`name` IN (SELECT `parent` FROM `tabRepair Order Technician` "
		f"WHERE `parenttype` = 'Repair Order' AND `user` = {frappe.db.escape(user)})"
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	"""Decided on the technicians as stored: a technician who adds themself to an order
	in the same request is judged on the order as it was."""
	user = user or frappe.session.user
	if not only_assigned(user):
		return True
	if not doc.name or not frappe.db.exists(REPAIR, doc.name):
		return False  # technicians do not create repair orders
	return bool(frappe.db.exists("Repair Order Technician", {"parenttype": REPAIR, "parent": doc.name, "user": user}))


def may_assign_technicians(user: str | None = None) -> bool:
	"""Adding or removing technicians is for the Technician Assigning Role (CRM Plus
	Settings, default Service Clerk) and Service Manager."""
	return has_any_role([get_settings().repair_assign_role or "Service Clerk", "Service Manager", "System Manager"], user)


def check_technician_change(repair) -> None:
	before = stored_doc(repair)
	old = {row.user for row in before.technicians} if before else set()
	if {row.user for row in repair.technicians} == old or may_assign_technicians():
		return
	frappe.throw(
		_("Only a user with the role {0} or {1} can assign technicians to a repair order.").format(
			_(get_settings().repair_assign_role or "Service Clerk"), _("Service Manager")
		),
		frappe.PermissionError,
	)


# --- parts: checks and stock -------------------------------------------------------------


def validate_parts(repair) -> None:
	warehouses = {row.warehouse for row in repair.parts if row.warehouse}
	facts = {
		w.name: w
		for w in frappe.get_all(
			"Warehouse", filters={"name": ("in", list(warehouses))}, fields=["name", "is_group", "company"]
		)
	} if warehouses else {}
	for row in repair.parts:
		if flt(row.qty) <= 0:
			frappe.throw(_("Parts row {0}: the quantity of {1} must be more than zero.").format(row.idx, row.item_code), RepairOrderInputError)
		if flt(row.rate) < 0:
			frappe.throw(_("Parts row {0}: the rate of {1} cannot be negative.").format(row.idx, row.item_code), RepairOrderInputError)
		warehouse = facts.get(row.warehouse)
		if warehouse and warehouse.is_group:
			frappe.throw(
				_("Parts row {0}: {1} is a group warehouse; pick the warehouse the part is taken from.").format(row.idx, row.warehouse),
				RepairOrderInputError,
			)
		if warehouse and warehouse.company != repair.company:
			frappe.throw(
				_("Parts row {0}: warehouse {1} is not of company {2}.").format(row.idx, row.warehouse, repair.company),
				RepairOrderInputError,
			)
	for row in repair.labour:
		if flt(row.hours) < 0 or flt(row.rate) < 0:
			frappe.throw(_("Labour row {0}: hours and rate cannot be negative.").format(row.idx), RepairOrderInputError)


def parts_shortages(repair) -> list[str]:
	"""The stock check of the foundation, for parts: one query for the bins, a line per
	short part (stock items only)."""
	needed: dict[tuple[str, str], float] = {}
	for row in repair.parts:
		if row.item_code and row.warehouse:
			needed[(row.item_code, row.warehouse)] = needed.get((row.item_code, row.warehouse), 0) + flt(row.qty)
	if not needed:
		return []
	bins = frappe.db.sql(
		"""SELECT item_code, warehouse, actual_qty FROM `tabBin`
		WHERE (item_code, warehouse) IN %(pairs)s""",
		{"pairs": tuple(needed)},
		as_dict=True,
	)
	available = {(b.item_code, b.warehouse): flt(b.actual_qty) for b in bins}
	stock_items = set(frappe.get_all("Item", filters={"name": ("in", [k[0] for k in needed]), "is_stock_item": 1}, pluck="name"))
	return [
		_("{0} in {1}: needed {2}, available {3}").format(item, warehouse, qty, available.get((item, warehouse), 0))
		for (item, warehouse), qty in needed.items()
		if item in stock_items and qty > available.get((item, warehouse), 0)
	]


def warn_parts_shortage(repair) -> None:
	short = parts_shortages(repair)
	if short:
		frappe.msgprint("<br>".join(short), title=_("Stock Shortage"), indicator="orange")


def refuse_parts_shortage(repair) -> None:
	"""Before the parts are issued: a clear message instead of ERPNext's negative-stock
	error half-way through the stock entry."""
	if frappe.db.get_single_value("Stock Settings", "allow_negative_stock"):
		return
	short = parts_shortages(repair)
	if short:
		frappe.throw(
			_("Not enough stock to issue the parts of {0}:").format(repair.name) + "<br>" + "<br>".join(short),
			RepairOrderInputError,
			title=_("Stock Shortage"),
		)


def parts_entry(repair):
	"""The unsaved Stock Entry that issues the order's stock parts (None without any)."""
	stock_parts = [row for row in repair.parts if frappe.get_cached_value("Item", row.item_code, "is_stock_item")]
	if not stock_parts:
		return None
	return frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Issue",
			"purpose": "Material Issue",
			"company": repair.company,
			"crm_plus_repair_order": repair.name,
			"remarks": _("Parts used for repair order {0}").format(repair.name),
			"items": [
				{"item_code": row.item_code, "qty": row.qty, "s_warehouse": row.warehouse, "conversion_factor": 1}
				for row in stock_parts
			],
		}
	)


def check_parts_permissions(repair) -> None:
	"""The stock entry is made with the system's rights, but only from the warehouses
	and company the submitting user's User Permissions allow (for Stock Entry)."""
	entry = parts_entry(repair)
	if entry and not has_user_permission(entry, user=frappe.session.user):
		frappe.throw(
			_("You are not permitted to issue parts from {0} for company {1}.").format(
				", ".join(sorted({row.s_warehouse for row in entry.items if row.s_warehouse})), repair.company
			),
			frappe.PermissionError,
		)


def issue_parts(repair) -> str | None:
	entry = parts_entry(repair)
	if not entry:
		return None
	check_parts_permissions(repair)
	entry.insert(ignore_permissions=True)  # the caller may submit the order and issue from these warehouses (checked above)
	entry.submit()
	return entry.name


def reverse_parts(repair) -> None:
	if not repair.stock_entry:
		return
	entry = frappe.get_doc("Stock Entry", repair.stock_entry)
	if entry.docstatus == 1:
		entry.flags.ignore_permissions = True  # follows the repair order's cancellation
		entry.cancel()


# --- billing -----------------------------------------------------------------------------


def line_rate(row) -> float:
	if row.under_warranty and get_settings().repair_warranty_billing != "Charge":
		return 0
	return flt(row.rate)


def make_invoice(repair) -> str:
	labour_item = get_settings().repair_labour_item
	if repair.labour and not labour_item:
		frappe.throw(_("Set the Repair Labour Item in CRM Plus Settings before invoicing labour."), RepairOrderInputError)
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": repair.company,
			"customer": repair.customer,
			"crm_plus_repair_order": repair.name,
			"remarks": _("Repair order {0}").format(repair.name),
			"items": [
				{"item_code": row.item_code, "qty": row.qty, "rate": line_rate(row), "price_list_rate": line_rate(row), "warehouse": row.warehouse}
				for row in repair.parts
			]
			+ [
				{"item_code": labour_item, "description": row.description, "qty": flt(row.hours) or 1, "rate": line_rate(row), "price_list_rate": line_rate(row)}
				for row in repair.labour
			],
		}
	)
	invoice.set_missing_values()
	for row, source in zip(invoice.items, list(repair.parts) + list(repair.labour)):
		row.rate = row.price_list_rate = line_rate(source)
		row.discount_percentage = 0
	invoice.insert()
	return invoice.name


# --- pickup ------------------------------------------------------------------------------


def notify_ready(repair) -> None:
	if not get_settings().notify_customer_ready:
		return
	email = (repair.contact and frappe.db.get_value("Contact", repair.contact, "email_id")) or frappe.db.get_value(
		"Customer", repair.customer, "email_id"
	)
	if not email:
		return
	ready = repair.status == "Ready for Pickup"
	subject = (
		_("Your {0} is repaired and ready for pickup ({1})") if ready else _("Your {0} could not be repaired; it is ready for pickup ({1})")
	).format(repair.item_name or repair.item_code, repair.name)
	frappe.sendmail(
		recipients=[email],
		subject=subject,
		message=f"<p>{escape_html(subject)}</p><p>{escape_html(repair.work_done or '')}</p>"
		f'<p><a href="{get_url("/service")}">{escape_html(_("Your service requests"))}</a></p>',
		reference_doctype=REPAIR,
		reference_name=repair.name,
	)
