"""Portal invitations from a Contact (门户网站用户).

Ticking "Portal User" on a customer's contact makes (or re-enables) a Website User
for the contact's email, adds it to the customer's Portal Users, and emails a
set-password invitation — never a password. Unticking takes it off the customer's
portal users and disables the website user when no other customer still lists it.
"""

import frappe
from frappe import _


class PortalInvitationError(frappe.ValidationError):
	pass


def on_contact_update(contact) -> None:
	if not contact.has_value_changed("crm_plus_portal_user"):
		return
	if contact.crm_plus_portal_user:
		invite(contact)
	elif contact.get_doc_before_save():
		revoke(contact)


def contact_customers(contact) -> list[str]:
	return [link.link_name for link in contact.links if link.link_doctype == "Customer"]


def invite(contact) -> str:
	customers = contact_customers(contact)
	if not customers:
		frappe.throw(_("Link the contact to a customer before making it a portal user."), PortalInvitationError)
	if not contact.email_id:
		frappe.throw(_("The contact needs an email address to be invited to the portal."), PortalInvitationError)

	email = contact.email_id.strip().lower()
	user_name = frappe.db.get_value("User", {"email": email}) or contact.user
	if user_name:
		user = frappe.get_doc("User", user_name)
		if user.user_type != "Website User":
			frappe.throw(
				_("{0} is a desk user; portal access is for website users only.").format(email),
				PortalInvitationError,
			)
		invite_again = not user.enabled
		user.enabled = 1
		user.add_roles("Customer")
		user.save(ignore_permissions=True)  # inviting: the caller may edit this contact
		if invite_again:
			user.reset_password(send_email=True)
	else:
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": contact.first_name or email,
				"last_name": contact.last_name,
				"user_type": "Website User",
				"send_welcome_email": 1,  # the welcome email carries a set-password link
			}
		)
		user.append_roles("Customer")
		user.insert(ignore_permissions=True)  # invitation by a user allowed to edit this contact

	if contact.user != user.name:
		contact.db_set("user", user.name, update_modified=False)
	for customer in customers:
		doc = frappe.get_doc("Customer", customer)
		if not any(p.user == user.name for p in doc.portal_users):
			doc.append("portal_users", {"user": user.name})
			doc.save(ignore_permissions=True)  # adding the contact's user to its customer's portal users
	return user.name


def revoke(contact) -> None:
	user = contact.user
	if not user:
		return
	for customer in contact_customers(contact):
		doc = frappe.get_doc("Customer", customer)
		rows = [p for p in doc.portal_users if p.user == user]
		for row in rows:
			doc.remove(row)
		if rows:
			doc.save(ignore_permissions=True)  # taking the contact's user off its customer's portal users
	still_portal = frappe.db.exists("Portal User", {"parenttype": "Customer", "user": user})
	if not still_portal and frappe.db.get_value("User", user, "user_type") == "Website User":
		user_doc = frappe.get_doc("User", user)
		user_doc.enabled = 0  # saving a disabled user also ends their sessions
		user_doc.save(ignore_permissions=True)  # disabling the website user the contact no longer uses
