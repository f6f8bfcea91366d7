import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from crm_plus.api.marketing import resolve_audience, send_emails
from crm_plus.crm_plus.report.campaign_roi.campaign_roi import execute as campaign_roi
from crm_plus.marketing.costs import DIMENSION_FIELD
from crm_plus.marketing.mass_email import CampaignEmailError
from crm_plus.tests.factories import COMPANY, add_stock, make_customer, make_item, make_lead, make_selling_doc, make_user

CAMPAIGN = "Marketing Campaign"


def make_campaign(name: str, **values):
	doc = frappe.get_doc(
		{"doctype": CAMPAIGN, "campaign_name": name, "company": COMPANY, "start_date": nowdate(), "purpose": "Product Launch", **values}
	)
	doc.insert()
	return doc


def make_template(name: str, subject: str, body: str) -> str:
	if not frappe.db.exists("Email Template", name):
		frappe.get_doc({"doctype": "Email Template", "name": name, "subject": subject, "response": body}).insert()
	return name


def expense_account(name="Marketing Expenses") -> str:
	return frappe.db.get_value("Account", {"account_name": name, "company": COMPANY})


class TestCampaignAttributionAndROI(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def test_campaign_keeps_an_erpnext_campaign_in_step(self):
		doc = make_campaign("_CP Spring Launch", description="New tea range")
		self.assertEqual(frappe.db.get_value("Campaign", doc.campaign, ["campaign_name", "description"]), ("_CP Spring Launch", "New tea range"))
		doc.description = "New tea range, wave 2"
		doc.save()
		self.assertEqual(frappe.db.get_value("Campaign", doc.campaign, "description"), "New tea range, wave 2")

	def test_funnel_revenue_gross_profit_costs_and_roi(self):
		from erpnext.selling.doctype.quotation.quotation import make_sales_order
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note, make_sales_invoice

		doc = make_campaign("_CP Trade Show", purpose="Trade Show",
			budget=[{"cost_category": "Events and Trade Shows", "budget_amount": 400, "account": expense_account()},
				{"cost_category": "Other", "budget_amount": 100}],
			costs=[{"cost_category": "Other", "amount": 100, "date": nowdate()}])
		make_item("_CP Campaign Item")
		add_stock("_CP Campaign Item", 10, rate=20)
		customer = make_customer("_CP Campaign Buyer")

		lead = make_lead("_CP Campaign Lead")
		frappe.db.set_value("Lead", lead, "campaign_name", doc.campaign)
		frappe.get_doc({"doctype": "Opportunity", "opportunity_from": "Customer", "party_name": customer, "company": COMPANY, "campaign": doc.campaign}).insert()
		quotation = make_selling_doc("Quotation", [{"item_code": "_CP Campaign Item", "qty": 5}], party_name=customer, campaign=doc.campaign)
		quotation.submit()
		so = make_sales_order(quotation.name)
		so.delivery_date = add_days(nowdate(), 5)
		so.insert()
		so.submit()
		self.assertEqual(so.campaign, doc.campaign)  # carried down the chain by ERPNext
		dn = make_delivery_note(so.name)
		dn.insert()
		dn.submit()
		invoice = make_sales_invoice(so.name)
		invoice.insert()
		invoice.submit()
		self.assertEqual((dn.campaign, invoice.campaign), (doc.campaign, doc.campaign))

		# costs from the books: a purchase invoice line and a journal entry line tagged with the campaign
		tag_purchase_invoice(doc.name, 300)
		tag_journal_entry(doc.name, 200)
		frappe.local.message_log = []
		doc.reload()
		doc.save()
		self.assertEqual((doc.cost_from_books, doc.total_cost, doc.total_budget), (500, 600, 500))
		self.assertEqual([(b.cost_category, b.actual_amount) for b in doc.budget], [("Events and Trade Shows", 500), ("Other", 100)])
		self.assertTrue(any("Over Budget" in str(m) for m in frappe.local.message_log), "over-budget warning shown")

		_, data, _, chart, summary = campaign_roi({"company": COMPANY, "campaign": doc.name})
		row = data[0]
		self.assertEqual(
			(row["leads"], row["opportunities"], row["quotations"], row["orders"]), (1, 1, 1, 1)
		)
		self.assertEqual(row["revenue"], 500)  # 5 × 100
		self.assertEqual(row["gross_profit"], 500 - 5 * 20)  # cost of the 5 delivered at 20
		self.assertEqual(row["cost"], 600)
		self.assertEqual(row["roi_revenue"], round((500 - 600) / 600 * 100, 2))
		self.assertEqual(row["roi_gross_profit"], round((400 - 600) / 600 * 100, 2))
		self.assertEqual((row["cost_per_lead"], row["cost_per_order"]), (600, 600))
		self.assertEqual(chart["data"]["datasets"][0]["values"], [1, 1, 1, 1])

	def test_roi_query_count_is_fixed(self):
		make_campaign("_CP Count 0")
		campaign_roi({"company": COMPANY})  # warm caches
		with self.assertQueryCount(6):
			small = campaign_roi({"company": COMPANY})[1]
		for i in range(1, 6):
			make_campaign(f"_CP Count {i}")
		with self.assertQueryCount(6):
			large = campaign_roi({"company": COMPANY})[1]
		self.assertEqual(len(large) - len(small), 5)

	def test_stock_clearance_shows_stock_at_start_and_now(self):
		make_item("_CP Clearance Item")
		add_stock("_CP Clearance Item", 40)
		doc = make_campaign("_CP Clearance", purpose="Stock Clearance", status="Running", items=[{"item_code": "_CP Clearance Item"}])
		self.assertEqual(doc.items[0].stock_at_start, 40)
		so = make_selling_doc("Sales Order", [{"item_code": "_CP Clearance Item", "qty": 15}])
		so.submit()
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

		dn = make_delivery_note(so.name)
		dn.insert()
		dn.submit()
		doc = frappe.get_doc(CAMPAIGN, doc.name)
		doc.run_method("onload")
		self.assertEqual((doc.items[0].stock_at_start, doc.items[0].stock_now), (40, 25))


def tag_purchase_invoice(campaign: str, amount: float) -> None:
	supplier = "_CP Campaign Supplier"
	if not frappe.db.exists("Supplier", supplier):
		frappe.get_doc({"doctype": "Supplier", "supplier_name": supplier, "supplier_group": "All Supplier Groups"}).insert()
	make_item("_CP Booth Rental", is_stock_item=0)
	pi = frappe.get_doc({"doctype": "Purchase Invoice", "company": COMPANY, "supplier": supplier,
		"items": [{"item_code": "_CP Booth Rental", "qty": 1, "rate": amount, "expense_account": expense_account(), DIMENSION_FIELD: campaign}]})
	pi.insert()
	pi.submit()


def tag_journal_entry(campaign: str, amount: float) -> None:
	cash = frappe.db.get_value("Account", {"account_type": "Cash", "company": COMPANY, "is_group": 0})
	je = frappe.get_doc({"doctype": "Journal Entry", "company": COMPANY, "posting_date": nowdate(), "accounts": [
		{"account": expense_account(), "debit_in_account_currency": amount, DIMENSION_FIELD: campaign,
			"cost_center": frappe.get_cached_value("Company", COMPANY, "cost_center")},
		{"account": cash, "credit_in_account_currency": amount, "cost_center": frappe.get_cached_value("Company", COMPANY, "cost_center")}]})
	je.insert()
	je.submit()


class TestCampaignBadInput(FrappeTestCase):
	def test_end_before_start(self):
		with self.assertRaises(frappe.ValidationError):
			make_campaign("_CP Backwards", end_date=add_days(nowdate(), -1))
		self.assertFalse(frappe.db.exists(CAMPAIGN, "_CP Backwards"))
		self.assertFalse(frappe.db.exists("Campaign", {"campaign_name": "_CP Backwards"}))

	def test_negative_budget(self):
		with self.assertRaises(frappe.ValidationError):
			make_campaign("_CP Negative", budget=[{"cost_category": "Advertising", "budget_amount": -5}])
		self.assertFalse(frappe.db.exists(CAMPAIGN, "_CP Negative"))

	def test_template_with_an_unknown_field(self):
		make_customer("_CP Mail Buyer")
		frappe.db.set_value("Customer", "_CP Mail Buyer", "email_id", "cp.mail.buyer@example.com")
		doc = make_campaign("_CP Bad Template", email_template=make_template("_CP Bad Template", "Hi {{ first_name }}", "Your balance: {{ outstanding_amount }}"),
			audience_rules=[{"rule": "Customer", "value": "_CP Mail Buyer"}])
		resolve_audience(doc.name)
		with self.assertRaises(CampaignEmailError) as caught:
			send_emails(doc.name)
		self.assertIn("outstanding_amount", str(caught.exception))
		self.assertEqual(frappe.db.count("Email Queue", {"reference_doctype": CAMPAIGN, "reference_name": doc.name}), 0)


class TestCampaignAudience(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		if not frappe.db.exists("Customer Group", "_CP VIP"):
			frappe.get_doc({"doctype": "Customer Group", "customer_group_name": "_CP VIP", "parent_customer_group": "All Customer Groups"}).insert()
		if not frappe.db.exists("Territory", "_CP East"):
			frappe.get_doc({"doctype": "Territory", "territory_name": "_CP East", "parent_territory": "All Territories"}).insert()
		cls.vip = make_customer("_CP Aud VIP")
		frappe.db.set_value("Customer", cls.vip, {"customer_group": "_CP VIP", "email_id": "cp.vip@example.com"})
		cls.east = make_customer("_CP Aud East")
		frappe.db.set_value("Customer", cls.east, {"territory": "_CP East", "email_id": "cp.east@example.com"})
		cls.lost = make_customer("_CP Aud Lost")
		frappe.db.set_value("Customer", cls.lost, {"crm_plus_lifecycle_status": "Lost", "email_id": "cp.lost@example.com"})
		cls.buyer = make_customer("_CP Aud Buyer")
		make_item("_CP Aud Item", is_stock_item=0)
		from crm_plus.tests.factories import make_sales_invoice

		make_sales_invoice(cls.buyer, "_CP Aud Item")
		cls.lead = make_lead("_CP Aud Lead")
		frappe.db.set_value("Lead", cls.lead, "email_id", "cp.lead@example.com")
		cls.contact = frappe.get_doc({"doctype": "Contact", "first_name": "Aud Contact", "email_ids": [{"email_id": "cp.contact@example.com", "is_primary": 1}]}).insert().name

	def members(self, rules):
		doc = make_campaign(f"_CP Aud {frappe.generate_hash(length=6)}", audience_rules=rules)
		resolve_audience(doc.name)
		doc.reload()
		return {(m.member_type, m.member) for m in doc.members}

	def test_each_rule(self):
		self.assertIn(("Customer", self.vip), self.members([{"rule": "Customer Group", "value": "_CP VIP"}]))
		self.assertEqual(self.members([{"rule": "Customer Group", "value": "_CP VIP"}]), {("Customer", self.vip)})
		self.assertEqual(self.members([{"rule": "Territory", "value": "_CP East"}]), {("Customer", self.east)})
		self.assertIn(("Customer", self.lost), self.members([{"rule": "Lifecycle Status", "status_value": "Lost"}]))
		self.assertEqual(self.members([{"rule": "Purchased Item", "value": "_CP Aud Item"}]), {("Customer", self.buyer)})
		self.assertEqual(self.members([{"rule": "Customer", "value": self.east}]), {("Customer", self.east)})
		self.assertEqual(self.members([{"rule": "Lead", "value": self.lead}]), {("Lead", self.lead)})
		self.assertIn(("Lead", self.lead), self.members([{"rule": "Lead Status", "status_value": "Lead"}]))
		self.assertEqual(self.members([{"rule": "Contact", "value": self.contact}]), {("Contact", self.contact)})
		both = self.members([{"rule": "Territory", "value": "_CP East"}, {"rule": "Lead", "value": self.lead}])
		self.assertEqual(both, {("Customer", self.east), ("Lead", self.lead)})

	def test_bad_rule(self):
		with self.assertRaises(frappe.ValidationError):
			make_campaign("_CP Bad Rule", audience_rules=[{"rule": "Lifecycle Status", "status_value": "Sleeping"}])


class TestCampaignEmail(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def test_queue_skips_duplicates_invalid_and_unsubscribed_and_never_sends_twice(self):
		customers = {}
		for key, email in (("a", "cp.one@example.com"), ("b", "cp.one@example.com"), ("c", "not-an-email"), ("d", "cp.gone@example.com"), ("e", "cp.two@example.com")):
			customers[key] = make_customer(f"_CP Mail {key}")
			frappe.db.set_value("Customer", customers[key], "email_id", email)
		frappe.get_doc({"doctype": "Email Unsubscribe", "email": "cp.gone@example.com", "global_unsubscribe": 1}).insert(ignore_permissions=True)
		template = make_template("_CP Launch Mail", "News for {{ member_name }}", "<p>Dear {{ first_name }}, see our {{ campaign }}.</p>")
		doc = make_campaign("_CP Mailing", email_template=template, audience_rules=[{"rule": "Customer", "value": c} for c in customers.values()])
		resolve_audience(doc.name)

		result = send_emails(doc.name)

		doc.reload()
		queue = frappe.get_all("Email Queue", filters={"reference_doctype": CAMPAIGN, "reference_name": doc.name}, fields=["name", "message"])
		recipients = frappe.get_all("Email Queue Recipient", filters={"parent": ["in", [q.name for q in queue]]}, pluck="recipient")
		self.assertEqual(sorted(recipients), ["cp.one@example.com", "cp.two@example.com"])
		self.assertEqual(result["queued"], 5)
		self.assertEqual((doc.emails_queued, doc.emails_duplicate, doc.emails_invalid, doc.emails_unsubscribed, doc.emails_failed), (2, 1, 1, 1, 0))
		self.assertEqual(doc.email_status, "Sent")
		statuses = {m.member: m.email_status for m in doc.members}
		self.assertEqual(statuses[customers["d"]], "Unsubscribed")
		self.assertEqual(statuses[customers["c"]], "Invalid Email")

		again = send_emails(doc.name)
		self.assertEqual(again["queued"], 0)
		self.assertEqual(frappe.db.count("Email Queue", {"reference_doctype": CAMPAIGN, "reference_name": doc.name}), 2)


	def test_hourly_job_takes_up_a_stalled_send(self):
		from frappe.utils import add_to_date, now_datetime

		from crm_plus.marketing.mass_email import resume_campaign_emails

		customers = [make_customer(f"_CP Stalled {n}") for n in range(3)]
		for n, customer in enumerate(customers):
			frappe.db.set_value("Customer", customer, "email_id", f"cp.stalled{n}@example.com")
		template = make_template("_CP Stalled Mail", "News for {{ member_name }}", "<p>Dear {{ first_name }}</p>")
		doc = make_campaign("_CP Stalled", email_template=template, audience_rules=[{"rule": "Customer", "value": c} for c in customers])
		resolve_audience(doc.name)
		doc.reload()
		# a worker died after queueing one member's mail: the rest are still Pending
		frappe.db.set_value("Marketing Campaign Member", doc.members[0].name, "email_status", "Queued")
		frappe.db.set_value(CAMPAIGN, doc.name, "email_status", "Sending")
		self.assertEqual(resume_campaign_emails(), [])  # not stalled yet: it may still be working
		frappe.db.set_value(CAMPAIGN, doc.name, "modified", add_to_date(now_datetime(), hours=-1), update_modified=False)

		self.assertEqual(resume_campaign_emails(), [doc.name])

		doc.reload()
		self.assertEqual((doc.email_status, doc.emails_queued), ("Sent", 3))
		queued = frappe.get_all("Email Queue", {"reference_doctype": CAMPAIGN, "reference_name": doc.name}, pluck="name")
		self.assertEqual(len(queued), 2)  # the two still due; the one queued before is not queued again


class TestCampaignPermissions(FrappeTestCase):
	def test_marketing_manager_may_sales_user_may_only_read(self):
		frappe.set_user("Administrator")
		doc = make_campaign("_CP Perm Campaign", audience_rules=[{"rule": "Customer", "value": make_customer("_CP Perm Buyer")}])
		manager = make_user("cp.marketing.manager@example.com", ["Marketing Manager"])
		seller = make_user("cp.seller@example.com", ["Sales User"])
		stranger = make_user("cp.stranger@example.com")
		try:
			frappe.set_user(manager)
			self.assertEqual(resolve_audience(doc.name)["members"], 1)
			make_campaign("_CP Managers Own")
			frappe.set_user(seller)
			self.assertTrue(frappe.has_permission(CAMPAIGN, "read", doc=doc.name))
			with self.assertRaises(frappe.PermissionError):
				resolve_audience(doc.name)
			with self.assertRaises(frappe.PermissionError):
				send_emails(doc.name)
			frappe.set_user(stranger)
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(CAMPAIGN, doc.name).check_permission("read")
		finally:
			frappe.set_user("Administrator")
