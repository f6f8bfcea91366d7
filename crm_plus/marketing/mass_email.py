"""Mass email for a campaign (邮件群发): an Email Template rendered per member, put on
Frappe's email queue by background jobs (never in the request): one decides each member's
fate, then chunks of members are queued by as many jobs as there are chunks, so several
workers share a large campaign. Unsubscribes are honoured, duplicate and invalid addresses
skipped and counted, progress is counted in the database and published, and each member
keeps a send log. A member is marked Queued in the same transaction as its mail is queued,
and members already queued are never queued again: sending twice doesn't send twice, and a
job killed mid-way is taken up again (hourly) without losing or repeating a mail."""

import frappe
from frappe import _
from frappe.utils import add_to_date, escape_html, now_datetime, validate_email_address

CAMPAIGN = "Marketing Campaign"
MEMBER = "Marketing Campaign Member"
TEMPLATE_FIELDS = ("member_name", "first_name", "email", "member", "member_type", "campaign")
DUE = ("", None, "Pending", "Failed")  # members the next run sends to
CHUNK_SIZE = 500  # members per job: 100 jobs for 50,000, shared by the workers
STALLED_MINUTES = 30


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
	pending = sum(1 for m in campaign.members if m.email_status in DUE)
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
	"""The background job: decides what becomes of each member still due (an invalid,
	unsubscribed or already-used address is marked so and never sent), then queues the mail in
	chunks of CHUNK_SIZE members, each its own job on the long queue, so that several workers
	share a large campaign. Running it again (Send Emails again, or the hourly resume after a
	worker died) only takes up members still due."""
	doc = frappe.get_doc(CAMPAIGN, campaign)
	doc.db_set("email_status", "Sending")
	unsubscribed = _unsubscribed({m.email.strip().lower() for m in doc.members if m.email}, campaign)
	seen = {m.email.strip().lower() for m in doc.members if m.email and m.email_status == "Queued"}
	skipped: dict[str, list[str]] = {}
	to_send = []
	for member in doc.members:
		if member.email_status not in DUE:
			continue
		status = _skip_reason(member, unsubscribed, seen)
		if status:
			skipped.setdefault(status, []).append(member.name)
		else:
			seen.add(member.email.strip().lower())
			to_send.append(member.name)
	for status, names in skipped.items():
		frappe.db.sql(
			f"UPDATE `tab{MEMBER}` SET email_status = %(status)s, email_queue = NULL WHERE name IN %(names)s",
			{"status": status, "names": names},
		)
	chunks = [to_send[i : i + CHUNK_SIZE] for i in range(0, len(to_send), CHUNK_SIZE)]
	for chunk in chunks:
		frappe.enqueue(
			"crm_plus.marketing.mass_email.send_campaign_email_chunk",
			campaign=campaign,
			members=chunk,
			queue="long",
			timeout=3600,
			enqueue_after_commit=True,  # the chunks see the members this job marked
			now=frappe.flags.in_test,
		)
	if not chunks:
		_update_progress(campaign)


def send_campaign_email_chunk(campaign: str, members: list[str]) -> None:
	"""A chunk job: queue the mail of these members. Each member is locked and read again first,
	and marked Queued in the same transaction as its mail is put on the Email Queue, so two jobs
	never send one member twice, and a job that dies sends nothing of its chunk (the members
	stay due, for the next run)."""
	campaign_name, template_name = frappe.db.get_value(CAMPAIGN, campaign, ["campaign_name", "email_template"])
	template = frappe.get_doc("Email Template", template_name)
	body = template.response_html if template.use_html else template.response
	fields = ", ".join(f"`{f}`" for f in ("name", "member_type", "member", "member_name", "email", "email_status"))
	for name in members:
		row = frappe.db.sql(f"SELECT {fields} FROM `tab{MEMBER}` WHERE name = %s FOR UPDATE", name, as_dict=True)
		if not row or row[0].email_status not in DUE:
			continue  # another run took it
		member = row[0]
		status, queue = _queue_mail(campaign, campaign_name, member, template.subject, body)
		frappe.db.set_value(MEMBER, name, {"email_status": status, "email_queue": queue}, update_modified=False)
	if not frappe.flags.in_test:  # in tests the job runs inside the test's transaction
		# the chunk's mail and its members' statuses, durable together; the progress is then
		# counted in a new transaction, which sees every chunk committed before it
		frappe.db.commit()
	_update_progress(campaign)


def _skip_reason(member, unsubscribed, seen) -> str | None:
	email = (member.email or "").strip().lower()
	if not email or not validate_email_address(email):
		return "Invalid Email"
	if email in unsubscribed:
		return "Unsubscribed"
	if email in seen:
		return "Duplicate Address"
	return None


def _send_one(doc, member, subject, body, unsubscribed, seen) -> tuple[str, str | None]:
	"""One member, decided and queued (the two steps the jobs above take apart)."""
	status = _skip_reason(member, unsubscribed, seen)
	if status:
		return status, None
	seen.add(member.email.strip().lower())
	return _queue_mail(doc.name, doc.campaign_name, member, subject, body)


def _queue_mail(campaign: str, campaign_name: str, member, subject, body) -> tuple[str, str | None]:
	email = member.email.strip().lower()
	context = {
		"member_name": member.member_name,
		"first_name": (member.member_name or "").split(" ")[0],
		"email": email,
		"member": member.member,
		"member_type": member.member_type,
		"campaign": campaign_name,
	}
	try:
		queued = frappe.sendmail(
			recipients=[email],
			subject=frappe.render_template(subject, context),
			# merge fields are names people typed: text in the HTML body, not markup
			message=frappe.render_template(body or "", {k: escape_html(v or "") for k, v in context.items()}),
			reference_doctype=CAMPAIGN,
			reference_name=campaign,
			unsubscribe_message=_("Unsubscribe from this campaign"),
			delayed=True,
		)
	except Exception:
		frappe.log_error(_("Campaign email to {0} failed").format(email), reference_doctype=CAMPAIGN, reference_name=campaign)
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


def _update_progress(campaign: str) -> None:
	"""The campaign's counts, status and progress, counted in the database: right whichever of
	several workers finishes a chunk, and in whatever order. The campaign row is locked first
	(a locking read, which opens no snapshot), so two chunks finishing together count one
	after the other, and the later one sees the earlier one's members."""
	frappe.db.sql(f"SELECT name FROM `tab{CAMPAIGN}` WHERE name = %s FOR UPDATE", campaign)
	counts = dict(
		frappe.db.sql(
			f"SELECT IFNULL(email_status, ''), COUNT(*) FROM `tab{MEMBER}` WHERE parent = %s AND parenttype = %s GROUP BY 1",
			(campaign, CAMPAIGN),
		)
	)
	total = sum(counts.values())
	due = sum(counts.get(s, 0) for s in ("", "Pending"))
	values = {
		"emails_queued": counts.get("Queued", 0),
		"emails_failed": counts.get("Failed", 0),
		"emails_unsubscribed": counts.get("Unsubscribed", 0),
		"emails_duplicate": counts.get("Duplicate Address", 0),
		"emails_invalid": counts.get("Invalid Email", 0),
	}
	# members still due: chunks are at work (also when Send Emails was clicked again meanwhile,
	# which set "Queued" for a planner job that finds nothing left to plan)
	values["email_status"] = "Sending" if due else "Sent"
	frappe.db.set_value(CAMPAIGN, campaign, values)
	frappe.publish_realtime(
		"crm_plus_campaign_email_progress",
		{"campaign": campaign, "done": total - due, "total": total},
		doctype=CAMPAIGN,
		docname=campaign,
		after_commit=True,
	)


def resume_campaign_emails(stalled_minutes: int = STALLED_MINUTES) -> list[str]:
	"""Scheduled (hourly): a campaign still sending with members due and no progress for a
	while lost a job (a worker killed or restarted mid-chunk): its send is taken up again."""
	since = add_to_date(now_datetime(), minutes=-stalled_minutes)
	stalled = frappe.get_all(
		CAMPAIGN, filters={"email_status": ["in", ["Queued", "Sending"]], "modified": ["<=", since]}, pluck="name"
	)
	resumed = []
	for campaign in stalled:
		if not frappe.db.exists(MEMBER, {"parent": campaign, "parenttype": CAMPAIGN, "email_status": ["in", ["", "Pending"]]}):
			_update_progress(campaign)  # every member done: a job died between its commit and its count
		else:
			frappe.enqueue(
				"crm_plus.marketing.mass_email.send_campaign_emails",
				campaign=campaign,
				queue="long",
				job_id=job_id(campaign),
				deduplicate=True,
				enqueue_after_commit=True,
				now=frappe.flags.in_test,
			)
			resumed.append(campaign)
	return resumed
