"""Review workflow (新建单据 → 提交审核 → 待审核 → 审核确定) for Quotation and Sales Order.

The Workflows are data made in code from CRM Plus Settings: switching the review on
creates or activates them, switching it off deactivates them (ERPNext's plain save and
submit again). Who may approve what is checked here, in Python, with clear messages.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings
from crm_plus.utils.notify import notify_users, users_with_role
from crm_plus.utils.permissions import has_any_role, keep_server_fields, stored_doc

REVIEW_DOCTYPES = {"Quotation": "review_quotation", "Sales Order": "review_sales_order"}
STATE_FIELD = "crm_plus_review_state"
DRAFT, PENDING, APPROVED, REJECTED = "Draft", "Pending Review", "Approved", "Rejected"
SUBMIT_ACTION, APPROVE, REJECT = "Submit for Review", "Approve", "Reject"
STATE_STYLES = {DRAFT: "", PENDING: "Warning", APPROVED: "Success", REJECTED: "Danger"}
# Made by crm_plus when missing and removed on uninstall; Frappe ships the others.
OWN_STATES = (PENDING,)
OWN_ACTIONS = (SUBMIT_ACTION,)


class ReviewError(frappe.ValidationError):
	pass


def workflow_name(doctype: str) -> str:
	return f"CRM Plus {doctype} Review"


def review_active(doctype: str) -> bool:
	settings = get_settings()
	return bool(settings.review_enabled and settings.get(REVIEW_DOCTYPES.get(doctype, "")))


# --- the workflows as data ----------------------------------------------------------------


def sync_workflows() -> None:
	"""Create, update and activate, or deactivate, each doctype's review workflow."""
	settings = frappe.get_single("CRM Plus Settings")
	for doctype, field in REVIEW_DOCTYPES.items():
		name = workflow_name(doctype)
		on = bool(settings.review_enabled and settings.get(field))
		if not on:
			if frappe.db.exists("Workflow", name):
				frappe.db.set_value("Workflow", name, "is_active", 0)
				frappe.clear_cache(doctype=doctype)
			continue
		make_masters()
		workflow = frappe.get_doc("Workflow", name) if frappe.db.exists("Workflow", name) else frappe.new_doc("Workflow")
		workflow.update(workflow_definition(doctype, settings))
		workflow.flags.ignore_permissions = True  # the app's own workflow
		workflow.save()


def workflow_definition(doctype: str, settings) -> dict:
	author = "Sales User"
	approver = settings.review_approver_role or "Sales User"
	manager = settings.review_manager_role or "Sales Manager"
	deciders = list(dict.fromkeys([approver, manager]))
	transitions = [
		{"state": DRAFT, "action": SUBMIT_ACTION, "next_state": PENDING, "allowed": author},
		{"state": REJECTED, "action": SUBMIT_ACTION, "next_state": PENDING, "allowed": author},
	]
	if manager != author:
		transitions += [
			{"state": DRAFT, "action": SUBMIT_ACTION, "next_state": PENDING, "allowed": manager},
			{"state": REJECTED, "action": SUBMIT_ACTION, "next_state": PENDING, "allowed": manager},
		]
	for role in deciders:
		transitions += [
			{"state": PENDING, "action": APPROVE, "next_state": APPROVED, "allowed": role},
			{"state": PENDING, "action": REJECT, "next_state": REJECTED, "allowed": role},
		]
	for t in transitions:
		# Frappe hides Approve from the document's owner and refuses it; check_decision
		# repeats the rule for saves that bypass apply_workflow.
		t["allow_self_approval"] = 1 if t["action"] != APPROVE else cint(settings.review_allow_self_approval)
	return {
		"workflow_name": workflow_name(doctype),
		"document_type": doctype,
		"is_active": 1,
		"override_status": 0,
		"send_email_alert": 0,
		"workflow_state_field": STATE_FIELD,
		"states": [
			{"state": DRAFT, "doc_status": "0", "allow_edit": author},
			{"state": PENDING, "doc_status": "0", "allow_edit": deciders[0]},
			{"state": APPROVED, "doc_status": "1", "allow_edit": manager},
			{"state": REJECTED, "doc_status": "0", "allow_edit": author},
		],
		"transitions": transitions,
	}


def make_masters() -> None:
	for state, style in STATE_STYLES.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": state, "style": style}).insert(ignore_permissions=True)  # install/migrate: masters crm_plus owns, made whoever runs it
	for action in (SUBMIT_ACTION, APPROVE, REJECT):
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(ignore_permissions=True)  # install/migrate: masters crm_plus owns, made whoever runs it


def remove_workflows() -> None:
	"""Uninstall: the workflows, and the state and action only crm_plus made, if unused."""
	for doctype in REVIEW_DOCTYPES:
		if frappe.db.exists("Workflow", workflow_name(doctype)):
			frappe.delete_doc("Workflow", workflow_name(doctype), ignore_permissions=True, force=True)  # uninstall: removes what crm_plus made, whoever runs it
		frappe.clear_cache(doctype=doctype)
	for state in OWN_STATES:
		if frappe.db.exists("Workflow State", state) and not frappe.db.exists("Workflow Document State", {"state": state}):
			frappe.delete_doc("Workflow State", state, ignore_permissions=True, force=True)  # uninstall: removes what crm_plus made, whoever runs it
	for action in OWN_ACTIONS:
		if frappe.db.exists("Workflow Action Master", action) and not frappe.db.exists("Workflow Transition", {"action": action}):
			frappe.delete_doc("Workflow Action Master", action, ignore_permissions=True, force=True)  # uninstall: removes what crm_plus made, whoever runs it


# --- document events ---------------------------------------------------------------------


def review_level(doc, settings) -> str:
	"""'Manager' above the amount or discount threshold, else 'Approver'."""
	amount_limit = flt(settings.review_amount_threshold)
	discount_limit = flt(settings.review_discount_threshold)
	discount = max([flt(doc.additional_discount_percentage)] + [flt(i.discount_percentage) for i in doc.items])
	if (amount_limit and flt(doc.base_grand_total) > amount_limit) or (discount_limit and discount > discount_limit):
		return "Manager"
	return "Approver"


def stored_state(doc) -> str:
	before = stored_doc(doc)
	return (before.get(STATE_FIELD) if before else None) or DRAFT


def validate(doc, method=None) -> None:
	"""On every save: the level from the lines being saved (a value sent by the client is
	ignored), the author as stored, and a decision only on a pending document, by a user
	who may take it."""
	if not review_active(doc.doctype):
		return
	settings = get_settings()
	keep_server_fields(doc, ["owner"])  # self-approval is judged on who really made it
	doc.crm_plus_review_level = review_level(doc, settings)
	state, before = doc.get(STATE_FIELD), stored_state(doc)
	if state != before and state in (APPROVED, REJECTED):
		if before != PENDING:
			frappe.throw(
				_("{0} {1} is not waiting for review: submit it for review first.").format(_(doc.doctype), doc.name),
				ReviewError,
				title=_("Approval Needed"),
			)
		check_decision(doc, settings, approving=state == APPROVED)


def before_submit(doc, method=None) -> None:
	"""Every way of submitting (the form, REST, frappe.client.submit, run_doc_method, bulk
	submit, Data Import) ends here: only an approval of a pending document submits it."""
	if not review_active(doc.doctype):
		return
	if stored_state(doc) != PENDING or doc.get(STATE_FIELD) != APPROVED:
		frappe.throw(
			_("{0} {1} is under review: it is submitted when an approver approves it.").format(
				_(doc.doctype), doc.name or _("(new)")
			),
			ReviewError,
			title=_("Approval Needed"),
		)


def check_decision(doc, settings, approving: bool) -> None:
	user = frappe.session.user
	manager = settings.review_manager_role or "Sales Manager"
	approver = settings.review_approver_role or "Sales User"
	deciders = [manager] if doc.crm_plus_review_level == "Manager" else [approver, manager]
	if approving and user != "Administrator" and doc.owner == user and not settings.review_allow_self_approval:
		frappe.throw(
			_("You cannot approve {0} {1}: you created it. Another approver must review it.").format(_(doc.doctype), doc.name),
			ReviewError,
			title=_("Self Approval Not Allowed"),
		)
	if approving and doc.crm_plus_review_level == "Manager" and not has_any_role([manager]):
		frappe.throw(
			_("{0} {1} is above the approval threshold: a user with the role {2} must approve it.").format(
				_(doc.doctype), doc.name, _(manager)
			),
			ReviewError,
			title=_("Manager Approval Needed"),
		)
	if not has_any_role(deciders):
		frappe.throw(
			_("Only a user with the role {0} can approve or reject {1} {2}.").format(
				" / ".join(_(r) for r in dict.fromkeys(deciders)), _(doc.doctype), doc.name
			),
			ReviewError,
			title=_("Not an Approver"),
		)


def on_update(doc, method=None) -> None:
	"""Tell the approvers when a document waits for them; tell its owner when rejected."""
	if not review_active(doc.doctype) or not doc.has_value_changed(STATE_FIELD):
		return
	state = doc.get(STATE_FIELD)
	settings = get_settings()
	if state == PENDING:
		role = (settings.review_manager_role or "Sales Manager") if doc.crm_plus_review_level == "Manager" else (settings.review_approver_role or "Sales User")
		approvers = [u for u in users_with_role(role) if u != doc.owner or settings.review_allow_self_approval]
		notify_users(
			approvers,
			_("{0} {1} of {2} waits for your review").format(_(doc.doctype), doc.name, doc.customer_name or ""),
			doc.doctype,
			doc.name,
		)
	elif state == REJECTED:
		notify_users([doc.owner], _("{0} {1} was rejected").format(_(doc.doctype), doc.name), doc.doctype, doc.name)
