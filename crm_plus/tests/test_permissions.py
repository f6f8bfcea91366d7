"""The one user-permission helper the reports share (utils.permissions.user_permission_sql)
gives exactly the rows frappe.get_list gives, on the same data, for every reading of
User Permissions: apply to all doctypes, applicable for one doctype, tree descendants,
hidden descendants, strict mode."""

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings

from crm_plus.tests.factories import make_customer, make_territory, make_user
from crm_plus.utils.permissions import check_company, keep_server_fields, user_permission_sql

USER = "cp.up.reader@example.com"
PREFIX = "_CP UP "


def permit(allow: str, value: str, applicable_for: str | None = None, hide_descendants: int = 0) -> None:
	frappe.get_doc(
		{
			"doctype": "User Permission",
			"user": USER,
			"allow": allow,
			"for_value": value,
			"apply_to_all_doctypes": 0 if applicable_for else 1,
			"applicable_for": applicable_for,
			"hide_descendants": hide_descendants,
		}
	).insert(ignore_permissions=True)


class TestUserPermissionSQL(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		make_user(USER, ["Sales User"])
		north = make_territory(f"{PREFIX}North")
		frappe.db.set_value("Territory", north, "is_group", 1)
		make_territory(f"{PREFIX}North City", parent=north)
		make_territory(f"{PREFIX}South")
		for name, territory in (
			("North One", f"{PREFIX}North"),
			("City One", f"{PREFIX}North City"),
			("South One", f"{PREFIX}South"),
			("Nowhere", None),
		):
			customer = make_customer(f"{PREFIX}{name}")
			frappe.db.set_value("Customer", customer, "territory", territory)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.delete("User Permission", {"user": USER})
		frappe.clear_cache(user=USER)

	def names_by_get_list(self) -> set[str]:
		frappe.set_user(USER)
		try:
			return set(frappe.get_list("Customer", filters={"name": ("like", f"{PREFIX}%")}, pluck="name"))
		finally:
			frappe.set_user("Administrator")

	def names_by_helper(self) -> set[str]:
		sql, params = user_permission_sql("Customer", "c", user=USER)
		rows = frappe.db.sql(f"select c.name from `tabCustomer` c where c.name like %(prefix)s {sql}", {"prefix": f"{PREFIX}%", **params})
		return {r[0] for r in rows}

	def assert_same(self, expected: set[str]) -> None:
		frappe.clear_cache(user=USER)
		by_get_list = self.names_by_get_list()
		self.assertEqual(self.names_by_helper(), by_get_list)
		self.assertEqual(by_get_list, {f"{PREFIX}{n}" for n in expected})

	def test_unrestricted(self):
		self.assert_same({"North One", "City One", "South One", "Nowhere"})

	def test_tree_brings_descendants_and_empty_passes(self):
		permit("Territory", f"{PREFIX}North")
		self.assert_same({"North One", "City One", "Nowhere"})

	def test_hidden_descendants(self):
		permit("Territory", f"{PREFIX}North", hide_descendants=1)
		self.assert_same({"North One", "Nowhere"})

	def test_applicable_for_another_doctype_does_not_restrict(self):
		permit("Territory", f"{PREFIX}South", applicable_for="Sales Order")
		self.assert_same({"North One", "City One", "South One", "Nowhere"})

	def test_applicable_for_this_doctype_and_the_record_itself(self):
		permit("Territory", f"{PREFIX}South", applicable_for="Customer")
		permit("Customer", f"{PREFIX}South One")
		permit("Customer", f"{PREFIX}Nowhere")
		self.assert_same({"South One", "Nowhere"})

	@change_settings("System Settings", {"apply_strict_user_permissions": 1})
	def test_strict_mode_drops_empty_links(self):
		permit("Territory", f"{PREFIX}North")
		self.assert_same({"North One", "City One"})


class TestTrustHelpers(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.delete("User Permission", {"user": USER})

	def test_check_company_follows_user_permissions(self):
		make_user(USER, ["Sales User"])
		company = frappe.get_all("Company", pluck="name", limit=1)[0]
		frappe.set_user(USER)
		check_company(company, "Sales Invoice")  # unrestricted
		frappe.set_user("Administrator")
		permit("Company", company)
		permit("Customer", make_customer())  # restricted on another doctype too
		frappe.set_user(USER)
		check_company(company, "Sales Invoice")
		with self.assertRaises(frappe.PermissionError):
			check_company(f"{PREFIX}Not Theirs", "Sales Invoice")

	def test_server_fields_keep_the_stored_value(self):
		customer = make_customer(f"{PREFIX}Lifecycle")
		frappe.db.set_value("Customer", customer, "crm_plus_lifecycle_status", "Active")
		doc = frappe.get_doc("Customer", customer)
		doc.crm_plus_lifecycle_status = "Lost"
		doc.save()
		self.assertEqual(frappe.db.get_value("Customer", customer, "crm_plus_lifecycle_status"), "Active")
		new = frappe.new_doc("Customer")
		new.crm_plus_lifecycle_status = "Lost"
		keep_server_fields(new, ["crm_plus_lifecycle_status"])
		self.assertIsNone(new.crm_plus_lifecycle_status)
