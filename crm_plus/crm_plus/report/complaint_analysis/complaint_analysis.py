# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

"""Complaints by category, item, customer or assignee: counts, median response and
resolution times (hours), overdue share. One query; medians by MariaDB's MEDIAN window
function; user permissions applied in the query."""

import frappe
from frappe import _
from frappe.utils import add_days, flt, getdate, now_datetime

from crm_plus.utils.permissions import user_permission_sql

# group by option -> (column, label, link doctype)
GROUPS = {
	"Category": ("category", "Category", "Complaint Category"),
	"Item": ("item_code", "Item", "Item"),
	"Customer": ("customer", "Customer", "Customer"),
	"Assignee": ("assignee", "Assigned To", "User"),
}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	group_by = filters.group_by or "Category"
	if group_by not in GROUPS:
		frappe.throw(_("Group by one of: {0}").format(", ".join(_(g) for g in GROUPS)))
	data = get_data(filters, GROUPS[group_by][0])
	return get_columns(group_by), data, None, get_chart(data), get_summary(data)


def get_data(filters, column: str) -> list[dict]:
	values = {
		"from_date": getdate(filters.from_date) if filters.from_date else getdate("1900-01-01"),
		"to_date": add_days(getdate(filters.to_date), 1) if filters.to_date else getdate("2999-12-31"),
		"now": now_datetime(),
	}
	conditions = ""
	perm_sql, perm_params = user_permission_sql("Customer Complaint", "c")
	conditions += perm_sql
	values.update(perm_params)
	if filters.customer:
		conditions += " AND c.customer = %(customer)s"
		values["customer"] = filters.customer
	# `column` comes from GROUPS, never from the request
	rows = frappe.db.sql(
		f"""
		SELECT grp AS `group`, COUNT(*) AS total,
			SUM(is_open) AS open_count, SUM(is_overdue) AS overdue,
			MAX(median_response) AS median_response_hours, MAX(median_resolution) AS median_resolution_hours
		FROM (
			SELECT IFNULL(c.`{column}`, '') AS grp,
				c.status IN ('Open', 'In Progress') AS is_open,
				(c.resolve_by < IFNULL(c.resolved_on, %(now)s)) AS is_overdue,
				MEDIAN(TIMESTAMPDIFF(MINUTE, c.opened_on, c.first_responded_on) / 60) OVER (PARTITION BY c.`{column}`) AS median_response,
				MEDIAN(TIMESTAMPDIFF(MINUTE, c.opened_on, c.resolved_on) / 60) OVER (PARTITION BY c.`{column}`) AS median_resolution
			FROM `tabCustomer Complaint` c
			WHERE c.opened_on >= %(from_date)s AND c.opened_on < %(to_date)s {conditions}
		) t
		GROUP BY grp
		ORDER BY total DESC, grp
		""",
		values,
		as_dict=True,
	)
	for row in rows:
		row.overdue_share = flt(100.0 * flt(row.overdue) / row.total, 1) if row.total else 0
		row.median_response_hours = flt(row.median_response_hours, 1) if row.median_response_hours is not None else None
		row.median_resolution_hours = flt(row.median_resolution_hours, 1) if row.median_resolution_hours is not None else None
	return rows


def get_columns(group_by: str) -> list[dict]:
	_column, label, doctype = GROUPS[group_by]
	return [
		{"label": _(label), "fieldname": "group", "fieldtype": "Link", "options": doctype, "width": 200},
		{"label": _("Complaints"), "fieldname": "total", "fieldtype": "Int", "width": 110},
		{"label": _("Open"), "fieldname": "open_count", "fieldtype": "Int", "width": 90},
		{"label": _("Overdue"), "fieldname": "overdue", "fieldtype": "Int", "width": 90},
		{"label": _("Overdue Share (%)"), "fieldname": "overdue_share", "fieldtype": "Percent", "precision": 1, "width": 130},
		{"label": _("Median Response (Hours)"), "fieldname": "median_response_hours", "fieldtype": "Float", "precision": 1, "width": 170},
		{"label": _("Median Resolution (Hours)"), "fieldname": "median_resolution_hours", "fieldtype": "Float", "precision": 1, "width": 180},
	]


def get_chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	top = data[:10]
	return {
		"data": {
			"labels": [row.group or _("Not Set") for row in top],
			"datasets": [{"name": _("Complaints"), "values": [row.total for row in top]}],
		},
		"type": "bar",
	}


def get_summary(data: list[dict]) -> list[dict]:
	total = sum(row.total for row in data)
	overdue = sum(flt(row.overdue) for row in data)
	return [
		{"label": _("Complaints"), "value": total, "datatype": "Int", "indicator": "blue"},
		{"label": _("Open"), "value": sum(flt(row.open_count) for row in data), "datatype": "Int", "indicator": "orange"},
		{"label": _("Overdue Share (%)"), "value": flt(100.0 * overdue / total, 1) if total else 0, "datatype": "Percent", "indicator": "red"},
	]
