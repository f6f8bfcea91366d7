# Copyright (c) 2026, crm_plus developers
# License: GNU General Public License v3. See license.txt

"""Repair turnaround and technician workload: per technician, repair orders received,
in progress, completed, median and average hours from intake to ready, and late ones
(ready after the promised date, or not ready and past it). One query; an order with two
technicians counts for each; user permissions applied in the query."""

import frappe
from frappe import _
from frappe.utils import add_days, flt, getdate, nowdate

from crm_plus.utils.permissions import check_company, user_permission_sql


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data), get_summary(data)


def get_data(filters) -> list[dict]:
	values = {
		"from_date": getdate(filters.from_date) if filters.from_date else getdate("1900-01-01"),
		"to_date": add_days(getdate(filters.to_date), 1) if filters.to_date else getdate("2999-12-31"),
		"today": getdate(nowdate()),
	}
	conditions = ""
	if filters.company:
		check_company(filters.company, "Repair Order")
		conditions += " AND ro.company = %(company)s"
		values["company"] = filters.company
	perm_sql, perm_params = user_permission_sql("Repair Order", "ro")
	conditions += perm_sql
	values.update(perm_params)
	rows = frappe.db.sql(
		f"""
		SELECT technician, COUNT(*) AS orders, SUM(in_progress) AS in_progress, SUM(completed) AS completed,
			SUM(late) AS late, AVG(hours) AS average_hours, MAX(median_hours) AS median_hours
		FROM (
			SELECT IFNULL(t.user, '') AS technician,
				ro.docstatus = 0 AS in_progress,
				ro.ready_on IS NOT NULL AS completed,
				(ro.promised_date < IFNULL(DATE(ro.ready_on), %(today)s)) AS late,
				TIMESTAMPDIFF(MINUTE, ro.received_on, ro.ready_on) / 60 AS hours,
				MEDIAN(TIMESTAMPDIFF(MINUTE, ro.received_on, ro.ready_on) / 60) OVER (PARTITION BY IFNULL(t.user, '')) AS median_hours
			FROM `tabRepair Order` ro
			LEFT JOIN `tabRepair Order Technician` t ON t.parent = ro.name AND t.parenttype = 'Repair Order'
			WHERE ro.docstatus < 2 AND ro.received_on >= %(from_date)s AND ro.received_on < %(to_date)s {conditions}
		) x
		GROUP BY technician
		ORDER BY orders DESC, technician
		""",
		values,
		as_dict=True,
	)
	for row in rows:
		for field in ("average_hours", "median_hours"):
			row[field] = flt(row[field], 1) if row[field] is not None else None
	return rows


def get_columns() -> list[dict]:
	return [
		{"label": _("Technician"), "fieldname": "technician", "fieldtype": "Link", "options": "User", "width": 220},
		{"label": _("Repair Orders"), "fieldname": "orders", "fieldtype": "Int", "width": 120},
		{"label": _("In Progress"), "fieldname": "in_progress", "fieldtype": "Int", "width": 110},
		{"label": _("Completed"), "fieldname": "completed", "fieldtype": "Int", "width": 110},
		{"label": _("Late"), "fieldname": "late", "fieldtype": "Int", "width": 90},
		{"label": _("Median Turnaround (Hours)"), "fieldname": "median_hours", "fieldtype": "Float", "precision": 1, "width": 190},
		{"label": _("Average Turnaround (Hours)"), "fieldname": "average_hours", "fieldtype": "Float", "precision": 1, "width": 190},
	]


def get_chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [row.technician or _("Unassigned") for row in data],
			"datasets": [
				{"name": _("In Progress"), "values": [flt(row.in_progress) for row in data]},
				{"name": _("Completed"), "values": [flt(row.completed) for row in data]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}


def get_summary(data: list[dict]) -> list[dict]:
	return [
		{"label": _("In Progress"), "value": sum(flt(r.in_progress) for r in data), "datatype": "Int", "indicator": "orange"},
		{"label": _("Completed"), "value": sum(flt(r.completed) for r in data), "datatype": "Int", "indicator": "green"},
		{"label": _("Late"), "value": sum(flt(r.late) for r in data), "datatype": "Int", "indicator": "red"},
	]
