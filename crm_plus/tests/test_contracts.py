import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, nowdate

from crm_plus.api.contract import make_renewal, terminate
from crm_plus.contracts.lifecycle import (
	ContractRequiredError,
	send_contract_reminders,
	update_contract_statuses,
)
from crm_plus.crm_plus.doctype.contract_document.contract_document import ContractError
from crm_plus.tests.factories import (
	make_contract_document,
	make_customer,
	make_item,
	make_selling_doc,
	make_user,
)

CONTRACT = "Contract Document"
MANAGER = "_cp_contract_manager@example.com"
STRANGER = "_cp_contract_stranger@example.com"


def set_setting(**values):
	settings = frappe.get_single("CRM Plus Settings")
	settings.update(values)
	settings.save()


class TestContractLifecycle(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		set_setting(contract_expiring_days=30, contract_reminder_days=30)

	def test_submit_sets_status_and_milestone_amounts(self):
		contract = make_contract_document(
			value=1000,
			milestones=[
				{"due_date": add_days(nowdate(), 30), "percent": 40, "condition": "On signing"},
				{"due_date": add_days(nowdate(), 90), "amount": 600, "condition": "On delivery"},
			],
		)
		self.assertEqual(contract.status, "Active")
		self.assertRegex(contract.name, r"^CON-\d{4}-\d+$")
		self.assertEqual([m.amount for m in contract.milestones], [400, 600])

	def test_daily_job_moves_active_expiring_expired_and_is_rerunnable(self):
		contract = make_contract_document(end=add_days(nowdate(), 100))
		end = getdate(contract.end_date)
		self.assertGreaterEqual(update_contract_statuses(add_days(end, -10)), 1)
		self.assertEqual(frappe.db.get_value(CONTRACT, contract.name, "status"), "Expiring")
		update_contract_statuses(add_days(end, -10))
		self.assertEqual(frappe.db.get_value(CONTRACT, contract.name, "status"), "Expiring")
		update_contract_statuses(add_days(end, 1))
		self.assertEqual(frappe.db.get_value(CONTRACT, contract.name, "status"), "Expired")
		update_contract_statuses(add_days(end, 1))
		self.assertEqual(frappe.db.get_value(CONTRACT, contract.name, "status"), "Expired")

	def test_submitted_contract_is_immutable_except_signing_fields_and_keeps_versions(self):
		contract = make_contract_document()
		contract.signed_file = "/files/signed-contract.pdf"
		contract.save(ignore_version=False)  # Frappe skips versions in tests unless asked
		self.assertTrue(frappe.db.exists("Version", {"ref_doctype": CONTRACT, "docname": contract.name}))
		contract.reload()
		contract.contract_value = 5000
		self.assertRaises(frappe.UpdateAfterSubmitError, contract.save)

	def test_amendment_keeps_the_chain(self):
		contract = make_contract_document()
		contract.cancel()
		self.assertEqual(frappe.db.get_value(CONTRACT, contract.name, "status"), "Cancelled")
		amended = frappe.copy_doc(contract)
		amended.amended_from = contract.name
		amended.docstatus = 0
		amended.contract_value = 1200
		amended.insert()
		amended.submit()
		self.assertEqual(amended.name, f"{contract.name}-1")
		self.assertEqual(amended.status, "Active")

	def test_renewal_makes_the_successor_and_links_both(self):
		contract = make_contract_document(
			start=add_days(nowdate(), -300), end=add_days(nowdate(), 10),
			milestones=[{"due_date": add_days(nowdate(), -100), "percent": 100}],
		)
		successor = frappe.get_doc(make_renewal(contract.name))
		successor.insert()
		self.assertEqual(getdate(successor.start_date), getdate(add_days(nowdate(), 11)))
		self.assertEqual(successor.renewed_from, contract.name)
		self.assertEqual(successor.status, "Draft")
		successor.submit()
		contract.reload()
		self.assertEqual((contract.status, contract.renewed_to), ("Renewed", successor.name))
		# a renewed contract is not renewed twice, and the status job leaves it alone
		self.assertRaises(frappe.ValidationError, make_renewal, contract.name)
		update_contract_statuses(add_days(nowdate(), 30))
		self.assertEqual(frappe.db.get_value(CONTRACT, contract.name, "status"), "Renewed")

	def test_deleting_the_last_draft_gives_its_number_back(self):
		draft = make_contract_document(submit=False)
		number = draft.name
		draft.delete()
		self.assertEqual(make_contract_document(submit=False).name, number)

	def test_terminate_needs_submit_permission(self):
		contract = make_contract_document()
		make_user(STRANGER, ["Accounts User"])
		frappe.set_user(STRANGER)
		self.assertRaises(frappe.PermissionError, terminate, contract.name)
		frappe.set_user("Administrator")
		self.assertEqual(terminate(contract.name), "Terminated")


class TestContractBadInput(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def count(self):
		return frappe.db.count(CONTRACT)

	def test_end_before_start(self):
		before = self.count()
		with self.assertRaises(ContractError) as caught:
			make_contract_document(start=nowdate(), end=add_days(nowdate(), -1))
		self.assertIn("before the start date", str(caught.exception))
		self.assertEqual(self.count(), before)

	def test_milestones_over_100_percent(self):
		before = self.count()
		milestones = [{"due_date": nowdate(), "percent": 60}, {"due_date": nowdate(), "percent": 50}]
		self.assertRaises(ContractError, make_contract_document, milestones=milestones)
		self.assertRaises(ContractError, make_contract_document, value=0, milestones=milestones)
		self.assertRaises(
			ContractError, make_contract_document, value=1000, milestones=[{"due_date": nowdate(), "amount": 1000.5}]
		)
		self.assertEqual(self.count(), before)

	def test_milestone_needs_percent_or_amount(self):
		self.assertRaises(ContractError, make_contract_document, milestones=[{"due_date": nowdate()}])

	def test_quotation_of_another_customer(self):
		make_item("_CP Contract Item", is_stock_item=0)
		other = make_customer("_CP Other Contract Customer")
		quotation = make_selling_doc("Quotation", [{"item_code": "_CP Contract Item", "qty": 1}])
		self.assertRaises(ContractError, make_contract_document, customer=other, quotation=quotation.name)


class TestContractReminders(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		set_setting(contract_reminder_days=30, contract_expiring_days=30)
		make_user(MANAGER, ["Sales Manager"])

	def logs(self, user, name):
		return frappe.db.count("Notification Log", {"for_user": user, "document_type": CONTRACT, "document_name": name})

	def test_owner_and_manager_told_before_end_and_milestone_once(self):
		contract = make_contract_document(
			end=add_days(nowdate(), 20),
			contract_manager=MANAGER,
			milestones=[
				{"due_date": add_days(nowdate(), 5), "percent": 50},
				{"due_date": add_days(nowdate(), 60), "percent": 50},
			],
		)
		send_contract_reminders()
		self.assertEqual(self.logs(MANAGER, contract.name), 2)  # the end date and the first milestone
		subjects = frappe.get_all("Notification Log", {"for_user": MANAGER, "document_name": contract.name}, pluck="subject")
		self.assertTrue(any("ends on" in s for s in subjects))
		self.assertTrue(any("Payment milestone" in s for s in subjects))
		send_contract_reminders()
		self.assertEqual(self.logs(MANAGER, contract.name), 2)
		# the later milestone's turn comes when it is near
		send_contract_reminders(add_days(nowdate(), 40))
		self.assertEqual(self.logs(MANAGER, contract.name), 3)


class TestSalesOrderContractCheck(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_item("_CP Contract Item", is_stock_item=0)
		# a customer per test: contracts made by one test would cover the next one's orders
		self.customer = make_customer(f"_CP Contract Customer {self._testMethodName}")
		frappe.db.set_value("Customer", self.customer, "crm_plus_contract_required", 1)

	def order(self):
		return make_selling_doc("Sales Order", [{"item_code": "_CP Contract Item", "qty": 1}], save=False, customer=self.customer)

	def test_block_without_active_contract(self):
		set_setting(contract_check_mode="Block")
		with self.assertRaises(ContractRequiredError):
			self.order().insert()
		make_contract_document(customer=self.customer, start=add_days(nowdate(), -10))
		self.order().insert()  # covered now

	def test_expired_or_future_contract_does_not_cover(self):
		set_setting(contract_check_mode="Block")
		make_contract_document(customer=self.customer, start=add_days(nowdate(), 10), end=add_days(nowdate(), 100))
		self.assertRaises(ContractRequiredError, self.order().insert)

	def test_warn_mode_saves_with_a_message(self):
		set_setting(contract_check_mode="Warn")
		frappe.clear_messages()
		order = self.order()
		order.insert()
		self.assertTrue(order.name)
		self.assertIn("requires a contract", str(frappe.message_log))

	def test_customer_without_requirement_is_not_checked(self):
		set_setting(contract_check_mode="Block")
		frappe.db.set_value("Customer", self.customer, "crm_plus_contract_required", 0)
		self.order().insert()
