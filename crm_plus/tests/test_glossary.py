"""One Chinese word for each CRM term (docs/glossary-zh.md), on every screen crm_plus shows:
its own strings and the labels and options of the ERPNext doctypes it extends."""

import os
import re

import frappe
from frappe.tests.utils import FrappeTestCase

GLOSSARY = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "glossary-zh.md")
# the ERPNext forms crm_plus extends (their child tables too)
EXTENDED = (
	"Lead", "Opportunity", "Prospect", "Customer", "Quotation", "Sales Order", "Delivery Note",
	"Sales Invoice", "Maintenance Visit", "Contact",
)


def glossary_tables() -> dict[str, list[list[str]]]:
	"""Each "## " section's table rows (header and separator left out)."""
	tables, section = {}, None
	with open(GLOSSARY, encoding="utf-8") as f:
		for line in f:
			if line.startswith("## "):
				section = line[3:].strip()
			elif line.startswith("| ") and section:
				cells = [c.strip() for c in line.strip().strip("|").split("|")]
				if set("".join(cells)) <= set("- "):
					continue
				tables.setdefault(section, []).append(cells)
	for rows in tables.values():
		rows.pop(0)  # the header
	return tables


def term_pattern(term: str) -> re.Pattern:
	last = term.split()[-1]
	plural = last[:-1] + "ies" if last.endswith("y") else last + "s"
	stem = re.escape(term[: len(term) - len(last)])
	return re.compile(rf"\b{stem}(?:{re.escape(last)}|{re.escape(plural)})\b")


def shown_strings() -> set[str]:
	from frappe.translate import get_messages_for_app, get_messages_from_doctype, get_messages_from_file

	doctypes = set()
	for doctype in EXTENDED:
		doctypes.add(doctype)
		doctypes.update(df.options for df in frappe.get_meta(doctype).get_table_fields())
	messages = list(get_messages_for_app("crm_plus"))
	for doctype in doctypes:
		messages += get_messages_from_doctype(doctype)
	for doctype in EXTENDED:  # the buttons and messages of their form and list scripts
		folder = frappe.get_module_path(frappe.get_meta(doctype).module, "doctype", frappe.scrub(doctype))
		for suffix in (".js", "_list.js"):
			path = os.path.join(folder, frappe.scrub(doctype) + suffix)
			if os.path.exists(path):
				messages += get_messages_from_file(path)
	return {m[1] if isinstance(m, (list, tuple)) else m for m in messages}


class TestGlossary(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from frappe.translate import get_full_dict

		frappe.clear_cache()
		cls.zh = get_full_dict("zh")
		cls.tables = glossary_tables()
		cls.shown = shown_strings()

	def test_glossary_is_read(self):
		self.assertGreaterEqual(len(self.tables["Terms"]), 10)
		self.assertGreaterEqual(len(self.tables["Words"]), 10)
		self.assertGreater(len(self.shown), 1000)

	def test_words_translate_exactly(self):
		wrong = [
			f"{english}: {self.zh.get(english)!r}, not {chinese}"
			for english, chinese in self.tables["Words"]
			if self.zh.get(english) != chinese
		]
		self.assertFalse(wrong, "\n".join(wrong))

	def test_every_shown_string_uses_the_terms(self):
		exceptions = [re.compile(rf"\b{re.escape(row[0])}\b") for row in self.tables.get("Exceptions", [])]
		terms = [(term_pattern(english), [chinese, *filter(None, re.split(r"[,，、\s]+", short))]) for english, chinese, short in self.tables["Terms"]]
		wrong = []
		for source in sorted(self.shown):
			checked = source
			for pattern in exceptions:
				checked = pattern.sub("", checked)
			for pattern, accepted in terms:
				if not pattern.search(checked):
					continue
				translation = self.zh.get(source) or ""
				if not any(word in translation for word in accepted):
					wrong.append(f"{source!r} -> {translation!r} (needs {accepted[0]})")
		self.assertFalse(wrong, f"{len(wrong)} strings off the glossary:\n" + "\n".join(wrong))
