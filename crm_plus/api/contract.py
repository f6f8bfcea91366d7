"""Whitelisted Contract Document actions: renew and terminate."""

import frappe

from crm_plus.contracts import lifecycle

CONTRACT = "Contract Document"


@frappe.whitelist(methods=["POST"])
def make_renewal(source_name: str) -> dict:
	"""The unsaved successor of a contract, for the form to open (frappe.model.sync)."""
	source = frappe.get_doc(CONTRACT, source_name)
	source.check_permission("read")
	frappe.has_permission(CONTRACT, "create", throw=True)
	return lifecycle.make_renewal(source.name).as_dict()


@frappe.whitelist(methods=["POST"])
def terminate(name: str) -> str:
	contract = frappe.get_doc(CONTRACT, name)
	contract.check_permission("submit")
	lifecycle.terminate(contract)
	return contract.status
