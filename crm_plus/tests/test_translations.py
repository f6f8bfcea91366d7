import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.translate import get_messages_for_app, get_translations_from_apps

from crm_plus.setup.custom_fields import get_custom_fields


def crm_plus_messages() -> set[str]:
	"""Every user-facing string of crm_plus: what Frappe's extractor finds in code,
	templates and doctypes, plus the labels of the fields crm_plus adds to ERPNext."""
	messages = {m[1] for m in get_messages_for_app("crm_plus")}
	for fields in get_custom_fields().values():
		for f in fields:
			messages.update(filter(None, (f.get("label"), f.get("description"))))
	return messages


class TestChineseTranslations(FrappeTestCase):
	def test_every_string_has_simplified_chinese(self):
		zh = get_translations_from_apps("zh")
		missing = sorted(m for m in crm_plus_messages() if not zh.get(m))
		self.assertFalse(
			missing,
			"strings without a zh translation in crm_plus/translations/zh.csv:\n" + "\n".join(missing),
		)

	def test_the_shortage_warning_reads_chinese(self):
		frappe.local.lang = "zh"
		try:
			self.assertEqual(frappe._("Stock Shortage"), "库存不足")
		finally:
			frappe.local.lang = "en"
