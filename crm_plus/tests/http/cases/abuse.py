"""Abuse limits: portal complaint filing is rate-limited, and a portal user cannot attach
what was not delivered to their own customer (nor learn whose it is)."""

import frappe

from crm_plus.tests.factories import make_item, make_serial_no
from crm_plus.tests.http.fixtures import (
	CUSTOMER_A,
	CUSTOMER_B,
	PNG,
	make_complaint,
	make_sales_order,
	publish,
)
from crm_plus.tests.http.run import equal, fresh, refused, succeeded

GROUP = "Abuse limits"
SERIAL_ITEM = "_CP HTTP Serial Device"


def complaints_of(customer: str) -> int:
	return fresh().count("Customer Complaint", {"customer": customer})


def clear_rate_limits() -> None:
	frappe.cache.delete_keys("rl:crm_plus.api.service.file_complaint")


def set_limit(limit: int) -> None:
	frappe.get_single("CRM Plus Settings").update({"portal_complaint_limit": limit}).save()
	publish()
	clear_rate_limits()


def run(s) -> None:
	set_limit(10)  # the limit is per address: every case here comes from the same one
	make_item(SERIAL_ITEM, is_stock_item=0)
	serial_b = make_serial_no(f"_CP-HTTP-SN-B-{frappe.generate_hash(length=5)}", SERIAL_ITEM, customer=CUSTOMER_B)
	serial_free = make_serial_no(f"_CP-HTTP-SN-F-{frappe.generate_hash(length=5)}", SERIAL_ITEM)
	serial_a = make_serial_no(f"_CP-HTTP-SN-A-{frappe.generate_hash(length=5)}", SERIAL_ITEM, customer=CUSTOMER_A)
	publish()

	def other_customers_serial(serial):
		before = complaints_of(CUSTOMER_A)
		response = s["portal_a"].call("crm_plus.api.service.file_complaint", subject="Broken", description="x", serial_no=serial)
		refused(response, 417, because="PortalServiceError")
		equal(complaints_of(CUSTOMER_A), before, "complaints of A")
		assert CUSTOMER_B not in response.text, "the answer does not say whose serial it is"

	s.attack("a portal user attaches a serial no sold to another customer", other_customers_serial, serial_b)
	s.attack("a portal user attaches a serial no never delivered", other_customers_serial, serial_free)
	s.attack("a portal user attaches a serial no that does not exist", other_customers_serial, "_CP-HTTP-NO-SUCH-SERIAL")

	def other_customer():
		before = complaints_of(CUSTOMER_B)
		refused(s["portal_a"].call("crm_plus.api.service.file_complaint", subject="x", description="x", customer=CUSTOMER_B), 403)
		equal(complaints_of(CUSTOMER_B), before, "complaints of B")

	s.attack("a portal user files a complaint for another customer", other_customer)

	def flood():
		set_limit(3)
		try:
			before = complaints_of(CUSTOMER_B)
			statuses = [
				s["portal_b"].call("crm_plus.api.service.file_complaint", subject=f"Flood {i}", description="x").status
				for i in range(5)
			]
			equal(statuses, [200, 200, 200, 429, 429], "answers")
			equal(complaints_of(CUSTOMER_B), before + 3, "complaints filed")
		finally:
			set_limit(10)

	s.attack("a portal user files complaints beyond the hourly limit", flood)

	def get_is_refused():
		before = complaints_of(CUSTOMER_A)
		refused(s["portal_a"].call("crm_plus.api.service.file_complaint", http="GET", subject="by GET", description="x"))
		equal(complaints_of(CUSTOMER_A), before, "complaints")

	s.attack("filing a complaint by GET (no CSRF token protects a GET)", get_is_refused)

	def photo_refused(filename, content, mimetype, because):
		complaint = make_complaint(CUSTOMER_A)
		response = s["portal_a"].upload("crm_plus.api.service.attach_photo", filename, content, mimetype, complaint=complaint)
		refused(response, 417, because=because)
		equal(fresh().count("File", {"attached_to_doctype": "Customer Complaint", "attached_to_name": complaint}), 0, "files attached")

	s.attack("a portal user attaches a script as a photo", photo_refused, "x.html", b"<script>alert(1)</script>", "text/html", "PortalServiceError")
	s.attack("a portal user attaches a 6 MB photo", photo_refused, "big.png", PNG + b"0" * (6 * 1024 * 1024), "image/png", "PortalServiceError")

	def too_many_photos():
		complaint = make_complaint(CUSTOMER_A)
		statuses = [
			s["portal_a"].upload("crm_plus.api.service.attach_photo", f"p{i}.png", PNG, "image/png", complaint=complaint).status
			for i in range(7)
		]
		equal(statuses, [200] * 6 + [417], "answers")
		equal(fresh().count("File", {"attached_to_doctype": "Customer Complaint", "attached_to_name": complaint}), 6, "photos")

	s.attack("a portal user attaches a seventh photo", too_many_photos)
	clear_rate_limits()

	def other_customers_complaint(method, **args):
		complaint = make_complaint(CUSTOMER_B)
		if method == "attach_photo":
			response = s["portal_a"].upload("crm_plus.api.service.attach_photo", "p.png", PNG, "image/png", complaint=complaint)
		else:
			response = s["portal_a"].call(f"crm_plus.api.service.{method}", complaint=complaint, **args)
		refused(response, 404)
		assert CUSTOMER_B not in response.text, "the answer names the other customer"
		db = fresh()
		equal(db.count("File", {"attached_to_name": complaint}) + db.count("Communication", {"reference_name": complaint}), 0, "attached")

	s.attack("a portal user attaches a photo to another customer's complaint", other_customers_complaint, "attach_photo")
	s.attack("a portal user writes on another customer's complaint", lambda: other_customers_complaint("reply", message="hello"))

	def complaint_about_other_order():
		order = make_sales_order(CUSTOMER_B)
		before = complaints_of(CUSTOMER_A)
		response = s["portal_a"].call(
			"crm_plus.api.service.file_complaint", subject="x", description="x", reference_doctype="Sales Order", reference_name=order
		)
		refused(response, 404)
		equal(complaints_of(CUSTOMER_A), before, "complaints of A")

	s.attack("a portal user files a complaint about another customer's order", complaint_about_other_order)
	clear_rate_limits()

	# --- legitimate paths -----------------------------------------------------------------
	def about_own_order():
		order = make_sales_order(CUSTOMER_A)
		items = s["portal_a"].call("crm_plus.api.service.order_items", http="GET", doctype="Sales Order", name=order)
		succeeded(items)
		item = items.message[0]["item_code"]
		response = s["portal_a"].call(
			"crm_plus.api.service.file_complaint", subject="Wrong colour", description="x",
			reference_doctype="Sales Order", reference_name=order, item_code=item,
		)
		succeeded(response)
		equal(fresh().get_value("Customer Complaint", response.message, ["sales_order", "item_code"]), (order, item), "the complaint")
		succeeded(s["portal_a"].upload("crm_plus.api.service.attach_photo", "colour.png", PNG, "image/png", complaint=response.message))
		succeeded(s["portal_a"].call("crm_plus.api.service.reply", complaint=response.message, message="Photo attached"))
		page = s["portal_a"].page(f"/service/complaint?name={response.message}")
		assert "colour.png" in page.text and "Photo attached" in page.text, "the photo and the message on the page"

	s.legit("a portal user files a complaint about an item of their order, attaches a photo and writes", about_own_order)

	def own_serial():
		response = s["portal_a"].call("crm_plus.api.service.file_complaint", subject="Noisy", description="x", serial_no=serial_a)
		succeeded(response)
		equal(fresh().get_value("Customer Complaint", response.message, ["customer", "serial_no", "item_code"]), (CUSTOMER_A, serial_a, SERIAL_ITEM), "the complaint")

	s.legit("a portal user files a complaint about their own serial no", own_serial)
	clear_rate_limits()
