"""Mass email for a campaign (邮件群发): an Email Template rendered per member, put on
Frappe's email queue by a background job (never in the request), with unsubscribes
honoured, duplicate and invalid addresses skipped and counted, progress published while
it runs, and a send log on each member. Members already queued are never queued again,
so sending twice doesn't send twice."""

import frappe
from frappe import _
from frappe.utils import escape_html, validate_email_address

CAMPAIGN = "Marketing Campaign"
TEMPLATE_FIELDS = ("member_name", "first_name", "email", "member", "member_type", "campaign")
PROGRESS_EVERY = 20


class CampaignEmailError(frappe.ValidationError):
	pass


def job_id(campaign: str) -> str:
	return f"crm_plus_campaign_email::{campaign}"


def check_template(template_name: str) -> None:
	"""Refuse a template that uses fields a member doesn't have."""
	import jinja2.meta

	template = frappe.get_doc("Email Template", template_name)
	env = frappe.get_jenv()
	unknown = set()
	for text in (template.subject, template.response_html if template.use_html else template.response):
		try:
			parsed = env.parse(text or "")
		except Exception as e:
			frappe.throw(_("The email template {0} has an error: {1}").format(template_name, e), CampaignEmailError)
		unknown |= jinja2.meta.find_undeclared_variables(parsed) - set(TEMPLATE_FIELDS) - set(env.globals)
	if unknown:
		frappe.throw(
			_("The email template {0} uses unknown fields: {1}. A campaign email can use: {2}.").format(
				template_name, ", ".join(sorted(unknown)), ", ".join(TEMPLATE_FIELDS)
			),
			CampaignEmailError,
		)


def queue_campaign_emails(campaign) -> dict:
	if not campaign.email_template:
		frappe.throw(_("Choose an email template first."), CampaignEmailError)
	if not campaign.members:
		frappe.throw(_("Resolve the target audience first: the campaign has no members."), CampaignEmailError)
	if campaign.status == "Cancelled":
		frappe.throw(_("A cancelled campaign sends no email."), CampaignEmailError)
	check_template(campaign.email_template)
	pending = sum(1 for m in campaign.members if m.email_status in ("", None, "Pending", "Failed"))
	if not pending:
		return {"queued": 0, "message": _("Every member has been emailed already.")}
	campaign.db_set("email_status", "Queued")
	frappe.enqueue(
		"crm_plus.marketing.mass_email.send_campaign_emails",
		campaign=campaign.name,
		queue="long",
		job_id=job_id(campaign.name),
		deduplicate=True,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)
	return {"queued": pending}


def send_campaign_emails(campaign: str) -> None:
	"""The background job."""
	doc = frappe.get_doc(CAMPAIGN, campaign)
	doc.db_set("email_status", "Sending")
	template = frappe.get_doc("Email Template", doc.email_template)
	body = template.response_html if template.use_html else template.response
	unsubscribed = _unsubscribed({m.email.strip().lower() for m in doc.members if m.email}, campaign)
	seen = {m.email.strip().lower() for m in doc.members if m.email and m.email_status == "Queued"}

	todo = [m for m in doc.members if m.email_status in ("", None, "Pending", "Failed")]
	for done, member in enumerate(todo, start=1):
		status, queue = _send_one(doc, member, template.subject, body, unsubscribed, seen)
		frappe.db.set_value(member.doctype, member.name, {"email_status": status, "email_queue": queue})
		member.email_status, member.email_queue = status, queue
		if done % PROGRESS_EVERY == 0 or done == len(todo):
			_publish_progress(doc, done, len(todo))
	_update_counts(doc)
	doc.db_set("email_status", "Sent")


def _send_one(doc, member, subject, body, unsubscribed, seen) -> tuple[str, str | None]:
	email = (member.email or "").strip().lower()
	if not email or not validate_email_address(email):
		return "Invalid Email", None
	if email in unsubscribed:
		return "Unsubscribed", None
	if email in seen:
		return "Duplicate Address", None
	seen.add(email)
	context = {
		"member_name": member.member_name,
		"first_name": (member.member_name or "").split(" ")[0],
		"email": email,
		"member": member.member,
		"member_type": member.member_type,
		"campaign": doc.campaign_name,
	}
	try:
		queued = frappe.sendmail(
			recipients=[email],
			subject=frappe.render_template(subject, context),
			# merge fields are names people typed: text in the HTML body, not markup
			message=frappe.render_template(body or "", {k: escape_html(v or "") for k, v in context.items()}),
			reference_doctype=CAMPAIGN,
			reference_name=doc.name,
			unsubscribe_message=_("Unsubscribe from this campaign"),
			delayed=True,
		)
	except Exception:
		frappe.log_error(_("Campaign email to {0} failed").format(email), reference_doctype=CAMPAIGN, reference_name=doc.name)
		return "Failed", None
	return "Queued", getattr(queued, "name", None)


def _unsubscribed(emails: set[str], campaign: str) -> set[str]:
	if not emails:
		return set()
	rows = frappe.db.sql(
		"""SELECT LOWER(email) FROM `tabEmail Unsubscribe`
		WHERE LOWER(email) IN %(emails)s
			AND (global_unsubscribe = 1 OR (reference_doctype = %(doctype)s AND reference_name = %(name)s))""",
		{"emails": list(emails), "doctype": CAMPAIGN, "name": campaign},
	)
	return {r[0] for r in rows}


def _update_counts(doc) -> None:
	counts = {"Queued": 0, "Failed": 0, "Unsubscribed": 0, "Duplicate Address": 0, "Invalid Email": 0}
	for m in doc.members:
		if m.email_status in counts:
			counts[m.email_status] += 1
	doc.db_set(
		{
			"emails_queued": counts["Queued"],
			"emails_failed": counts["Failed"],
			"emails_unsubscribed": counts["Unsubscribed"],
			"emails_duplicate": counts["Duplicate Address"],
			"emails_invalid": counts["Invalid Email"],
		}
	)


def _publish_progress(doc, done: int, total: int) -> None:
	frappe.publish_realtime(
		"crm_plus_campaign_email_progress",
		{"campaign": doc.name, "done": done, "total": total},
		doctype=CAMPAIGN,
		docname=doc.name,
	)
