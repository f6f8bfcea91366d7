"""Money in words the Chinese way (大写金额): 人民币壹仟贰佰元整.

ERPNext writes the "In Words" of a CNY document as "CNY One Thousand, Two Hundred only."
(in zh: "…仅。"). A Chinese company prints the amount in financial capitals on its
quotations and invoices, so crm_plus replaces the in-words fields of Quotation, Sales Order,
Delivery Note and Sales Invoice when their currency (or the company's, for the base field)
is CNY. The conversion itself is cn2an's "rmb" mode (角/分, zeros, 万/亿 as banks write them).
"""

import cn2an
import frappe
from frappe.utils import flt

from crm_plus.crm_plus.doctype.crm_plus_settings.crm_plus_settings import get_settings

CNY = "CNY"


def rmb_in_words(amount: float) -> str:
	"""人民币 + the amount in financial capitals; a negative amount reads 负."""
	amount = flt(amount, 2)
	words = cn2an.an2cn(f"{abs(amount):.2f}", "rmb")
	return ("人民币负" if amount < 0 else "人民币") + words


def set_in_words(doc, method=None) -> None:
	"""validate / before_update_after_submit of the selling documents: after ERPNext set
	its English in-words, the CNY ones in Chinese (same amount ERPNext words: rounded
	total unless rounding is off, without sign)."""
	if not get_settings().cny_in_words:
		return
	rounding_off = doc.is_rounded_total_disabled()
	if doc.meta.get_field("in_words") and doc.get("currency") == CNY:
		doc.in_words = rmb_in_words(abs(flt(doc.grand_total if rounding_off else doc.rounded_total)))
	company_currency = doc.get("company_currency") or frappe.get_cached_value("Company", doc.company, "default_currency")
	if doc.meta.get_field("base_in_words") and company_currency == CNY:
		doc.base_in_words = rmb_in_words(abs(flt(doc.base_grand_total if rounding_off else doc.base_rounded_total)))
