"""Portal access (门户网站用户): ticking "Portal User" on a Contact grants a customer's
portal only to whoever may write that Customer; unticking removes only what the tick made."""

import frappe

from crm_plus.tests.http.fixtures import CUSTOMER_A, CUSTOMER_B, publish, user_of
from crm_plus.tests.http.run import equal, fresh, refused, succeeded

GROUP = "Portal access"


def portal_users(customer: str) -> set[str]:
	return set(fresh().get_all("Portal User", filters={"parenttype": "Customer", "parent": customer}, pluck="user"))


def contact_values(email: str, customer: str, ticked: int = 1) -> dict:
	return {
		"first_name": "Portal Contact",
		"email_ids": [{"email_id": email, "is_primary": 1}],
		"links": [{"link_doctype": "Customer", "link_name": customer}],
		"crm_plus_portal_user": ticked,
	}


def new_email(tag: str) -> str:
	return f"cp.http.{tag}.{frappe.generate_hash(length=6)}@example.com".lower()


def make_contact(customer: str, email: str, ticked: int = 0) -> str:
	doc = frappe.get_doc({"doctype": "Contact", **contact_values(email, customer, ticked)}).insert()
	publish()
	return doc.name


def run(s) -> None:
	# --- attacks ------------------------------------------------------------------------
	def website_user_grants_themself(actor, customer):
		before = portal_users(customer)
		owned = {"email_id": user_of(actor), "owner": user_of(actor), "crm_plus_portal_user": 1}
		contacts = fresh().count("Contact", owned)
		response = s[actor].insert("Contact", contact_values(user_of(actor), customer))
		refused(response, 403, because="PermissionError")
		equal(portal_users(customer), before, f"{customer}'s portal users")
		equal(fresh().count("Contact", owned), contacts, "their ticked contacts")

	s.attack("portal user of B ticks a new contact of A with their own email", website_user_grants_themself, "portal_b", CUSTOMER_A)
	s.attack("portal user of A re-grants their own customer (website users never grant)", website_user_grants_themself, "portal_a", CUSTOMER_A)

	def creator_without_customer_write(actor, customer):
		email = new_email("nowrite")
		response = s[actor].insert("Contact", contact_values(email, customer))
		refused(response, 403, because="PermissionError")
		assert not fresh().exists("User", email), "no user was made"
		assert email not in portal_users(customer)

	s.attack("restricted Sales User ticks a contact of customer B (no write on B)", creator_without_customer_write, "sales_restricted", CUSTOMER_B)
	s.attack("Maintenance User (may create contacts, not write customers) ticks a contact of A", creator_without_customer_write, "maintenance_user", CUSTOMER_A)
	s.attack("Accounts User ticks a contact of A", creator_without_customer_write, "accounts_user", CUSTOMER_A)

	def tick_existing_contact_without_write(actor):
		email = new_email("tickput")
		contact = make_contact(CUSTOMER_B, email)
		response = s[actor].update("Contact", contact, {"crm_plus_portal_user": 1})
		refused(response, 403, because="PermissionError")
		equal(fresh().get_value("Contact", contact, "crm_plus_portal_user"), 0, "the tick")
		assert not fresh().exists("User", email), "no user was made"

	s.attack("restricted Sales User ticks an existing contact of B", tick_existing_contact_without_write, "sales_restricted")

	def untick_without_write(actor):
		email = new_email("untick")
		contact = make_contact(CUSTOMER_A, email, ticked=1)
		response = s[actor].update("Contact", contact, {"crm_plus_portal_user": 0})
		refused(response, 403, because="PermissionError")
		assert email in portal_users(CUSTOMER_A), "the portal user stays"
		equal(fresh().get_value("User", email, "enabled"), 1, "the user stays enabled")

	s.attack("Maintenance User unticks a portal contact of A (no write on A)", untick_without_write, "maintenance_user")

	def portal_user_unticks_own_contact():
		email = user_of("portal_a")
		contact = frappe.get_doc({"doctype": "Contact", **contact_values(email, CUSTOMER_A, 0), "first_name": "Portal A Own"})
		contact.insert()
		contact.db_set({"owner": email, "crm_plus_portal_user": 1, "user": email})  # their own, ticked
		publish()
		contact = contact.name
		response = s["portal_a"].update("Contact", contact, {"crm_plus_portal_user": 0})
		refused(response, 403, because="PermissionError")
		assert email in portal_users(CUSTOMER_A)
		equal(fresh().get_value("User", email, "enabled"), 1, "enabled")

	s.attack("portal user unticks their own contact (website users never revoke)", portal_user_unticks_own_contact)

	def tick_with_user_field_of_another():
		# the user is found by the contact's email, never by a user field the request sets
		email = new_email("userfield")
		response = s["sales_restricted"].insert("Contact", {**contact_values(email, CUSTOMER_A), "user": user_of("portal_b")})
		succeeded(response)
		assert user_of("portal_b") not in portal_users(CUSTOMER_A), "portal user of B got A's portal"
		assert email in portal_users(CUSTOMER_A)

	s.attack("Sales User ticks a contact of A whose user field names B's portal user", tick_with_user_field_of_another)

	def untick_keeps_rows_not_made_by_tick():
		# portal_a was added to A by hand; a contact with that email ticked and unticked
		contact = make_contact(CUSTOMER_A, user_of("portal_a"), ticked=0)
		s["sales_restricted"].update("Contact", contact, {"crm_plus_portal_user": 1})
		response = s["sales_restricted"].update("Contact", contact, {"crm_plus_portal_user": 0})
		succeeded(response)
		assert user_of("portal_a") in portal_users(CUSTOMER_A), "the row added by hand stays"
		equal(fresh().get_value("User", user_of("portal_a"), "enabled"), 1, "portal_a enabled")

	s.attack("unticking does not remove a portal user added by hand", untick_keeps_rows_not_made_by_tick)

	def untick_keeps_user_of_other_customer():
		email = new_email("twocustomers")
		contact = make_contact(CUSTOMER_A, email, ticked=1)
		customer_b = frappe.get_doc("Customer", CUSTOMER_B)
		customer_b.append("portal_users", {"user": email})
		customer_b.save()
		publish()
		succeeded(s["sales_restricted"].update("Contact", contact, {"crm_plus_portal_user": 0}))
		assert email not in portal_users(CUSTOMER_A), "removed from A"
		assert email in portal_users(CUSTOMER_B), "still B's"
		equal(fresh().get_value("User", email, "enabled"), 1, "a portal user elsewhere stays enabled")

	s.attack("unticking never disables a user who is a portal user elsewhere", untick_keeps_user_of_other_customer)

	def untick_keeps_desk_user():
		email = new_email("promoted")
		contact = make_contact(CUSTOMER_A, email, ticked=1)
		user = frappe.get_doc("User", email)
		user.user_type = "System User"
		user.append_roles("Sales User")
		user.save()
		publish()
		succeeded(s["sales_restricted"].update("Contact", contact, {"crm_plus_portal_user": 0}))
		equal(fresh().get_value("User", email, "enabled"), 1, "a desk user is never disabled")

	s.attack("unticking never disables a user who is not a website user", untick_keeps_desk_user)

	# --- legitimate paths -----------------------------------------------------------------
	def sales_user_invites():
		email = new_email("invite")
		response = s["sales_restricted"].insert("Contact", contact_values(email, CUSTOMER_A))
		succeeded(response)
		db = fresh()
		equal(db.get_value("User", email, ["user_type", "enabled"]), ("Website User", 1), "the new user")
		assert email in portal_users(CUSTOMER_A)
		assert db.exists("Email Queue Recipient", {"recipient": email}), "an invitation is queued"
		succeeded(s["sales_restricted"].update("Contact", response.data["name"], {"crm_plus_portal_user": 0}))
		assert email not in portal_users(CUSTOMER_A), "unticking takes the access away"
		equal(fresh().get_value("User", email, "enabled"), 0, "and disables the user")

	s.legit("Sales User with write on A invites a contact of A, then unticks it", sales_user_invites)

	def sales_user_reinvites():
		email = new_email("reinvite")
		contact = make_contact(CUSTOMER_A, email, ticked=1)
		frappe.get_doc("Contact", contact).update({"crm_plus_portal_user": 0}).save()
		publish()
		equal(fresh().get_value("User", email, "enabled"), 0, "disabled by the untick")
		response = s["sales_restricted"].update("Contact", contact, {"crm_plus_portal_user": 1})
		succeeded(response)
		equal(fresh().get_value("User", email, "enabled"), 1, "re-enabled")
		assert email in portal_users(CUSTOMER_A)

	s.legit("Sales User re-invites an existing website user", sales_user_reinvites)
