"""Benchmark: saving a 200-line Sales Order with the stock-shortage check on (Warn)
and off, in the same run. Prints the medians and the ratio (target <= 1.10).

	bench --site <site> execute crm_plus.benchmarks.stock_shortage.run
	bench --site <site> execute crm_plus.benchmarks.stock_shortage.run --kwargs '{"lines": 200, "rounds": 7}'

Everything it makes is rolled back at the end.
"""

import statistics
import time

import frappe

from crm_plus.tests.factories import COMPANY, WAREHOUSE, make_customer, make_item, make_selling_doc


def run(lines: int = 200, rounds: int = 7) -> dict:
	frappe.only_for("System Manager")
	company = frappe.db.get_value("Company", COMPANY) or frappe.throw(
		f"Needs the test company {COMPANY} (run on a site where crm_plus's tests have run)"
	)
	settings = frappe.get_single("CRM Plus Settings")
	original_mode = settings.stock_shortage_mode
	try:
		items = prepare(lines)
		timings = {"Off": [], "Warn": []}
		save_order(items)  # warm caches once, untimed
		for _ in range(rounds):
			for mode in ("Off", "Warn"):
				set_mode(mode)
				frappe.local.message_log = []
				start = time.perf_counter()
				save_order(items)
				timings[mode].append(time.perf_counter() - start)
		off, on = statistics.median(timings["Off"]), statistics.median(timings["Warn"])
		result = {"lines": lines, "rounds": rounds, "off_s": round(off, 4), "on_s": round(on, 4), "ratio": round(on / off, 3)}
		print(
			f"200-line Sales Order save, {company}: check off {off * 1000:.1f} ms, check on {on * 1000:.1f} ms "
			f"(median of {rounds}); ratio on/off = {on / off:.3f} (target <= 1.10)"
		)
		return result
	finally:
		frappe.db.rollback()
		set_mode(original_mode)
		frappe.db.commit()  # restores the mode after the rollback; runs from the command line


def prepare(lines: int) -> list[str]:
	from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

	make_customer()
	items = [make_item(f"_CP Bench Item {i:04d}") for i in range(lines)]
	entry = make_stock_entry(item_code=items[0], target=WAREHOUSE, qty=1, basic_rate=10, company=COMPANY, do_not_save=True)
	entry.items = []
	for i, code in enumerate(items):
		entry.append("items", {"item_code": code, "qty": 5 if i % 2 else 50, "t_warehouse": WAREHOUSE, "basic_rate": 10, "conversion_factor": 1, "uom": "Nos"})
	entry.insert()
	entry.submit()
	return items


def set_mode(mode: str) -> None:
	frappe.db.set_single_value("CRM Plus Settings", "stock_shortage_mode", mode)
	frappe.clear_document_cache("CRM Plus Settings", "CRM Plus Settings")


def save_order(items: list[str]) -> None:
	make_selling_doc("Sales Order", [{"item_code": code, "qty": 10} for code in items])
