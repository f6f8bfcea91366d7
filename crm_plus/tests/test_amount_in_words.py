import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import add_days, nowdate

from crm_plus.selling.amount_in_words import rmb_in_words
from crm_plus.tests.factories import COMPANY, CUSTOMER, make_customer, make_item

# amount -> how a Chinese bank or invoice writes it (角/分, zeros inside and between groups, 万/亿)
KNOWN = {
	0: "人民币零元整",
	0.05: "人民币伍分",
	0.5: "人民币伍角",
	1: "人民币壹元整",
	10: "人民币壹拾元整",
	30.07: "人民币叁拾元零柒分",
	100: "人民币壹佰元整",
	101.1: "人民币壹佰零壹元壹角",
	1010: "人民币壹仟零壹拾元整",
	1000.05: "人民币壹仟元零伍分",
	1200: "人民币壹仟贰佰元整",
	10001: "人民币壹万零壹元整",
	1234567.89: "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分",
	20000000.01: "人民币贰仟万元零壹分",
	100000000: "人民币壹亿元整",
	100010000.2: "人民币壹亿零壹万元贰角",
	-1200: "人民币负壹仟贰佰元整",
}


class TestAmountInWords(FrappeTestCase):
	def test_known_amounts(self):
		for amount, words in KNOWN.items():
			self.assertEqual(rmb_in_words(amount), words, amount)

	def cny_quotation(self, rate: float):
		if not frappe.db.exists("Price List", "_CP CNY Selling"):
			frappe.get_doc({"doctype": "Price List", "price_list_name": "_CP CNY Selling", "currency": "CNY", "selling": 1}).insert()
		make_customer()
		make_item("_CP Words Item", is_stock_item=0)
		quotation = frappe.get_doc(
			{
				"doctype": "Quotation",
				"quotation_to": "Customer",
				"party_name": CUSTOMER,
				"company": COMPANY,
				"currency": "CNY",
				"conversion_rate": 0.14,
				"selling_price_list": "_CP CNY Selling",
				"plc_conversion_rate": 0.14,
				"valid_till": add_days(nowdate(), 10),
				"disable_rounded_total": 1,
				"items": [{"item_code": "_CP Words Item", "qty": 1, "rate": rate}],
			}
		)
		return quotation.insert()

	def test_a_cny_quotation_reads_in_chinese_capitals(self):
		quotation = self.cny_quotation(1200)
		self.assertEqual(quotation.in_words, "人民币壹仟贰佰元整")
		self.assertNotIn("人民币", quotation.base_in_words)  # the company's currency is not CNY here

	@change_settings("CRM Plus Settings", {"cny_in_words": 0})
	def test_switched_off_leaves_erpnext_words(self):
		self.assertNotIn("人民币", self.cny_quotation(1200).in_words)

	def test_the_chinese_print_format_shows_it(self):
		quotation = self.cny_quotation(1000.05)
		html = frappe.get_print("Quotation", quotation.name, "CRM Plus Quotation (Chinese)", doc=quotation)
		self.assertIn("大写金额", html)
		self.assertIn("人民币壹仟元零伍分", html)
