"""Lead or Prospect → Customer, carrying everything over (潜在客户转换为客户).

ERPNext's own "Create Customer" only links the lead's address and contact. Here the
customer also gets the lead's follow-ups, open ToDos, events, notes, comments,
communications and attachments, and its Opportunities and Quotations are re-linked to
the customer. Every step only touches what still points at the lead (or isn't on the
customer yet), so converting twice changes nothing the second time.
"""

import frappe
from frappe import _
from frappe.utils import cstr

PARTY_TITLE = {"Lead": "lead_name", "Prospect": "company_name"}


class ConversionError(frappe.ValidationError):
	pass


def convert(
	party_type: str,
	party: str,
	customer: str | None = None,
	opportunity: dict | None = None,
) -> dict:
	"""Convert a Lead or Prospect to `customer` (an existing one), or to the customer it
	was already converted to, or to a new customer. Returns what was carried over."""
	if party_type not in PARTY_TITLE:
		frappe.throw(_("Only a Lead or a Prospect can be converted to a customer."), ConversionError)
	source = frappe.get_doc(party_type, party)
	existing = find_converted_customer(party_type, party)
	if customer and existing and customer != existing:
		frappe.throw(
			_("{0} {1} was already converted to customer {2}.").format(_(party_type), party, existing),
			ConversionError,
		)
	customer = customer or existing or make_customer(source)
	if not frappe.db.exists("Customer", customer):
		frappe.throw(_("Customer {0} does not exist.").format(customer), ConversionError)
	frappe.get_doc("Customer", customer).check_permission("write")
	link_customer_to_source(customer, party_type, party)

	carried = carry_over(party_type, party, customer)
	if opportunity and not existing:  # converting again makes no second opportunity
		carried["opportunity"] = make_opportunity(customer, opportunity)
	return {"customer": customer, "carried_over": carried}


def find_matching_customers(party_type: str, party: str, limit: int = 5) -> list[dict]:
	"""Customers whose name, email or mobile/phone is the lead's or prospect's (read through
	frappe.get_list, so only those the user may read)."""
	if party_type not in PARTY_TITLE:
		frappe.throw(_("Only a Lead or a Prospect can be converted to a customer."), ConversionError)
	if party_type == "Lead":
		source = frappe.db.get_value("Lead", party, ["lead_name", "company_name", "email_id", "mobile_no", "phone"], as_dict=True)
		names = [source.company_name, source.lead_name]
		emails, phones = [source.email_id], [source.mobile_no, source.phone]
	else:
		names, emails, phones = [frappe.db.get_value("Prospect", party, "company_name")], [], []
	conditions = [["customer_name", "in", [n for n in names if n]]]
	if any(emails):
		conditions.append(["email_id", "in", [e for e in emails if e]])
	if any(phones):
		conditions.append(["mobile_no", "in", [p for p in phones if p]])
	return frappe.get_list(
		"Customer",
		or_filters=[c for c in conditions if c[2]],
		filters={"disabled": 0},
		fields=["name", "customer_name", "email_id", "mobile_no"],
		limit=limit,
	) if any(c[2] for c in conditions) else []


def find_converted_customer(party_type: str, party: str) -> str | None:
	field = "lead_name" if party_type == "Lead" else "prospect_name"
	return frappe.db.get_value("Customer", {field: party}, "name")


def make_customer(source) -> str:
	if source.doctype == "Lead":
		from erpnext.crm.doctype.lead.lead import make_customer as map_customer
	else:
		from erpnext.crm.doctype.prospect.prospect import make_customer as map_customer
	customer = map_customer(source.name)
	if source.doctype == "Prospect":
		customer.prospect_name = source.name
	customer.customer_group = customer.customer_group or frappe.db.get_single_value(
		"Selling Settings", "customer_group"
	) or "All Customer Groups"
	customer.territory = customer.territory or frappe.db.get_single_value(
		"Selling Settings", "territory"
	) or "All Territories"
	customer.flags.crm_plus_converting = True  # convert() carries over itself
	customer.insert()
	return customer.name


def link_customer_to_source(customer: str, party_type: str, party: str) -> None:
	field = "lead_name" if party_type == "Lead" else "prospect_name"
	if not frappe.db.get_value("Customer", customer, field):
		frappe.db.set_value("Customer", customer, field, party)
	if party_type == "Lead" and frappe.db.get_value("Lead", party, "status") != "Converted":
		frappe.db.set_value("Lead", party, "status", "Converted")


def on_customer_insert(customer) -> None:
	"""after_insert of Customer: a customer made by ERPNext's own "Create Customer"
	from a Lead (lead_name set) or a Prospect (same name) gets the carry-over too, when
	the user who made it may edit that Lead or Prospect (a customer's fields alone must
	not move another user's records)."""
	if customer.flags.crm_plus_converting:
		return
	if customer.lead_name:
		if may_carry_over("Lead", customer.lead_name):
			carry_over("Lead", customer.lead_name, customer.name)
		return
	prospect = customer.prospect_name or (
		frappe.db.exists("Prospect", customer.customer_name) and customer.customer_name
	)
	if prospect and not find_converted_customer("Prospect", prospect) and may_carry_over("Prospect", prospect):
		customer.db_set("prospect_name", prospect, update_modified=False)
		carry_over("Prospect", prospect, customer.name)


def may_carry_over(party_type: str, party: str) -> bool:
	if not frappe.db.exists(party_type, party):
		return False
	if frappe.has_permission(party_type, "write", doc=party):
		return True
	frappe.msgprint(
		_("The history of {0} {1} (follow-ups, notes, opportunities, quotations) was not moved to this customer: you are not permitted to change that {0}.").format(
			_(party_type), party
		),
		title=_("Nothing Carried Over"),
		indicator="orange",
	)
	return False


def carry_over(party_type: str, party: str, customer: str) -> dict:
	customer_name = frappe.db.get_value("Customer", customer, "customer_name")
	return {
		"follow_ups": _follow_ups(party_type, party, customer, customer_name),
		"todos": _todos(party_type, party, customer),
		"events": _events(party_type, party, customer),
		"notes": _notes(party_type, party, customer),
		"comments": _comments(party_type, party, customer),
		"communications": _communications(party_type, party, customer),
		"attachments": _attachments(party_type, party, customer),
		"opportunities": _opportunities(party_type, party, customer, customer_name),
		"quotations": _quotations(party_type, party, customer, customer_name),
	}


# --- each kind ------------------------------------------------------------------------
# Set-based updates where a record only changes its link; documents where something new
# is made. Each returns how many records it carried over.


def _follow_ups(party_type, party, customer, customer_name) -> int:
	field = "lead" if party_type == "Lead" else "prospect"
	table = frappe.qb.DocType("Customer Follow Up")
	names = frappe.get_all("Customer Follow Up", filters={field: party, "party_type": party_type}, pluck="name")
	if names:
		# the lead/prospect link stays, for history; the follow-up is now the customer's
		(
			frappe.qb.update(table)
			.set(table.party_type, "Customer")
			.set(table.customer, customer)
			.set(table.party_name, customer_name)
			.where(table.name.isin(names))
		).run()
	return len(names)


def _todos(party_type, party, customer) -> int:
	names = frappe.get_all(
		"ToDo",
		filters={"reference_type": party_type, "reference_name": party, "status": "Open"},
		pluck="name",
	)
	for name in names:
		todo = frappe.get_doc("ToDo", name)
		todo.reference_type, todo.reference_name = "Customer", customer
		todo.save(ignore_permissions=True)  # moving the lead's own tasks, not new access
	return len(names)


def _events(party_type, party, customer) -> int:
	events = frappe.get_all(
		"Event Participants",
		filters={"parenttype": "Event", "reference_doctype": party_type, "reference_docname": party},
		pluck="parent",
	)
	count = 0
	for name in set(events):
		event = frappe.get_doc("Event", name)
		if any(p.reference_doctype == "Customer" and p.reference_docname == customer for p in event.event_participants):
			continue
		event.append("event_participants", {"reference_doctype": "Customer", "reference_docname": customer})
		event.save(ignore_permissions=True)  # adding the customer to the lead's own event
		count += 1
	return count


def _notes(party_type, party, customer) -> int:
	notes = frappe.get_all(
		"CRM Note",
		filters={"parenttype": party_type, "parent": party},
		fields=["note", "added_by", "added_on"],
		order_by="idx",
	)
	return sum(
		_add_comment(customer, _("Note from {0} {1}").format(_(party_type), party), n.note, n.added_by)
		for n in notes
	)


def _comments(party_type, party, customer) -> int:
	comments = frappe.get_all(
		"Comment",
		filters={"reference_doctype": party_type, "reference_name": party, "comment_type": "Comment"},
		fields=["content", "comment_email"],
		order_by="creation",
	)
	return sum(
		_add_comment(customer, _("Comment on {0} {1}").format(_(party_type), party), c.content, c.comment_email)
		for c in comments
	)


def _add_comment(customer: str, heading: str, content: str, by: str | None) -> int:
	text = f"<p><b>{heading}</b></p>{cstr(content)}"
	if frappe.db.exists("Comment", {"reference_doctype": "Customer", "reference_name": customer, "content": text}):
		return 0
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Comment",
			"reference_doctype": "Customer",
			"reference_name": customer,
			"content": text,
			"comment_email": by or frappe.session.user,
		}
	).insert(ignore_permissions=True)  # copying the lead's note or comment to its customer
	return 1


def _communications(party_type, party, customer) -> int:
	direct = frappe.get_all(
		"Communication", filters={"reference_doctype": party_type, "reference_name": party}, pluck="name"
	)
	linked = frappe.get_all(
		"Communication Link",
		filters={"parenttype": "Communication", "link_doctype": party_type, "link_name": party},
		pluck="parent",
	)
	count = 0
	for name in set(direct) | set(linked):
		comm = frappe.get_doc("Communication", name)
		if any(link.link_doctype == "Customer" and link.link_name == customer for link in comm.timeline_links):
			continue
		comm.add_link("Customer", customer)
		comm.save(ignore_permissions=True)  # linking the lead's communication to its customer
		count += 1
	return count


def _attachments(party_type, party, customer) -> int:
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": party_type, "attached_to_name": party, "is_folder": 0},
		fields=["file_name", "file_url", "is_private", "folder"],
	)
	count = 0
	for f in files:
		if frappe.db.exists(
			"File", {"attached_to_doctype": "Customer", "attached_to_name": customer, "file_url": f.file_url}
		):
			continue
		# the same stored file, attached to the customer too (no copy of the content)
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f.file_name,
				"file_url": f.file_url,
				"is_private": f.is_private,
				"attached_to_doctype": "Customer",
				"attached_to_name": customer,
			}
		).insert(ignore_permissions=True)  # the lead's attachment, attached to its customer too
		count += 1
	return count


def _opportunities(party_type, party, customer, customer_name) -> int:
	return _relink("Opportunity", "opportunity_from", party_type, party, customer, customer_name)


def _quotations(party_type, party, customer, customer_name) -> int:
	return _relink("Quotation", "quotation_to", party_type, party, customer, customer_name)


def _relink(doctype, party_type_field, party_type, party, customer, customer_name) -> int:
	"""Point a lead's Opportunities or Quotations (drafts and submitted) at the customer."""
	table = frappe.qb.DocType(doctype)
	names = frappe.get_all(doctype, filters={party_type_field: party_type, "party_name": party}, pluck="name")
	if names:
		(
			frappe.qb.update(table)
			.set(table[party_type_field], "Customer")
			.set(table.party_name, customer)
			.set(table.customer_name, customer_name)
			.where(table.name.isin(names))
		).run()
	return len(names)


def make_opportunity(customer: str, values: dict) -> str:
	opportunity = frappe.get_doc(
		{
			"doctype": "Opportunity",
			"opportunity_from": "Customer",
			"party_name": customer,
			"opportunity_amount": values.get("amount") or 0,
			"sales_stage": values.get("sales_stage") or None,
			"company": values.get("company") or frappe.defaults.get_user_default("Company"),
		}
	)
	if values.get("next_step"):
		opportunity.append("notes", {"note": values["next_step"], "added_by": frappe.session.user})
	opportunity.insert()
	return opportunity.name
