"""Portal and email output: nothing a user typed reaches a portal page, a notification
or an email as live markup, including values shaped as JSON (which Frappe's sanitizer
stores unchanged)."""

import frappe

from crm_plus.tests.http.fixtures import CUSTOMER_A, make_repair, publish, user_of
from crm_plus.tests.http.run import fresh, succeeded

GROUP = "Portal and email output"
# each parses as JSON, so Frappe stores it as typed
IMG = '"<img src=x onerror=alert(1)>"'
SCRIPT = '"<script>alert(2)</script>"'
LIVE = ("<img src=x onerror", "<script>alert(2)")


def assert_inert(text: str, where: str) -> None:
	for marker in LIVE:
		assert marker not in (text or ""), f"live markup {marker!r} in {where}"


def run(s) -> None:
	from crm_plus.tests.http.cases.abuse import clear_rate_limits

	clear_rate_limits()

	def complaint_pages():
		response = s["portal_a"].call("crm_plus.api.service.file_complaint", subject=IMG, description=SCRIPT)
		succeeded(response)
		name = response.message
		complaint = frappe.get_doc("Customer Complaint", name)
		complaint.update({"status": "Resolved", "resolution": SCRIPT})
		complaint.save()
		publish()
		listing = s["portal_a"].page("/service")
		succeeded(listing)
		assert_inert(listing.text, "/service")
		assert "&lt;img" in listing.text or "&#34;&lt;img" in listing.text, "the subject is shown, as text"
		page = s["portal_a"].page(f"/service/complaint?name={name}")
		succeeded(page)
		assert_inert(page.text, "/service/complaint")

	s.attack("a portal user's complaint subject, description and resolution, shaped as JSON", complaint_pages)

	def portal_messages():
		complaint = s["portal_a"].call("crm_plus.api.service.file_complaint", subject="Leak", description="x").message
		succeeded(s["portal_a"].call("crm_plus.api.service.reply", complaint=complaint, message=SCRIPT))
		frappe.get_doc(
			{
				"doctype": "Communication", "communication_type": "Communication", "sent_or_received": "Sent",
				"subject": "Re: Leak", "content": f"<p>For you</p>{IMG}", "recipients": user_of("portal_a"),
				"reference_doctype": "Customer Complaint", "reference_name": complaint,
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Communication", "communication_type": "Communication", "sent_or_received": "Sent",
				"subject": "Internal", "content": "<p>supplier price 12.30</p>", "recipients": "supplier@example.com",
				"reference_doctype": "Customer Complaint", "reference_name": complaint,
			}
		).insert(ignore_permissions=True)
		publish()
		page = s["portal_a"].page(f"/service/complaint?name={complaint}")
		succeeded(page)
		assert_inert(page.text, "the complaint's messages")
		assert "For you" in page.text, "staff's message to them shows"
		assert "supplier price" not in page.text, "staff's other mails about it do not"

	s.attack("a portal user's message, staff's answer and staff's other mails on the portal", portal_messages)

	def rich_text_is_sanitized_at_render():
		response = s["portal_a"].call("crm_plus.api.service.file_complaint", subject="Leak", description="water")
		name = response.message
		# stored as is (as a value that bypassed the sanitizer would be)
		frappe.db.set_value("Customer Complaint", name, "description", '<p onclick="alert(3)">ok</p><iframe src="//evil"></iframe><a href="javascript:alert(4)">x</a>')
		publish()
		page = s["portal_a"].page(f"/service/complaint?name={name}")
		succeeded(page)
		for marker in ("onclick", "<iframe", "javascript:"):
			assert marker not in page.text, f"{marker} survived the allow-list"
		assert "<p>ok</p>" in page.text, "harmless markup stays"

	s.attack("stored rich text with handlers, frames and javascript: links", rich_text_is_sanitized_at_render)

	def repair_page():
		name = make_repair(CUSTOMER_A, fault_description=IMG, serial_no=None)
		page = s["portal_a"].page(f"/service/repair?name={name}")
		succeeded(page)
		assert_inert(page.text, "/service/repair")

	s.attack("a repair order's fault description on the portal", repair_page)

	def notifications_and_mail():
		subject = f'"<img src=x onerror=alert(1)> {frappe.generate_hash(length=5)}"'
		response = s["portal_a"].call("crm_plus.api.service.file_complaint", subject=subject, description="x")
		succeeded(response)
		name = response.message
		db = fresh()
		todos = db.get_all("ToDo", filters={"reference_type": "Customer Complaint", "reference_name": name}, pluck="description")
		assert todos, "the assignment made a ToDo"
		for text in todos:
			assert_inert(text, "the assignee's ToDo")
		logs = db.get_all("Notification Log", filters={"document_name": name}, fields=["subject", "email_content"])
		for log in logs:
			assert_inert(log.subject, "a notification's subject")
			assert_inert(log.email_content, "a notification's email")
		mails = db.get_all("Email Queue", filters={"reference_name": name}, pluck="message")
		for message in mails:
			assert_inert(message, "an email")

	s.attack("a complaint subject in the assignee's ToDo, notification and email", notifications_and_mail)

	def mass_mail_merge_fields():
		from crm_plus.marketing.mass_email import _send_one

		campaign = frappe.get_doc(
			{
				"doctype": "Marketing Campaign",
				"campaign_name": f"_CP HTTP Mail {frappe.generate_hash(length=5)}",
				"purpose": "Product Launch",
				"company": "Wind Power LLC",
				"start_date": frappe.utils.nowdate(),
				"end_date": frappe.utils.nowdate(),
			}
		).insert()
		member = frappe._dict(member_type="Customer", member=CUSTOMER_A, member_name=IMG, email=user_of("portal_a"))
		_send_one(campaign, member, "Hello {{ first_name }}", "<p>Dear {{ member_name }}</p>", set(), set())
		message = frappe.db.get_value("Email Queue", {"reference_name": campaign.name}, "message")
		assert message, "the campaign email is queued"
		assert_inert(message, "a campaign email")

	s.attack("a member's name in a campaign email's merge fields", mass_mail_merge_fields)
