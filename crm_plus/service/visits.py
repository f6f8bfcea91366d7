"""Service visits (服务管理) are ERPNext's Maintenance Visits, linked to a complaint by
a custom field. The service persons' users are notified when a visit is scheduled, and
completing every visit of a complaint resolves it when CRM Plus Settings says so."""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import escape_html

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.utils.permissions import require_write, stored_doc

VISIT = "Maintenance Visit"


def service_users(visit) -> list[str]:
	people = {row.service_person for row in visit.purposes if row.service_person}
	if not people:
		return []
	employees = frappe.get_all("Sales Person", filters={"name": ("in", list(people))}, pluck="employee")
	return frappe.get_all(
		"Employee", filters={"name": ("in", [e for e in employees if e]), "user_id": ("is", "set")}, pluck="user_id"
	)


def notify_service_staff(visit) -> None:
	"""A ToDo and a notification for each service person's user not yet assigned."""
	if not get_settings().notify_visit_staff:
		return
	assigned = set(frappe.parse_json(frappe.db.get_value(VISIT, visit.name, "_assign") or "[]"))
	new = [u for u in service_users(visit) if u not in assigned]
	if not new:
		return
	assign_to.add(
		{
			"assign_to": new,
			"doctype": VISIT,
			"name": visit.name,
			"date": visit.mntc_date,
			"description": _("Service visit to {0} on {1}").format(escape_html(visit.customer_name or visit.customer), visit.mntc_date),
			"notify": 1,
		},
		ignore_permissions=True,  # scheduling the visit is what assigns its staff
	)


class VisitComplaintError(frappe.ValidationError):
	pass


def validate_complaint_link(visit) -> None:
	"""A visit serves a complaint of its own customer, which the user may change (its
	completion can resolve the complaint)."""
	complaint = visit.get("crm_plus_complaint")
	if not complaint:
		return
	before = stored_doc(visit)
	if before and before.get("crm_plus_complaint") == complaint and before.customer == visit.customer:
		return
	if frappe.db.get_value("Customer Complaint", complaint, "customer") != visit.customer:
		frappe.throw(
			_("Complaint {0} is not of customer {1}.").format(complaint, visit.customer), VisitComplaintError
		)
	require_write(
		"Customer Complaint",
		complaint,
		_("You are not permitted to change complaint {0}, so this visit cannot serve it.").format(complaint),
	)


def resolve_complaint_when_done(visit) -> None:
	complaint = visit.get("crm_plus_complaint")
	if not complaint or not get_settings().resolve_complaint_on_visits:
		return
	if frappe.db.get_value("Customer Complaint", complaint, "customer") != visit.customer:
		return
	if not frappe.has_permission("Customer Complaint", "write", doc=complaint):
		frappe.msgprint(
			_("Complaint {0} was not resolved: you are not permitted to change it.").format(complaint),
			indicator="orange",
		)
		return
	visits = frappe.get_all(
		VISIT, filters={"crm_plus_complaint": complaint, "docstatus": ("<", 2)}, fields=["name", "docstatus", "completion_status"]
	)
	if not visits or any(v.docstatus != 1 or v.completion_status != "Fully Completed" for v in visits):
		return
	doc = frappe.get_doc("Customer Complaint", complaint)
	if doc.status not in ("Open", "In Progress"):
		return
	work = frappe.get_all(
		"Maintenance Visit Purpose", filters={"parent": ("in", [v.name for v in visits])}, pluck="work_done"
	)
	doc.resolution = doc.resolution or "".join(f"<p>{escape_html(w)}</p>" for w in work if w) or _("Service visits completed.")
	doc.status = "Resolved"
	doc.flags.ignore_permissions = True  # the caller may write it (checked above); resolving is the settings' rule
	doc.save()
	doc.add_comment("Info", _("Resolved: all service visits are completed."))
