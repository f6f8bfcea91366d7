import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, get_datetime, getdate, now_datetime, nowdate

from crm_plus.api.follow_up import complete_follow_up, record_follow_up
from crm_plus.crm_plus.doctype.customer_follow_up.customer_follow_up import FollowUpError
from crm_plus.relationship.follow_ups import get_timeline_content, send_daily_digest
from crm_plus.tests.factories import CUSTOMER, make_customer, make_follow_up, make_lead, make_selling_doc, make_user

FOLLOW_UP = "Customer Follow Up"
SALES_A = "_cp_sales_a@example.com"
SALES_B = "_cp_sales_b@example.com"
MANAGER = "_cp_sales_manager@example.com"


def set_setting(**values):
	settings = frappe.get_single("CRM Plus Settings")
	settings.update(values)
	settings.save()


class TestFollowUpReminders(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_customer()

	def test_next_follow_up_creates_todo_and_reminder_for_its_owner(self):
		make_user(SALES_A, ["Sales User"])
		due = add_to_date(now_datetime(), days=2)
		fu = make_follow_up(CUSTOMER, user=SALES_A, next_follow_up_on=due, next_action="Send the price list")

		todo = frappe.get_doc("ToDo", fu.todo)
		self.assertEqual((todo.allocated_to, todo.status, todo.reference_type, todo.reference_name), (SALES_A, "Open", FOLLOW_UP, fu.name))
		self.assertEqual(getdate(todo.date), getdate(due))
		self.assertIn("Send the price list", todo.description)
		reminder = frappe.get_doc("Reminder", fu.reminder)
		self.assertEqual((reminder.user, get_datetime(reminder.remind_at)), (SALES_A, get_datetime(due)))
		self.assertEqual(fu.next_follow_up_status, "Open")

	def test_moving_the_date_moves_todo_and_reminder(self):
		fu = make_follow_up(CUSTOMER, next_action="Visit")
		later = add_to_date(now_datetime(), days=5)
		fu.next_follow_up_on = later
		fu.save()
		self.assertEqual(getdate(frappe.db.get_value("ToDo", fu.todo, "date")), getdate(later))
		self.assertEqual(get_datetime(frappe.db.get_value("Reminder", fu.reminder, "remind_at")), get_datetime(later))
		self.assertEqual(frappe.db.count("ToDo", {"reference_name": fu.name}), 1)

	def test_complete_is_one_call_that_records_outcome_and_schedules_the_next(self):
		fu = make_follow_up(CUSTOMER, next_action="Call back about the quote")
		reminder = fu.reminder
		nxt = add_to_date(now_datetime(), days=7)

		new_name = complete_follow_up(fu.name, outcome="Wants 10 units", next_follow_up_on=str(nxt), next_action="Send quote")

		fu.reload()
		done = frappe.get_doc(FOLLOW_UP, new_name)
		self.assertEqual((fu.next_follow_up_status, fu.completed_by), ("Done", new_name))
		self.assertEqual(frappe.db.get_value("ToDo", fu.todo, "status"), "Closed")
		self.assertFalse(frappe.db.exists("Reminder", reminder))
		self.assertEqual((done.outcome, done.summary, done.previous_follow_up), ("Wants 10 units", "Call back about the quote", fu.name))
		self.assertEqual(frappe.db.get_value("ToDo", done.todo, "status"), "Open")

		with self.assertRaises(FollowUpError):
			complete_follow_up(fu.name, outcome="again")

	def test_clearing_the_next_date_cancels_todo(self):
		fu = make_follow_up(CUSTOMER, next_action="Visit")
		fu.next_follow_up_on = None
		fu.next_action = None
		fu.save()
		self.assertEqual(fu.next_follow_up_status, "Cancelled")
		self.assertEqual(frappe.db.get_value("ToDo", fu.todo, "status"), "Cancelled")

	def test_record_from_a_form_with_a_quick_pick(self):
		name = record_follow_up("Customer", CUSTOMER, summary="Met at the fair", next_in="Tomorrow", next_action="Send samples")
		fu = frappe.get_doc(FOLLOW_UP, name)
		self.assertEqual(get_datetime(fu.next_follow_up_on), get_datetime(f"{add_days(nowdate(), 1)} 09:00:00"))
		self.assertTrue(frappe.db.exists("ToDo", {"reference_name": name, "status": "Open"}))


class TestFollowUpBadInput(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_customer()

	def assert_refused(self, **values):
		before = frappe.db.count(FOLLOW_UP)
		todos = frappe.db.count("ToDo")
		with self.assertRaises(frappe.ValidationError) as caught:
			make_follow_up(values.pop("party", CUSTOMER), **values)
		self.assertEqual(frappe.db.count(FOLLOW_UP), before)
		self.assertEqual(frappe.db.count("ToDo"), todos)
		return str(caught.exception)

	def test_disabled_customer(self):
		name = make_customer("_CP Disabled Customer")
		frappe.db.set_value("Customer", name, "disabled", 1)
		self.assertIn("disabled", self.assert_refused(party=name))

	def test_next_date_in_the_past(self):
		message = self.assert_refused(next_follow_up_on=add_to_date(now_datetime(), hours=-1), next_action="x")
		self.assertIn("future", message)

	def test_next_date_without_action(self):
		self.assert_refused(next_follow_up_on=add_to_date(now_datetime(), days=1))

	def test_quotation_of_another_customer(self):
		other = make_customer("_CP Other Customer")
		quotation = make_selling_doc("Quotation", [{"item_code": "_CP Any Item", "qty": 1}], save=False)
		quotation.party_name = other
		from crm_plus.tests.factories import make_item

		make_item("_CP Any Item")
		quotation.insert()
		self.assert_refused(quotation=quotation.name)

	def test_contact_of_someone_else(self):
		contact = frappe.get_doc({"doctype": "Contact", "first_name": "Stranger"}).insert()
		self.assert_refused(contact=contact.name)


class TestFollowUpVisibility(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		make_customer()
		make_user(SALES_A, ["Sales User"])
		make_user(SALES_B, ["Sales User"])
		make_user(MANAGER, ["Sales User", "Sales Manager"])
		cls.a = make_follow_up(CUSTOMER, user=SALES_A).name
		cls.b = make_follow_up(CUSTOMER, user=SALES_B).name

	def tearDown(self):
		frappe.set_user("Administrator")
		set_setting(follow_up_own_only=1)

	def visible_to(self, user):
		frappe.set_user(user)
		return set(frappe.get_list(FOLLOW_UP, filters={"name": ["in", [self.a, self.b]]}, pluck="name"))

	def test_sales_user_sees_own_manager_sees_all(self):
		self.assertEqual(self.visible_to(SALES_A), {self.a})
		self.assertFalse(frappe.has_permission(FOLLOW_UP, "read", doc=self.b, user=SALES_A))
		self.assertEqual(self.visible_to(MANAGER), {self.a, self.b})

	def test_setting_off_shows_all(self):
		set_setting(follow_up_own_only=0)
		self.assertEqual(self.visible_to(SALES_A), {self.a, self.b})

	def test_user_without_sales_role_is_refused(self):
		make_user("_cp_nobody@example.com")
		with self.assertRaises(frappe.PermissionError):
			self.visible_to("_cp_nobody@example.com")


class TestFollowUpAcrossERPNext(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_customer()

	def test_customer_timeline_and_dashboard(self):
		fu = make_follow_up(CUSTOMER, summary="Discussed the annual contract")
		timeline = get_timeline_content("Customer", CUSTOMER)
		self.assertTrue(any(fu.name in item["content"] and "annual contract" in item["content"] for item in timeline))

		for doctype, field in (("Customer", "customer"), ("Lead", "lead"), ("Opportunity", "opportunity"), ("Quotation", "quotation")):
			data = frappe.get_meta(doctype).get_dashboard_data()
			items = [i for t in data.transactions for i in t["items"]]
			self.assertIn(FOLLOW_UP, items, doctype)
			self.assertEqual((data.non_standard_fieldnames or {}).get(FOLLOW_UP, data.fieldname), field)

	def test_lead_follow_up_in_lead_timeline(self):
		lead = make_lead("_CP Timeline Lead")
		fu = make_follow_up(lead, party_type="Lead")
		self.assertEqual(fu.party_name, "_CP Timeline Lead")
		self.assertTrue(any(fu.name in i["content"] for i in get_timeline_content("Lead", lead)))

	def test_calendar_shows_planned_follow_ups(self):
		from frappe.desk.calendar import get_events

		fu = make_follow_up(CUSTOMER, next_action="Visit the plant")
		field_map = {"start": "next_follow_up_on", "end": "next_follow_up_on", "id": "name", "title": "party_name"}
		events = get_events(FOLLOW_UP, add_days(nowdate(), -1), add_days(nowdate(), 10), frappe.as_json(field_map))
		self.assertIn(fu.name, [e.name for e in events])


class TestDailyDigest(FrappeTestCase):
	def test_digest_lists_due_today_and_overdue(self):
		frappe.set_user("Administrator")
		make_customer()
		make_user(SALES_A, ["Sales User"])
		due = make_follow_up(CUSTOMER, user=SALES_A, next_action="Call today")
		due.db_set("next_follow_up_on", add_to_date(now_datetime(), minutes=-5))
		overdue = make_follow_up(CUSTOMER, user=SALES_A, next_action="Last week's visit")
		overdue.db_set("next_follow_up_on", add_to_date(now_datetime(), days=-3))
		make_follow_up(CUSTOMER, user=SALES_A, next_action="Next month")  # not due

		send_daily_digest()

		logs = frappe.get_all("Notification Log", filters={"for_user": SALES_A, "document_type": FOLLOW_UP}, fields=["subject", "email_content"])
		self.assertEqual(len(logs), 1)
		self.assertIn("1 today, 1 overdue", logs[0].subject)
		self.assertIn("Call today", logs[0].email_content)
		self.assertIn("Last week", logs[0].email_content)
		self.assertNotIn("Next month", logs[0].email_content)
