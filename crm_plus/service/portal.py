"""The customer portal for service (/service): a customer's portal users file complaints
and follow their complaints and repair orders.

Portal users get no desk permission on complaints or repair orders (so /app and
/api/resource refuse them); these pages read with the customer filter applied in the
query, from the Customer's Portal Users table (ERPNext's link between a website user
and a customer).
"""

import os

import frappe
from frappe import _
from frappe.utils import strip_html

COMPLAINT_DOCTYPE = "Customer Complaint"
COMPLAINT_FIELDS = ["name", "subject", "status", "severity", "item_code", "serial_no", "creation", "resolution", "resolved_on"]
REPAIR_FIELDS = ["name", "item_code", "item_name", "serial_no", "status", "warranty_status", "promised_date", "received_on", "total"]


class PortalServiceError(frappe.ValidationError):
	pass


# ERPNext's portal items a service customer has no use for (projects, timesheets, ERPNext's
# own issues beside crm_plus's service requests, material requests): hidden on install,
# shown again on uninstall. Users may switch them on again in Portal Settings.
HIDDEN_PORTAL_ROUTES = ("/project", "/timesheets", "/issues", "/material-requests")


def tidy_portal_menu(hide: bool = True) -> None:
	settings = frappe.get_single("Portal Settings")
	settings.sync_menu()
	for row in settings.menu:
		if row.route in HIDDEN_PORTAL_ROUTES:
			row.enabled = 0 if hide else 1
	settings.flags.ignore_permissions = True  # install/uninstall: the portal menu, whoever runs it
	settings.save()


def portal_customers(user: str | None = None) -> list[str]:
	user = user or frappe.session.user
	if user == "Guest":
		return []
	return frappe.get_all("Portal User", filters={"parenttype": "Customer", "user": user}, pluck="parent")


def require_portal_customers() -> list[str]:
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see your service requests."), frappe.PermissionError)
	customers = portal_customers()
	if not customers:
		frappe.throw(_("Your account is not linked to a customer."), frappe.PermissionError)
	return customers


def complaints_for(customers: list[str]) -> list[dict]:
	# portal read of the user's own customers' records; the filter is the permission
	return frappe.get_all(
		"Customer Complaint", filters={"customer": ("in", customers)}, fields=COMPLAINT_FIELDS, order_by="creation desc"
	)


def repairs_for(customers: list[str]) -> list[dict]:
	return frappe.get_all(
		"Repair Order",
		filters={"customer": ("in", customers), "docstatus": ("<", 2)},
		fields=REPAIR_FIELDS,
		order_by="creation desc",
	)


def get_own(doctype: str, name: str, customers: list[str]):
	"""The record when it is one of the user's customers', else 404 (not 403: a stranger
	learns nothing, not even that it exists)."""
	if not name or not frappe.db.exists(doctype, {"name": name, "customer": ("in", customers)}):
		raise frappe.DoesNotExistError(_("Not found"))
	return frappe.get_doc(doctype, name)


def complaint_history(name: str) -> list[dict]:
	"""Status changes of a complaint, from its version log (track_changes)."""
	versions = frappe.get_all(
		"Version", filters={"ref_doctype": "Customer Complaint", "docname": name}, fields=["data", "creation"], order_by="creation asc"
	)
	history = []
	for version in versions:
		for change in frappe.parse_json(version.data).get("changed", []):
			if change[0] == "status":
				history.append({"status": change[2], "on": version.creation})
	return history


def customer_contact(user: str, customer: str) -> str | None:
	"""The user's contact among the customer's contacts, if there is one."""
	rows = frappe.db.sql(
		"""SELECT c.name FROM `tabContact` c
		JOIN `tabDynamic Link` dl ON dl.parent = c.name AND dl.parenttype = 'Contact'
			AND dl.link_doctype = 'Customer' AND dl.link_name = %(customer)s
		WHERE c.user = %(user)s LIMIT 1""",
		{"user": user, "customer": customer},
	)
	return rows[0][0] if rows else None


def delivered_to(serial_no: str, customer: str) -> bool:
	"""The serial no was sold to `customer`: ERPNext's record on the serial, or a
	submitted delivery note or stock-updating invoice of that customer that shipped it."""
	if frappe.db.get_value("Serial No", serial_no, "customer") == customer:
		return True
	rows = frappe.db.sql(
		"""
		SELECT 1 FROM `tabSerial and Batch Entry` sbe
		JOIN `tabSerial and Batch Bundle` sbb ON sbb.name = sbe.parent
		LEFT JOIN `tabDelivery Note` dn ON sbb.voucher_type = 'Delivery Note' AND dn.name = sbb.voucher_no
		LEFT JOIN `tabSales Invoice` si ON sbb.voucher_type = 'Sales Invoice' AND si.name = sbb.voucher_no
		WHERE sbe.serial_no = %(serial)s AND sbb.docstatus = 1 AND sbb.is_cancelled = 0
			AND sbb.type_of_transaction = 'Outward' AND COALESCE(dn.customer, si.customer) = %(customer)s
		LIMIT 1""",
		{"serial": serial_no, "customer": customer},
	)
	return bool(rows)


ORDER_DOCTYPES = {"Sales Order": "sales_order", "Delivery Note": "delivery_note"}
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTOS_PER_COMPLAINT = 6


def customer_orders(customers: list[str], limit: int = 50) -> list[dict]:
	"""The customers' submitted sales orders and delivery notes, newest first: what a
	complaint can be about (the filter is the permission)."""
	rows = []
	for doctype, date_field in (("Sales Order", "transaction_date"), ("Delivery Note", "posting_date")):
		rows += [
			{**row, "doctype": doctype}
			for row in frappe.get_all(
				doctype,
				filters={"customer": ("in", customers), "docstatus": 1},
				fields=["name", f"{date_field} as date", "grand_total", "currency"],
				order_by=f"{date_field} desc",
				limit=limit,
			)
		]
	return sorted(rows, key=lambda r: r["date"], reverse=True)[:limit]


def own_order(doctype: str, name: str, customers: list[str]):
	"""The customer's submitted order or delivery note, else 404 (a stranger learns nothing)."""
	if doctype not in ORDER_DOCTYPES or not name:
		raise frappe.DoesNotExistError(_("Not found"))
	customer = frappe.db.get_value(doctype, {"name": name, "docstatus": 1}, "customer")
	if customer not in customers:
		raise frappe.DoesNotExistError(_("Not found"))
	return customer


def order_items(doctype: str, name: str) -> list[dict]:
	own_order(doctype, name, require_portal_customers())
	return frappe.get_all(
		f"{doctype} Item",
		filters={"parent": name, "parenttype": doctype},
		fields=["item_code", "item_name"],
		order_by="idx",
		distinct=True,
	)


def file_complaint(
	subject: str,
	description: str,
	customer: str | None = None,
	item_code: str | None = None,
	serial_no: str | None = None,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
) -> str:
	customers = require_portal_customers()
	customer = customer or customers[0]
	if customer not in customers:
		frappe.throw(_("You can file complaints for your own company only."), frappe.PermissionError)
	if not (subject or "").strip() or not strip_html(description or "").strip():
		frappe.throw(_("Describe the problem: a subject and a description are needed."), PortalServiceError)
	if serial_no and not delivered_to(serial_no, customer):
		# the same answer whether it does not exist or is someone else's
		frappe.throw(_("Serial No {0} is not among the items delivered to you.").format(serial_no), PortalServiceError)
	if item_code and not frappe.db.exists("Item", {"name": item_code, "disabled": 0}):
		frappe.throw(_("Item {0} is not found.").format(item_code), PortalServiceError)
	links = {}
	if reference_doctype or reference_name:
		if own_order(reference_doctype, reference_name, [customer]) != customer:
			raise frappe.DoesNotExistError(_("Not found"))
		links[ORDER_DOCTYPES[reference_doctype]] = reference_name
	contact = customer_contact(frappe.session.user, customer)
	doc = frappe.get_doc(
		{
			"doctype": "Customer Complaint",
			"customer": customer,
			"contact": contact,
			"channel": "Website",
			"subject": subject.strip()[:140],
			"description": frappe.utils.escape_html(description),
			"item_code": item_code or None,
			"serial_no": serial_no or None,
			**links,
		}
	)
	doc.insert(ignore_permissions=True)  # a portal user has no desk permission; the customer checks above are it
	return doc.name


# --- on a filed complaint: photos and the conversation with staff -----------------------------


def attach_photo(complaint: str) -> str:
	"""The uploaded image (request file "file") attached, privately, to the user's own
	complaint: images only, up to 5 MB, at most six per complaint."""
	doc = get_own(COMPLAINT_DOCTYPE, complaint, require_portal_customers())
	upload = frappe.request.files.get("file") if frappe.request else None
	if not upload:
		frappe.throw(_("Choose a photo to attach."), PortalServiceError)
	content = upload.stream.read(PHOTO_MAX_BYTES + 1)
	if upload.mimetype not in PHOTO_TYPES or not content:
		frappe.throw(_("Only photos (JPEG, PNG, WebP or GIF) can be attached."), PortalServiceError)
	if len(content) > PHOTO_MAX_BYTES:
		frappe.throw(_("A photo can be 5 MB at most."), PortalServiceError)
	if frappe.db.count("File", {"attached_to_doctype": COMPLAINT_DOCTYPE, "attached_to_name": doc.name}) >= PHOTOS_PER_COMPLAINT:
		frappe.throw(_("A complaint can have {0} photos at most.").format(PHOTOS_PER_COMPLAINT), PortalServiceError)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": os.path.basename((upload.filename or "").replace("\\", "/"))[:120] or "photo.jpg",
			"attached_to_doctype": COMPLAINT_DOCTYPE,
			"attached_to_name": doc.name,
			"is_private": 1,
			"content": content,
		}
	)
	file.insert(ignore_permissions=True)  # the user's own complaint (get_own above)
	return file.file_name


def photos(name: str) -> list[str]:
	return frappe.get_all(
		"File", filters={"attached_to_doctype": COMPLAINT_DOCTYPE, "attached_to_name": name}, pluck="file_name", order_by="creation"
	)


def reply(complaint: str, message: str) -> str:
	"""The portal user's message on their own complaint: a Communication on it (staff see it
	on the complaint's timeline) and a notification for the assignee."""
	doc = get_own(COMPLAINT_DOCTYPE, complaint, require_portal_customers())
	text = (message or "").strip()
	if not text:
		frappe.throw(_("Write a message first."), PortalServiceError)
	user = frappe.session.user
	communication = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Other",
			"sent_or_received": "Received",
			"subject": _("Re: {0}").format(doc.subject),
			"content": f"<p>{frappe.utils.escape_html(text[:5000])}</p>",
			"sender": frappe.db.get_value("User", user, "email") or user,
			"sender_full_name": frappe.utils.get_fullname(user),
			"reference_doctype": COMPLAINT_DOCTYPE,
			"reference_name": doc.name,
		}
	)
	communication.insert(ignore_permissions=True)  # the user's own complaint (get_own above)
	if doc.assignee:
		from crm_plus.utils.notify import notify_users

		notify_users([doc.assignee], _("{0} replied on complaint {1}").format(frappe.utils.get_fullname(user), doc.name), COMPLAINT_DOCTYPE, doc.name)
	return communication.name


def conversation(name: str, user: str | None = None) -> list[dict]:
	"""The messages between this portal user and staff on the complaint: theirs, and what
	staff sent to their address (not staff's other mails about it)."""
	user = user or frappe.session.user
	email = frappe.db.get_value("User", user, "email") or user
	rows = frappe.get_all(
		"Communication",
		filters={"reference_doctype": COMPLAINT_DOCTYPE, "reference_name": name, "communication_type": "Communication"},
		fields=["sender", "sender_full_name", "recipients", "sent_or_received", "content", "communication_date"],
		order_by="communication_date asc",
	)
	return [
		{
			"from_customer": row.sent_or_received == "Received",
			"by": row.sender_full_name or row.sender,
			"on": row.communication_date,
			"content": row.content,
		}
		for row in rows
		if (row.sent_or_received == "Received" and row.sender == email)
		or (row.sent_or_received == "Sent" and email.lower() in (row.recipients or "").lower())
	]
