"""Portal pages (/service): a customer's portal users see their own customer's complaints
and repairs, nobody else's; everyone else is refused."""

from crm_plus.tests.http.fixtures import ACTORS, CUSTOMER_A, CUSTOMER_B, make_complaint, make_repair
from crm_plus.tests.http.run import refused, succeeded

GROUP = "Portal pages"
OWN = {"portal_a": CUSTOMER_A, "portal_b": CUSTOMER_B}


def run(s) -> None:
	records = {
		customer: {"complaint": make_complaint(customer, subject=f"Complaint of {customer}"), "repair": make_repair(customer)}
		for customer in (CUSTOMER_A, CUSTOMER_B)
	}

	def listing(actor):
		response = s[actor].page("/service")
		customer = OWN.get(actor)
		if not customer:
			refused(response, 302, 401, 403)
			for recs in records.values():
				assert recs["complaint"] not in response.text, "a complaint is listed"
			return
		succeeded(response)
		other = CUSTOMER_B if customer == CUSTOMER_A else CUSTOMER_A
		assert records[customer]["complaint"] in response.text and records[customer]["repair"] in response.text, "own records listed"
		assert records[other]["complaint"] not in response.text and records[other]["repair"] not in response.text, "another customer's records listed"

	def record_page(actor, customer, kind):
		name = records[customer][kind]
		response = s[actor].page(f"/service/{kind}?name={name}")
		if OWN.get(actor) == customer:
			succeeded(response)
			assert name in response.text
		else:
			refused(response, 302, 401, 403, 404)
			assert f"Complaint of {customer}" not in response.text, "the record shows"

	for actor in ACTORS:
		kind = s.legit if actor in OWN else s.attack
		kind(f"/service for {actor}", listing, actor)
		for customer in (CUSTOMER_A, CUSTOMER_B):
			for record in ("complaint", "repair"):
				allowed = OWN.get(actor) == customer
				(s.legit if allowed else s.attack)(f"/service/{record} of {customer} for {actor}", record_page, actor, customer, record)
