"""Customer complaints (投诉管理): who handles them, by when, and what happens when late.

Assignment goes through ERPNext's Assignment Rule (made at install, "Based on Field" on
the complaint's Assigned To): it makes the ToDo and notifies the assignee (Notification
Log, and email as their settings allow). Changing Assigned To unassigns the previous user
and notifies the new one. A complaint left unassigned gets the salesperson of its linked
order, else the member of the complaint team (a role, in CRM Plus Settings) with the
fewest open complaints.
"""

import frappe
from frappe import _
from frappe.utils import add_to_date, escape_html, get_url_to_form, now_datetime

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.utils.notify import manager_of, notify_users

COMPLAINT = "Customer Complaint"
ASSIGNMENT_RULE = "CRM Plus Customer Complaint"
OPEN_STATUSES = ("Open", "In Progress")
DEFAULT_CATEGORIES = ("Product Quality", "Delivery", "Installation", "Service Attitude", "Billing", "Other")


class ComplaintLinkError(frappe.ValidationError):
	pass


class ComplaintResolutionMissingError(frappe.ValidationError):
	pass


# --- assignment ------------------------------------------------------------------------


def default_assignee(complaint) -> str | None:
	return salesperson_user(complaint) or least_busy_team_member()


def salesperson_user(complaint) -> str | None:
	"""The user of the first salesperson on the linked order, delivery note or invoice."""
	for doctype, name in (
		("Sales Order", complaint.sales_order),
		("Delivery Note", complaint.delivery_note),
		("Sales Invoice", complaint.sales_invoice),
	):
		if not name:
			continue
		sales_person = frappe.db.get_value(
			"Sales Team", {"parenttype": doctype, "parent": name}, "sales_person", order_by="idx asc"
		)
		employee = sales_person and frappe.db.get_value("Sales Person", sales_person, "employee")
		user = employee and frappe.db.get_value("Employee", employee, "user_id")
		if user:
			return user
	return None


def least_busy_team_member() -> str | None:
	"""The enabled user of the complaint team role with the fewest open complaints who may
	read complaints (assigning someone who may not would share the complaint with them,
	which a portal user filing it is not allowed to do)."""
	role = get_settings().complaint_team_role
	if not role:
		return None
	rows = frappe.db.sql(
		"""
		SELECT u.name, (SELECT COUNT(*) FROM `tabCustomer Complaint` c
			WHERE c.assignee = u.name AND c.status IN %(open)s) AS open_count
		FROM `tabUser` u
		JOIN `tabHas Role` r ON r.parent = u.name AND r.parenttype = 'User' AND r.role = %(role)s
		WHERE u.enabled = 1 AND u.user_type = 'System User' AND u.name NOT IN ('Administrator', 'Guest')
		ORDER BY open_count, u.name
		LIMIT 20
		""",
		{"role": role, "open": OPEN_STATUSES},
	)
	from frappe.permissions import get_role_permissions

	meta = frappe.get_meta(COMPLAINT)
	return next((user for user, _count in rows if get_role_permissions(meta, user=user).get("read")), None)


def make_assignment_rule() -> None:
	"""The Assignment Rule that assigns complaints to their Assignee (install, migrate).
	Its definition is crm_plus's; whether it is disabled and its priority stay the user's."""
	definition = {
		"document_type": COMPLAINT,
		"rule": "Based on Field",
		"field": "assignee",
		"description": "Customer complaint {{ name }} from {{ (customer_name or customer) | e }}: {{ subject | e }}",
		"assign_condition": "assignee",
		# reassigning is done by the complaint itself (reassign below): a rule's conditions
		# cannot read the current assignment
		"unassign_condition": None,
		"close_condition": "status in ('Resolved', 'Closed', 'Rejected')",
	}
	if frappe.db.exists("Assignment Rule", ASSIGNMENT_RULE):
		rule = frappe.get_doc("Assignment Rule", ASSIGNMENT_RULE)
		if all(rule.get(key) == value for key, value in definition.items()):
			return
		rule.update(definition)
		rule.save(ignore_permissions=True)  # install/migrate: the Assignment Rule crm_plus owns, made whoever runs it
		return
	frappe.get_doc(
		{
			"doctype": "Assignment Rule",
			"name": ASSIGNMENT_RULE,
			"priority": 1,
			**definition,
			"assignment_days": [
				{"day": day} for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
			],
		}
	).insert(ignore_permissions=True)  # install/migrate: the Assignment Rule crm_plus owns, made whoever runs it


def remove_assignment_rule() -> None:
	if frappe.db.exists("Assignment Rule", ASSIGNMENT_RULE):
		frappe.delete_doc("Assignment Rule", ASSIGNMENT_RULE, ignore_permissions=True, force=True)  # uninstall: removes what crm_plus made, whoever runs it


def make_default_categories() -> None:
	if frappe.db.count("Complaint Category"):
		return
	for category in DEFAULT_CATEGORIES:
		frappe.get_doc({"doctype": "Complaint Category", "category_name": category}).insert(ignore_permissions=True)  # install/migrate: the default categories, made whoever runs it


def reassign(complaint) -> None:
	"""The Assignee changed on a saved complaint: cancel the old ToDos, assign and notify
	the new assignee (on creation the Assignment Rule does it)."""
	from frappe.desk.form import assign_to

	before = complaint.get_doc_before_save()
	if not before or before.assignee == complaint.assignee:
		return
	assign_to.clear(COMPLAINT, complaint.name, ignore_permissions=True)  # whoever may change the assignee may cancel its ToDos
	if complaint.assignee:
		assign_to.add(
			{
				"assign_to": [complaint.assignee],
				"doctype": COMPLAINT,
				"name": complaint.name,
				"description": _("Customer complaint {0} from {1}: {2}").format(
					complaint.name, escape_html(complaint.customer_name or complaint.customer), escape_html(complaint.subject)
				),
				"assignment_rule": ASSIGNMENT_RULE,
				"notify": 1,
			},
			ignore_permissions=True,  # part of saving the complaint, which the user may do
		)


# --- service level ---------------------------------------------------------------------


def set_due_dates(complaint) -> None:
	settings = get_settings()
	severity = (complaint.severity or "Medium").lower()
	opened = complaint.opened_on or now_datetime()
	respond = settings.get(f"complaint_response_hours_{severity}")
	resolve = settings.get(f"complaint_resolve_hours_{severity}")
	complaint.response_by = add_to_date(opened, hours=respond) if respond else None
	complaint.resolve_by = add_to_date(opened, hours=resolve) if resolve else None


# --- escalation ------------------------------------------------------------------------


def escalate_overdue_complaints() -> list[str]:
	"""Scheduled (hourly): open complaints past their resolve-by, or past their respond-by
	without a response, go to the assignee's manager or the escalation role; once each."""
	now = now_datetime()
	table = frappe.qb.DocType(COMPLAINT)
	rows = (
		frappe.qb.from_(table)
		.select(table.name, table.customer_name, table.subject, table.assignee, table.resolve_by, table.response_by)
		.where(table.status.isin(OPEN_STATUSES) & table.escalated_on.isnull())
		.where(
			(table.resolve_by < now) | ((table.response_by < now) & table.first_responded_on.isnull())
		)
	).run(as_dict=True)
	role_users = None
	for row in rows:
		manager = manager_of(row.assignee)
		recipients = [manager] if manager else None
		if recipients is None:
			if role_users is None:
				role_users = escalation_role_users()
			recipients = role_users
		for user in recipients:
			notify(
				user,
				row.name,
				_("Overdue complaint {0} from {1}: {2}").format(row.name, row.customer_name, row.subject),
			)
		frappe.db.set_value(COMPLAINT, row.name, "escalated_on", now, update_modified=False)
	return [row.name for row in rows]


def escalation_role_users() -> list[str]:
	role = get_settings().complaint_escalation_role
	if not role:
		return []
	from frappe.utils.user import get_users_with_role

	return [u for u in get_users_with_role(role) if u not in ("Administrator", "Guest")]


def notify(user: str, complaint: str, subject: str) -> None:
	"""A Notification Log for the user; Frappe emails it as their notification settings allow."""
	link = get_url_to_form(COMPLAINT, complaint)
	notify_users(
		[user],
		subject,
		COMPLAINT,
		complaint,
		content=f'<p>{escape_html(subject)}</p><p><a href="{link}">{escape_html(complaint)}</a></p>',
	)


# --- made from a complaint -------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def make_repair_order(complaint: str) -> str:
	doc = frappe.get_doc(COMPLAINT, complaint)
	doc.check_permission("read")
	frappe.has_permission("Repair Order", "create", throw=True)
	from erpnext import get_default_company

	repair = frappe.get_doc(
		{
			"doctype": "Repair Order",
			"customer": doc.customer,
			"contact": doc.contact,
			"complaint": doc.name,
			"company": frappe.defaults.get_user_default("Company") or get_default_company(),
			"item_code": doc.item_code,
			"serial_no": doc.serial_no,
			"fault_description": frappe.utils.strip_html(doc.description or doc.subject),
		}
	)
	if not repair.item_code:
		frappe.throw(_("Set the item of the complaint before making a repair order from it."), ComplaintLinkError)
	repair.insert()
	mark_in_progress(doc)
	return repair.name


@frappe.whitelist(methods=["POST"])
def make_service_visit(source_name: str, target_doc: str | dict | None = None):
	"""A Maintenance Visit (service visit, 服务安排) for the complaint, unsaved, for the form
	to open (frappe.model.open_mapped_doc, as ERPNext's Warranty Claim → Maintenance Visit):
	its service person and the work done are filled in there."""
	from erpnext import get_default_company
	from frappe.model.mapper import get_mapped_doc

	frappe.get_doc(COMPLAINT, source_name).check_permission("read")
	frappe.has_permission("Maintenance Visit", "create", throw=True)

	def postprocess(source, target):
		target.company = target.company or frappe.defaults.get_user_default("Company") or get_default_company()
		target.maintenance_type = "Breakdown"
		target.completion_status = "Partially Completed"
		target.mntc_date = frappe.utils.nowdate()
		target.crm_plus_complaint = source.name
		target.append(
			"purposes",
			{
				"item_code": source.item_code,
				"serial_no": source.serial_no,
				"description": escape_html(source.subject),
				"prevdoc_doctype": COMPLAINT,
				"prevdoc_docname": source.name,
			},
		)

	return get_mapped_doc(
		COMPLAINT,
		source_name,
		{COMPLAINT: {"doctype": "Maintenance Visit", "field_map": {"contact": "contact_person"}, "field_no_map": ["status", "naming_series"]}},
		target_doc,
		postprocess,
	)


def mark_in_progress(complaint) -> None:
	if complaint.status == "Open":
		complaint.status = "In Progress"
		complaint.flags.ignore_permissions = True  # the user made a document from it: it is being worked on
		complaint.save()
