"""Portal invitations from a Contact (门户网站用户).

Ticking "Portal User" on a customer's contact makes (or re-enables) a Website User for
the contact's email, adds it to the Portal Users of each customer the contact is linked
to, and emails a set-password invitation — never a password. Unticking (or deleting the
contact) takes away the portal-user rows the tick made, and only those; the website user
is disabled when it is then a portal user nowhere.

Granting or taking away access to a customer's portal needs write permission on that
Customer: creating or editing a Contact is not enough (every logged-in user, portal users
included, may create contacts). Website users can never do it, for anyone.
"""

import frappe
from frappe import _
from frappe.utils import strip_html

from crm_plus.utils.permissions import is_website_user, require_write


class PortalInvitationError(frappe.ValidationError):
	pass


# the Portal User rows a contact's tick made carry the contact's name here
MADE_BY_FIELD = "crm_plus_contact"


def on_contact_update(contact) -> None:
	before = contact.get_doc_before_save()
	ticked = bool(contact.crm_plus_portal_user)
	was_ticked = bool(before and before.crm_plus_portal_user)
	if ticked:
		new_email = not before or (before.email_id or "").lower() != (contact.email_id or "").lower()
		if not was_ticked or new_email or set(contact_customers(contact)) != set(contact_customers(before)):
			invite(contact, send_invitation=not was_ticked or new_email)
	elif was_ticked:
		sync_portal_rows(contact, user=None, customers=[])


def on_contact_trash(contact) -> None:
	if made_rows(contact.name):
		sync_portal_rows(contact, user=None, customers=[])


def contact_customers(contact) -> list[str]:
	return [link.link_name for link in contact.links if link.link_doctype == "Customer"]


def check_may_grant(customers) -> None:
	"""The caller may give or take away portal access to these customers."""
	if is_website_user():
		frappe.throw(_("Portal users cannot grant or revoke portal access."), frappe.PermissionError)
	for customer in customers:
		require_write(
			"Customer",
			customer,
			_("You need write permission on customer {0} to change who has access to its portal.").format(customer),
		)


def invite(contact, send_invitation: bool = True) -> str:
	customers = contact_customers(contact)
	if not customers:
		frappe.throw(_("Link the contact to a customer before making it a portal user."), PortalInvitationError)
	if not contact.email_id:
		frappe.throw(_("The contact needs an email address to be invited to the portal."), PortalInvitationError)
	check_may_grant(customers)

	email = contact.email_id.strip().lower()
	user_name = frappe.db.get_value("User", {"email": email})
	if user_name:
		user = frappe.get_doc("User", user_name)
		if user.user_type != "Website User":
			frappe.throw(
				_("{0} is a desk user; portal access is for website users only.").format(email),
				PortalInvitationError,
			)
		invite_again = not user.enabled
		user.enabled = 1
		match_notification_settings(user.name, enabled=1)
		user.append_roles("Customer")
		user.save(ignore_permissions=True)  # the caller may write every customer this grants (check_may_grant)
		if invite_again and send_invitation:
			user.flags.delay_emails = True  # through the email queue: saving does not wait for the mail server
			user.send_welcome_mail_to_user()  # a new set-password link
	else:
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				# a name is no markup: the welcome email shows it as it is
				"first_name": strip_html(contact.first_name or "").strip() or email,
				"last_name": strip_html(contact.last_name or "").strip() or None,
				"language": contact_language(contact),
				"user_type": "Website User",
				"send_welcome_email": 1 if send_invitation else 0,  # the welcome email carries a set-password link
			}
		)
		user.append_roles("Customer")
		user.flags.delay_emails = True  # through the email queue: saving does not wait for the mail server
		user.insert(ignore_permissions=True)  # the caller may write every customer this grants (check_may_grant)

	if contact.user != user.name:
		contact.db_set("user", user.name, update_modified=False)
	sync_portal_rows(contact, user.name, customers)
	return user.name


def contact_language(contact) -> str | None:
	"""The portal speaks the customer's language (its print language), else the site's."""
	customers = contact_customers(contact)
	language = customers and frappe.db.get_value("Customer", customers[0], "language")
	return language or frappe.db.get_single_value("System Settings", "language") or None


def made_rows(contact_name: str) -> list[dict]:
	return frappe.get_all(
		"Portal User",
		filters={"parenttype": "Customer", MADE_BY_FIELD: contact_name},
		fields=["name", "parent", "user"],
	)


def sync_portal_rows(contact, user: str | None, customers: list[str]) -> None:
	"""Make the Portal User rows this contact's tick made be exactly `user` on each of
	`customers`: rows it made elsewhere (or for another user) go, missing ones are added.
	Rows anyone else added are never touched."""
	existing = made_rows(contact.name)
	wanted = {(customer, user) for customer in customers} if user else set()
	have = {(row.parent, row.user) for row in existing}
	to_remove = [row for row in existing if (row.parent, row.user) not in wanted]
	to_add = [(customer, u) for customer, u in wanted if (customer, u) not in have]
	check_may_grant({row.parent for row in to_remove} | {customer for customer, _u in to_add})

	for customer in sorted({row.parent for row in to_remove} | {customer for customer, _u in to_add}):
		doc = frappe.get_doc("Customer", customer)
		removing = {row.name for row in to_remove if row.parent == customer}
		for row in [r for r in doc.portal_users if r.name in removing]:
			doc.remove(row)
		for _customer, u in [a for a in to_add if a[0] == customer]:
			if not any(p.user == u for p in doc.portal_users):
				doc.append("portal_users", {"user": u, MADE_BY_FIELD: contact.name})
		doc.save(ignore_permissions=True)  # the caller may write this customer (check_may_grant)

	for user_name in {row.user for row in to_remove} - {user}:
		disable_if_unused(user_name)


def disable_if_unused(user: str) -> None:
	"""A website user who is a portal user nowhere any more (of no customer, supplier or
	anything else) is disabled; desk users and users still in use are left alone."""
	if frappe.db.exists("Portal User", {"user": user}):
		return
	if frappe.db.get_value("User", user, "user_type") != "Website User":
		return
	user_doc = frappe.get_doc("User", user)
	if not user_doc.enabled:
		return
	user_doc.enabled = 0  # saving a disabled user also ends their sessions
	match_notification_settings(user, enabled=0)
	user_doc.save(ignore_permissions=True)  # the user only had the portal access the caller just took away


def match_notification_settings(user: str, enabled: int) -> None:
	"""Saving a user switches their Notification Settings on or off, with the caller's
	permissions, which a Sales User lacks on another user's settings: set them first, as
	that save would (the user's enabling is what the caller may do, see check_may_grant)."""
	if frappe.db.exists("Notification Settings", user):
		frappe.db.set_value("Notification Settings", user, "enabled", enabled, update_modified=False)
