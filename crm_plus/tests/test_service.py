from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, get_datetime, now_datetime, nowdate

from crm_plus.crm_plus.doctype.customer_complaint.customer_complaint import ComplaintStatusError
from crm_plus.crm_plus.doctype.repair_order.repair_order import RepairStatusError
from crm_plus.service.complaints import (
	ComplaintLinkError,
	ComplaintResolutionMissingError,
	escalate_overdue_complaints,
	make_repair_order as repair_from_complaint,
	make_service_visit,
)
from crm_plus.service.repairs import RepairOrderInputError
from crm_plus.tests.factories import (
	COMPANY,
	WAREHOUSE,
	add_stock,
	make_complaint,
	make_customer,
	make_item,
	make_repair_order,
	make_selling_doc,
	make_serial_no,
	make_user,
)

AGENT = "_cp_service_agent@example.com"
AGENT_2 = "_cp_service_agent2@example.com"
MANAGER = "_cp_service_manager@example.com"
CLERK = "_cp_service_clerk@example.com"
TECH = "_cp_technician@example.com"
TECH_2 = "_cp_technician2@example.com"
OTHER_CUSTOMER = "_CP Service Other Customer"
DEVICE = "_CP Repair Device"
PART = "_CP Repair Part"
LABOUR = "_CP Repair Labour"


class ServiceTestCase(FrappeTestCase):
	"""In tests Frappe sends a Notification Log's email at once, and sending commits (which
	would keep the test's records). The email stays queued here; nothing is sent."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls._send = patch("frappe.email.doctype.email_queue.email_queue.EmailQueue.send")
		cls._send.start()

	@classmethod
	def tearDownClass(cls):
		cls._send.stop()
		super().tearDownClass()


def make_employee(user: str, reports_to: str | None = None) -> str:
	make_user(user, ["Sales User"])
	existing = frappe.db.get_value("Employee", {"user_id": user})
	if existing:
		return existing
	employee = frappe.get_doc(
		{"doctype": "Employee", "first_name": user.split("@")[0], "gender": "Male", "date_of_birth": "1990-01-01",
		 "date_of_joining": "2020-01-01", "company": COMPANY, "status": "Active", "user_id": user, "reports_to": reports_to}
	).insert()
	return employee.name


def make_device() -> str:
	if not frappe.db.exists("Item", DEVICE):
		frappe.get_doc(
			{"doctype": "Item", "item_code": DEVICE, "item_name": DEVICE, "item_group": "All Item Groups",
			 "stock_uom": "Nos", "is_stock_item": 1, "has_serial_no": 1, "warranty_period": "365"}
		).insert(ignore_permissions=True)
	return DEVICE


def notifications(user: str, doctype: str, name: str) -> list:
	return frappe.get_all(
		"Notification Log", filters={"for_user": user, "document_type": doctype, "document_name": name}, pluck="subject"
	)


def open_todos(doctype: str, name: str) -> list[str]:
	return frappe.get_all(
		"ToDo", filters={"reference_type": doctype, "reference_name": name, "status": "Open"}, pluck="allocated_to"
	)


class TestCustomerComplaint(ServiceTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		make_customer()
		make_customer(OTHER_CUSTOMER)
		make_user(AGENT, ["Service Clerk"])
		make_user(AGENT_2, ["Service Clerk"])
		make_user(MANAGER, ["Service Manager"])
		make_item(PART)
		make_device()

	def setUp(self):
		frappe.set_user("Administrator")

	def test_assignee_gets_todo_notification_and_email(self):
		complaint = make_complaint(assignee=AGENT)
		self.assertEqual(open_todos("Customer Complaint", complaint.name), [AGENT])
		self.assertTrue(notifications(AGENT, "Customer Complaint", complaint.name))
		self.assertTrue(frappe.db.exists("Email Queue Recipient", {"recipient": AGENT}))

	def test_reassignment_notifies_the_new_assignee(self):
		complaint = make_complaint(assignee=AGENT)
		complaint.assignee = AGENT_2
		complaint.save()
		self.assertEqual(open_todos("Customer Complaint", complaint.name), [AGENT_2])
		self.assertTrue(notifications(AGENT_2, "Customer Complaint", complaint.name))

	def test_unassigned_goes_to_the_least_busy_team_member(self):
		role = f"_CP Complaint Team {frappe.generate_hash(length=6)}"
		frappe.get_doc({"doctype": "Role", "role_name": role}).insert()
		self.addCleanup(frappe.db.set_single_value, "CRM Plus Settings", "complaint_team_role", "Service Clerk")
		frappe.db.set_single_value("CRM Plus Settings", "complaint_team_role", role)
		# a member who may not read complaints is passed over
		make_user(f"_cp_team_{frappe.generate_hash(length=6)}@example.com", [role])
		team = [make_user(f"_cp_team_{frappe.generate_hash(length=6)}@example.com", [role, "Service Clerk"]) for _ in (1, 2)]
		first = make_complaint()
		second = make_complaint()
		self.assertEqual({first.assignee, second.assignee}, set(team))
		self.assertEqual(open_todos("Customer Complaint", second.name), [second.assignee])

	def test_due_dates_follow_severity(self):
		complaint = make_complaint(severity="Critical", assignee=AGENT)
		opened = get_datetime(complaint.opened_on)
		self.assertEqual(get_datetime(complaint.response_by), add_to_date(opened, hours=2))
		self.assertEqual(get_datetime(complaint.resolve_by), add_to_date(opened, hours=24))

	def test_links_must_belong_to_the_customer(self):
		add_stock(PART, 5)
		order = make_selling_doc("Sales Order", [{"item_code": PART, "qty": 1}], customer=OTHER_CUSTOMER)
		count = frappe.db.count("Customer Complaint")
		with self.assertRaises(ComplaintLinkError):
			make_complaint(sales_order=order.name)
		serial = make_serial_no("_CP-SN-OTHER-1", DEVICE, customer=OTHER_CUSTOMER)
		with self.assertRaises(ComplaintLinkError):
			make_complaint(serial_no=serial)
		with self.assertRaises(ComplaintLinkError):
			make_complaint(serial_no=make_serial_no("_CP-SN-FREE-1", DEVICE), item_code=PART)
		self.assertEqual(frappe.db.count("Customer Complaint"), count)

	def test_life_closing_needs_a_resolution(self):
		complaint = make_complaint(assignee=AGENT)
		complaint.status = "In Progress"
		complaint.save()
		self.assertIsNotNone(complaint.first_responded_on)
		complaint.status = "Resolved"
		with self.assertRaises(ComplaintResolutionMissingError):
			complaint.save()
		complaint.reload()
		complaint.status = "Resolved"
		complaint.resolution = "Replaced the seal."
		complaint.root_cause = "Worn seal"
		complaint.save()
		complaint.status = "Closed"
		complaint.satisfaction_rating = 0.8
		complaint.save()
		self.assertIsNotNone(complaint.closed_on)
		self.assertEqual(open_todos("Customer Complaint", complaint.name), [])  # the rule closes the ToDo
		complaint.status = "Rejected"
		with self.assertRaises(ComplaintStatusError):
			complaint.save()

	def test_overdue_complaints_escalate_once(self):
		complaint = make_complaint(assignee=AGENT)
		frappe.db.set_value("Customer Complaint", complaint.name, "resolve_by", add_to_date(now_datetime(), hours=-1))
		self.assertIn(complaint.name, escalate_overdue_complaints())
		self.assertTrue(notifications(MANAGER, "Customer Complaint", complaint.name))
		self.assertTrue(frappe.db.get_value("Customer Complaint", complaint.name, "escalated_on"))
		self.assertNotIn(complaint.name, escalate_overdue_complaints())

	def test_salesperson_of_the_order_is_assigned_and_their_manager_gets_escalations(self):
		manager = make_employee("_cp_service_boss@example.com")
		seller = make_employee("_cp_service_seller@example.com", reports_to=manager)
		if not frappe.db.exists("Sales Person", "_CP Complaint Seller"):
			frappe.get_doc({"doctype": "Sales Person", "sales_person_name": "_CP Complaint Seller",
				"parent_sales_person": "Sales Team", "employee": seller}).insert()
		add_stock(PART, 5)
		order = make_selling_doc("Sales Order", [{"item_code": PART, "qty": 1}], save=False)
		order.append("sales_team", {"sales_person": "_CP Complaint Seller", "allocated_percentage": 100})
		order.insert()
		order.submit()

		complaint = make_complaint(sales_order=order.name, item_code=PART)
		self.assertEqual(complaint.assignee, "_cp_service_seller@example.com")
		self.assertEqual(open_todos("Customer Complaint", complaint.name), ["_cp_service_seller@example.com"])

		frappe.db.set_value("Customer Complaint", complaint.name, "response_by", add_to_date(now_datetime(), hours=-1))
		self.assertIn(complaint.name, escalate_overdue_complaints())
		self.assertTrue(notifications("_cp_service_boss@example.com", "Customer Complaint", complaint.name))
		self.assertFalse(notifications(MANAGER, "Customer Complaint", complaint.name))  # the manager, not the role

	def test_repair_order_and_visit_from_a_complaint(self):
		serial = make_serial_no("_CP-SN-OWN-1", DEVICE)
		complaint = make_complaint(serial_no=serial, assignee=AGENT)
		self.assertEqual(complaint.item_code, DEVICE)
		name = repair_from_complaint(complaint.name)
		repair = frappe.get_doc("Repair Order", name)
		self.assertEqual((repair.customer, repair.item_code, repair.serial_no, repair.complaint), (complaint.customer, DEVICE, serial, complaint.name))
		self.assertEqual(frappe.db.get_value("Customer Complaint", complaint.name, "status"), "In Progress")

		visit = frappe.get_doc(make_service_visit(complaint.name))
		if not frappe.db.exists("Sales Person", "_CP Service Person"):
			frappe.get_doc({"doctype": "Sales Person", "sales_person_name": "_CP Service Person", "parent_sales_person": "Sales Team"}).insert()
		visit.purposes[0].service_person = "_CP Service Person"
		visit.purposes[0].work_done = "Replaced the seal on site"
		visit.completion_status = "Fully Completed"
		visit.insert()
		visit.submit()
		complaint.reload()
		self.assertEqual(complaint.status, "Resolved")
		self.assertIn("Replaced the seal on site", complaint.resolution)

		from frappe.desk.notifications import get_open_count

		counts = get_open_count("Customer Complaint", complaint.name)["count"]["external_links_found"]
		found = {row["doctype"]: row["count"] for row in counts}
		self.assertEqual((found["Repair Order"], found["Maintenance Visit"]), (1, 1))


class TestRepairOrder(ServiceTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		make_customer()
		make_customer(OTHER_CUSTOMER)
		frappe.db.set_value("Customer", "_CRM Plus Test Customer", "email_id", "_cp_repair_customer@example.com")
		make_device()
		make_item(PART)
		add_stock(PART, 10, rate=10)
		make_item(LABOUR, is_stock_item=0)
		frappe.db.set_single_value("CRM Plus Settings", "repair_labour_item", LABOUR)
		make_user(TECH, ["Technician"])
		make_user(TECH_2, ["Technician"])
		make_user(CLERK, ["Service Clerk"])
		make_user(MANAGER, ["Service Manager"])

	def setUp(self):
		frappe.set_user("Administrator")

	def repair(self, **values):
		serial = make_serial_no("_CP-SN-WARRANTY-1", DEVICE, warranty_expiry_date=add_days(nowdate(), 100))
		return make_repair_order(
			item_code=DEVICE,
			serial_no=serial,
			technicians=[{"user": TECH}],
			parts=[{"item_code": PART, "qty": 2, "warehouse": WAREHOUSE, "rate": 30}],
			labour=[{"description": "Bench work", "hours": 1, "rate": 50}],
			**values,
		)

	def test_intake_warranty_and_technician_notified(self):
		repair = self.repair()
		self.assertEqual((repair.warranty_status, str(repair.warranty_expiry_date)), ("Under Warranty", add_days(nowdate(), 100)))
		self.assertEqual(open_todos("Repair Order", repair.name), [TECH])
		self.assertTrue(notifications(TECH, "Repair Order", repair.name))
		self.assertEqual([r.status for r in repair.status_log], ["Received"])
		self.assertEqual(repair.status_log[0].changed_by, "Administrator")

		expired = make_serial_no("_CP-SN-EXPIRED-1", DEVICE, warranty_expiry_date=add_days(nowdate(), -1))
		self.assertEqual(make_repair_order(item_code=DEVICE, serial_no=expired).warranty_status, "Out of Warranty")

	def test_parts_stock_invoice_pickup_end_to_end(self):
		repair = self.repair()
		repair.labour[0].under_warranty = 0  # labour charged, parts under warranty
		repair.save()
		repair.set_status("Diagnosing")
		repair.set_status("Repairing")
		repair.submit()

		self.assertEqual(repair.status, "Ready for Pickup")
		self.assertEqual([r.status for r in frappe.get_doc("Repair Order", repair.name).status_log],
			["Received", "Diagnosing", "Repairing", "Ready for Pickup"])
		sle = frappe.get_all("Stock Ledger Entry", filters={"voucher_type": "Stock Entry", "voucher_no": repair.stock_entry, "is_cancelled": 0}, fields=["item_code", "actual_qty", "warehouse"])
		self.assertEqual([(r.item_code, r.actual_qty, r.warehouse) for r in sle], [(PART, -2, WAREHOUSE)])
		if frappe.get_cached_value("Company", COMPANY, "enable_perpetual_inventory"):
			gl = frappe.get_all("GL Entry", filters={"voucher_no": repair.stock_entry, "is_cancelled": 0}, fields=["debit", "credit"])
			self.assertEqual((sum(g.debit for g in gl), sum(g.credit for g in gl)), (20, 20))  # 2 parts at 10
		self.assertTrue(frappe.db.exists("Email Queue", {"reference_doctype": "Repair Order", "reference_name": repair.name}))

		invoice = frappe.get_doc("Sales Invoice", repair.make_sales_invoice())
		self.assertEqual([(r.item_code, r.rate) for r in invoice.items], [(PART, 0), (LABOUR, 50)])
		invoice.submit()
		gl = frappe.get_all("GL Entry", filters={"voucher_no": invoice.name, "is_cancelled": 0}, fields=["debit", "credit"])
		self.assertEqual(sum(g.debit for g in gl), 50)
		with self.assertRaises(RepairStatusError):
			repair.make_sales_invoice()  # once only

		repair.set_status("Delivered")
		self.assertIsNotNone(frappe.db.get_value("Repair Order", repair.name, "delivered_on"))

	def test_cancel_reverses_the_stock_entry(self):
		repair = self.repair()
		repair.submit()
		entry = repair.stock_entry
		repair.cancel()
		self.assertEqual(frappe.db.get_value("Stock Entry", entry, "docstatus"), 2)
		self.assertEqual(frappe.db.count("Stock Ledger Entry", {"voucher_no": entry, "is_cancelled": 0}), 0)
		self.assertEqual(frappe.db.get_value("Repair Order", repair.name, "status"), "Cancelled")

	def test_bad_input_is_refused_with_nothing_written(self):
		count = frappe.db.count("Repair Order")
		group = frappe.db.get_value("Warehouse", {"company": COMPANY, "is_group": 1})
		bad = [
			dict(parts=[{"item_code": PART, "qty": 1, "warehouse": group}]),
			dict(parts=[{"item_code": PART, "qty": -1, "warehouse": WAREHOUSE}]),
			dict(serial_no=make_serial_no("_CP-SN-OTHER-2", DEVICE, customer=OTHER_CUSTOMER), item_code=DEVICE),
			dict(serial_no=make_serial_no("_CP-SN-DEVICE-3", DEVICE), item_code=PART),
		]
		for values in bad:
			with self.assertRaises(RepairOrderInputError):
				make_repair_order(**values)
		self.assertEqual(frappe.db.count("Repair Order"), count)

		repair = make_repair_order(parts=[{"item_code": PART, "qty": 1, "warehouse": WAREHOUSE}])
		with self.assertRaises(RepairStatusError):
			repair.set_status("Delivered")  # not repaired yet
		self.assertEqual(frappe.db.get_value("Repair Order", repair.name, "status"), "Received")
		entries = frappe.db.count("Stock Entry")
		repair.reload()
		repair.parts[0].qty = 1000  # more than in stock: ERPNext refuses, nothing issued
		repair.save()
		with self.assertRaises(RepairOrderInputError):
			repair.submit()
		self.assertEqual(frappe.db.count("Stock Entry"), entries)

	def test_permissions_role_by_role(self):
		mine = self.repair()
		theirs = make_repair_order(technicians=[{"user": TECH_2}])
		frappe.set_user(TECH)
		names = frappe.get_list("Repair Order", pluck="name")
		self.assertIn(mine.name, names)
		self.assertNotIn(theirs.name, names)
		self.assertTrue(frappe.has_permission("Repair Order", "write", mine.name))
		self.assertFalse(frappe.has_permission("Repair Order", "read", theirs.name))
		self.assertFalse(frappe.has_permission("Repair Order", "create"))
		self.assertFalse(frappe.has_permission("Customer Complaint", "write"))

		frappe.set_user(CLERK)
		self.assertEqual(set(frappe.get_list("Repair Order", pluck="name")) >= {mine.name, theirs.name}, True)
		self.assertTrue(frappe.has_permission("Repair Order", "create"))
		self.assertTrue(frappe.has_permission("Customer Complaint", "create"))
		self.assertFalse(frappe.has_permission("Repair Order", "cancel"))
		self.assertFalse(frappe.has_permission("Complaint Category", "write"))

		frappe.set_user(MANAGER)
		self.assertTrue(frappe.has_permission("Repair Order", "cancel"))
		self.assertTrue(frappe.has_permission("Complaint Category", "write"))


class TestServiceReports(ServiceTestCase):
	def test_complaint_analysis_and_repair_turnaround(self):
		from crm_plus.crm_plus.report.complaint_analysis.complaint_analysis import execute as complaints
		from crm_plus.crm_plus.report.repair_turnaround.repair_turnaround import execute as turnaround

		frappe.set_user("Administrator")
		make_user(TECH, ["Technician"])
		category = f"_CP Noise {frappe.generate_hash(length=6)}"
		frappe.get_doc({"doctype": "Complaint Category", "category_name": category}).insert()
		quick = make_complaint(category=category, assignee="Administrator")
		late = make_complaint(category=category, assignee="Administrator")
		frappe.db.set_value("Customer Complaint", quick.name, {"first_responded_on": add_to_date(quick.opened_on, hours=2)})
		frappe.db.set_value("Customer Complaint", late.name, {"first_responded_on": add_to_date(late.opened_on, hours=4),
			"resolve_by": add_to_date(now_datetime(), hours=-1)})

		_columns, rows, _m, chart, summary = complaints({"group_by": "Category"})
		row = next(r for r in rows if r.group == category)
		self.assertEqual((row.total, row.open_count, row.overdue, row.overdue_share), (2, 2, 1, 50))
		self.assertEqual(row.median_response_hours, 3)
		self.assertTrue(chart and summary)

		technician = make_user(f"_cp_tech_{frappe.generate_hash(length=6)}@example.com", ["Technician"])
		for hours in (10, 20, 60):
			repair = make_repair_order(technicians=[{"user": technician}], promised_date=nowdate())
			frappe.db.set_value("Repair Order", repair.name, {"received_on": add_to_date(now_datetime(), hours=-hours),
				"ready_on": add_to_date(now_datetime(), hours=-hours + hours)})
		make_repair_order(technicians=[{"user": technician}], promised_date=add_days(nowdate(), -1))
		_columns, rows, _m, chart, summary = turnaround({"company": COMPANY})
		row = next(r for r in rows if r.technician == technician)
		self.assertEqual((row.orders, row.in_progress, row.completed, row.late), (4, 4, 3, 1))
		self.assertEqual((row.median_hours, row.average_hours), (20, 30))


class TestServicePortal(ServiceTestCase):
	def test_portal_user_files_for_and_sees_only_their_customer(self):
		from crm_plus.service.portal import file_complaint, get_own, portal_customers

		frappe.set_user("Administrator")
		own, other = make_customer("_CP Portal Unit Own"), make_customer("_CP Portal Unit Other")
		user = make_user("_cp_portal_unit@example.com", user_type="Website User")
		customer = frappe.get_doc("Customer", own)
		customer.append("portal_users", {"user": user})
		customer.save()
		others = make_complaint(other)
		try:
			frappe.set_user(user)
			self.assertEqual(portal_customers(), [own])
			name = file_complaint("Broken lid", "The lid cracked")
			self.assertEqual(frappe.db.get_value("Customer Complaint", name, ["customer", "channel", "owner"]), (own, "Website", user))
			with self.assertRaises(frappe.PermissionError):
				file_complaint("Not mine", "x", customer=other)
			with self.assertRaises(frappe.DoesNotExistError):
				get_own("Customer Complaint", others.name, portal_customers())
			self.assertFalse(frappe.has_permission("Customer Complaint", "read", others.name))
		finally:
			frappe.set_user("Administrator")
