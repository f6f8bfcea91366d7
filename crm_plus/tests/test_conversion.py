import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from crm_plus.api.customer import convert_to_customer
from crm_plus.relationship.conversion import ConversionError
from crm_plus.tests.factories import COMPANY, make_customer, make_follow_up, make_item, make_lead, make_selling_doc

FOLLOW_UP = "Customer Follow Up"


def give_lead_a_history(lead: str) -> dict:
	"""One of everything a lead collects before it buys."""
	make_item("_CP Conversion Item")
	h = {}
	# first the opportunity: ERPNext moves a lead's open ToDos and events to an
	# opportunity made for it, so these are made after it to stay on the lead
	h["opportunity"] = frappe.get_doc({"doctype": "Opportunity", "opportunity_from": "Lead", "party_name": lead, "company": COMPANY}).insert().name
	h["follow_up"] = make_follow_up(lead, party_type="Lead", next_action="Call again").name
	h["todo"] = frappe.get_doc({"doctype": "ToDo", "description": "Send brochure", "reference_type": "Lead", "reference_name": lead, "allocated_to": "Administrator"}).insert().name
	h["event"] = frappe.get_doc({"doctype": "Event", "subject": "Demo", "starts_on": now_datetime(), "event_type": "Public",
		"event_participants": [{"reference_doctype": "Lead", "reference_docname": lead}]}).insert().name
	lead_doc = frappe.get_doc("Lead", lead)
	lead_doc.append("notes", {"note": "Prefers WeChat", "added_by": "Administrator", "added_on": now_datetime()})
	lead_doc.save()
	frappe.get_doc({"doctype": "Comment", "comment_type": "Comment", "reference_doctype": "Lead", "reference_name": lead, "content": "Met at the Canton Fair"}).insert()
	h["communication"] = frappe.get_doc({"doctype": "Communication", "communication_type": "Communication", "communication_medium": "Email",
		"subject": "Price enquiry", "content": "How much?", "sent_or_received": "Received", "reference_doctype": "Lead", "reference_name": lead}).insert().name
	h["file_url"] = frappe.get_doc({"doctype": "File", "file_name": "card.txt", "content": b"business card", "attached_to_doctype": "Lead", "attached_to_name": lead, "is_private": 1}).insert().file_url
	quotation = make_selling_doc("Quotation", [{"item_code": "_CP Conversion Item", "qty": 1}], save=False)
	quotation.quotation_to, quotation.party_name = "Lead", lead
	h["quotation"] = quotation.insert().name
	return h


class TestLeadConversion(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def assert_carried_over(self, lead, customer, h):
		fu = frappe.get_doc(FOLLOW_UP, h["follow_up"])
		self.assertEqual((fu.party_type, fu.customer, fu.lead), ("Customer", customer, lead))
		self.assertEqual(frappe.db.get_value("ToDo", h["todo"], ["reference_type", "reference_name"]), ("Customer", customer))
		participants = frappe.get_all("Event Participants", filters={"parent": h["event"]}, fields=["reference_doctype", "reference_docname"])
		self.assertIn({"reference_doctype": "Customer", "reference_docname": customer}, [dict(p) for p in participants])
		comments = frappe.get_all("Comment", filters={"reference_doctype": "Customer", "reference_name": customer, "comment_type": "Comment"}, pluck="content")
		self.assertTrue(any("Prefers WeChat" in c for c in comments))
		self.assertTrue(any("Canton Fair" in c for c in comments))
		self.assertTrue(frappe.db.exists("Communication Link", {"parent": h["communication"], "link_doctype": "Customer", "link_name": customer}))
		self.assertTrue(frappe.db.exists("File", {"attached_to_doctype": "Customer", "attached_to_name": customer, "file_url": h["file_url"]}))
		self.assertEqual(frappe.db.get_value("Opportunity", h["opportunity"], ["opportunity_from", "party_name"]), ("Customer", customer))
		self.assertEqual(frappe.db.get_value("Quotation", h["quotation"], ["quotation_to", "party_name"]), ("Customer", customer))
		self.assertEqual(frappe.db.get_value("Lead", lead, "status"), "Converted")

	def test_convert_carries_everything_over_and_can_make_an_opportunity(self):
		lead = make_lead("_CP Lead One")
		h = give_lead_a_history(lead)

		result = convert_to_customer("Lead", lead, create_opportunity=True, opportunity_amount=1200, next_step="Site visit")
		customer = result["customer"]

		self.assert_carried_over(lead, customer, h)
		self.assertEqual(result["carried_over"]["quotations"], 1)
		new_opp = frappe.get_doc("Opportunity", result["carried_over"]["opportunity"])
		self.assertEqual((new_opp.party_name, new_opp.opportunity_amount), (customer, 1200))
		self.assertEqual(new_opp.notes[0].note, "Site visit")

	def test_converting_twice_duplicates_nothing(self):
		lead = make_lead("_CP Lead Twice")
		give_lead_a_history(lead)
		first = convert_to_customer("Lead", lead, create_opportunity=True, opportunity_amount=10)["customer"]

		def counts():
			return (
				frappe.db.count("Customer", {"lead_name": lead}),
				frappe.db.count("Comment", {"reference_doctype": "Customer", "reference_name": first, "comment_type": "Comment"}),
				frappe.db.count("File", {"attached_to_doctype": "Customer", "attached_to_name": first}),
				frappe.db.count("Event Participants", {"reference_doctype": "Customer", "reference_docname": first}),
				frappe.db.count("Communication Link", {"link_doctype": "Customer", "link_name": first}),
				frappe.db.count("Opportunity", {"party_name": first}),
			)

		before = counts()
		again = convert_to_customer("Lead", lead, create_opportunity=True, opportunity_amount=10)
		self.assertEqual(again["customer"], first)
		self.assertEqual(counts(), before)

	def test_convert_to_an_existing_customer(self):
		lead = make_lead("_CP Lead Existing")
		h = give_lead_a_history(lead)
		existing = make_customer("_CP Existing Buyer")
		result = convert_to_customer("Lead", lead, customer=existing)
		self.assertEqual(result["customer"], existing)
		self.assert_carried_over(lead, existing, h)

		other = make_customer("_CP Another Buyer")
		with self.assertRaises(ConversionError):
			convert_to_customer("Lead", lead, customer=other)

	def test_erpnexts_own_create_customer_carries_over_too(self):
		from erpnext.crm.doctype.lead.lead import make_customer as erpnext_make_customer

		lead = make_lead("_CP Lead Standard")
		h = give_lead_a_history(lead)
		customer = erpnext_make_customer(lead)
		customer.customer_group, customer.territory = "All Customer Groups", "All Territories"
		customer.insert()
		self.assert_carried_over(lead, customer.name, h)

	def test_prospect_conversion(self):
		prospect = frappe.get_doc({"doctype": "Prospect", "company_name": "_CP Prospect Co", "company": COMPANY}).insert()
		fu = make_follow_up(prospect.name, party_type="Prospect")
		opp = frappe.get_doc({"doctype": "Opportunity", "opportunity_from": "Prospect", "party_name": prospect.name, "company": COMPANY}).insert()

		customer = convert_to_customer("Prospect", prospect.name)["customer"]

		self.assertEqual(frappe.db.get_value("Customer", customer, "prospect_name"), prospect.name)
		self.assertEqual(frappe.db.get_value(FOLLOW_UP, fu.name, "customer"), customer)
		self.assertEqual(frappe.db.get_value("Opportunity", opp.name, "party_name"), customer)

	def test_only_leads_and_prospects(self):
		with self.assertRaises(frappe.ValidationError):
			convert_to_customer("Supplier", "anything")

	def test_user_who_cannot_edit_the_lead_is_refused(self):
		from crm_plus.tests.factories import make_user

		lead = make_lead("_CP Lead Guarded")
		frappe.set_user(make_user("_cp_viewer@example.com"))
		try:
			with self.assertRaises(frappe.PermissionError):
				convert_to_customer("Lead", lead)
		finally:
			frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Customer", {"lead_name": lead}))
