import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from crm_plus.review.workflow import ReviewError, remove_workflows, sync_workflows, workflow_name
from crm_plus.tests.factories import make_item, make_selling_doc, make_user

ITEM = "_CP Review Item"
AUTHOR = "_cp_review_author@example.com"
PEER = "_cp_review_peer@example.com"
MANAGER = "_cp_review_manager@example.com"


def set_review(**values):
	frappe.set_user("Administrator")
	settings = frappe.get_single("CRM Plus Settings")
	settings.update(
		{
			"review_enabled": 1,
			"review_quotation": 1,
			"review_sales_order": 1,
			"review_approver_role": "Sales User",
			"review_manager_role": "Sales Manager",
			"review_amount_threshold": 10000,
			"review_discount_threshold": 10,
			"review_allow_self_approval": 0,
			"stock_shortage_mode": "Off",
			"contract_check_mode": "Off",
			**values,
		}
	)
	settings.save()


class TestReviewWorkflow(FrappeTestCase):
	def setUp(self):
		make_user(AUTHOR, ["Sales User"])
		make_user(PEER, ["Sales User"])
		make_user(MANAGER, ["Sales User", "Sales Manager"])
		frappe.set_user("Administrator")
		make_item(ITEM, is_stock_item=0)
		set_review()

	def tearDown(self):
		set_review(review_enabled=0)

	def draft(self, doctype="Quotation", qty=5, rate=100, discount=0):
		frappe.set_user(AUTHOR)
		line = {"item_code": ITEM, "qty": qty, "rate": rate}
		if discount:
			line.update({"price_list_rate": rate, "discount_percentage": discount})
		return make_selling_doc(doctype, [line])

	def act(self, user, doc, action):
		frappe.set_user(user)
		return apply_workflow(doc.as_dict(), action)

	def notified(self, user, doc):
		return frappe.db.count("Notification Log", {"for_user": user, "document_type": doc.doctype, "document_name": doc.name})

	def test_workflows_are_data_and_switching_off_restores_plain_flow(self):
		for doctype in ("Quotation", "Sales Order"):
			self.assertEqual(frappe.db.get_value("Workflow", workflow_name(doctype), "is_active"), 1)
		set_review(review_enabled=0)
		for doctype in ("Quotation", "Sales Order"):
			self.assertEqual(frappe.db.get_value("Workflow", workflow_name(doctype), "is_active"), 0)
		doc = self.draft()
		doc.submit()  # ERPNext's plain submit
		self.assertEqual(doc.docstatus, 1)

	def test_small_quotation_approved_by_a_peer(self):
		doc = self.draft()
		doc = self.act(AUTHOR, doc, "Submit for Review")
		self.assertEqual((doc.crm_plus_review_state, doc.crm_plus_review_level, doc.docstatus), ("Pending Review", "Approver", 0))
		self.assertEqual(self.notified(PEER, doc), 1)
		self.assertEqual(self.notified(AUTHOR, doc), 0)
		doc = self.act(PEER, doc, "Approve")
		self.assertEqual((doc.crm_plus_review_state, doc.docstatus), ("Approved", 1))

	def test_approving_own_document_is_refused(self):
		doc = self.act(AUTHOR, self.draft(), "Submit for Review")
		with self.assertRaises(frappe.ValidationError) as caught:
			self.act(AUTHOR, doc, "Approve")
		self.assertIn("Self approval is not allowed", str(caught.exception))
		# a plain save that sets the state is refused too, with our message
		frappe.set_user(AUTHOR)
		bypass = frappe.get_doc("Quotation", doc.name)
		bypass.crm_plus_review_state = "Approved"
		with self.assertRaises(frappe.ValidationError):
			bypass.submit()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Quotation", doc.name, ["docstatus", "crm_plus_review_state"]), (0, "Pending Review"))
		# unless the settings allow it
		set_review(review_allow_self_approval=1)
		doc = self.act(AUTHOR, frappe.get_doc("Quotation", doc.name), "Approve")
		self.assertEqual(doc.docstatus, 1)

	def test_above_amount_threshold_needs_a_manager(self):
		doc = self.act(AUTHOR, self.draft(qty=150), "Submit for Review")
		self.assertEqual(doc.crm_plus_review_level, "Manager")
		self.assertEqual(self.notified(MANAGER, doc), 1)
		with self.assertRaises(ReviewError) as caught:
			self.act(PEER, doc, "Approve")
		self.assertIn("Sales Manager", str(caught.exception))
		doc = self.act(MANAGER, frappe.get_doc("Quotation", doc.name), "Approve")
		self.assertEqual((doc.crm_plus_review_state, doc.docstatus), ("Approved", 1))

	def test_above_discount_threshold_needs_a_manager(self):
		doc = self.act(AUTHOR, self.draft(discount=15), "Submit for Review")
		self.assertEqual(doc.crm_plus_review_level, "Manager")
		self.assertRaises(ReviewError, self.act, PEER, doc, "Approve")

	def test_rejected_goes_back_to_the_author_and_can_be_resubmitted(self):
		doc = self.act(AUTHOR, self.draft(), "Submit for Review")
		doc = self.act(PEER, doc, "Reject")
		self.assertEqual((doc.crm_plus_review_state, doc.docstatus), ("Rejected", 0))
		self.assertEqual(self.notified(AUTHOR, doc), 1)
		doc = self.act(AUTHOR, doc, "Submit for Review")
		self.assertEqual(doc.crm_plus_review_state, "Pending Review")

	def test_author_cannot_skip_review(self):
		doc = self.draft()
		self.assertRaises(frappe.ValidationError, self.act, AUTHOR, doc, "Approve")

	def test_sales_order_review(self):
		doc = self.act(AUTHOR, self.draft("Sales Order"), "Submit for Review")
		doc = self.act(PEER, doc, "Approve")
		self.assertEqual((doc.doctype, doc.crm_plus_review_state, doc.docstatus), ("Sales Order", "Approved", 1))

	def test_uninstall_removes_the_workflows_and_our_masters(self):
		remove_workflows()
		for doctype in ("Quotation", "Sales Order"):
			self.assertFalse(frappe.db.exists("Workflow", workflow_name(doctype)))
		self.assertFalse(frappe.db.exists("Workflow State", "Pending Review"))
		self.assertFalse(frappe.db.exists("Workflow Action Master", "Submit for Review"))
		self.assertTrue(frappe.db.exists("Workflow State", "Approved"))  # Frappe's own stays
		sync_workflows()  # and back, as a reinstall makes them
		self.assertEqual(frappe.db.get_value("Workflow", workflow_name("Quotation"), "is_active"), 1)
