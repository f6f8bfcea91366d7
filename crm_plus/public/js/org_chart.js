// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

// 直接领导: a customer's or supplier's contacts as a tree of who reports to whom
// (crm_plus.api.contact.org_chart)
crm_plus.show_org_chart = function (frm, party_type) {
	const field = frm.get_field("crm_plus_org_chart_html");
	if (!field) return;
	frappe
		.call({ method: "crm_plus.api.contact.org_chart", args: { party_type, party: frm.doc.name }, type: "GET" })
		.then(({ message: contacts }) => {
			const esc = (v) => frappe.utils.escape_html(v === null || v === undefined ? "" : String(v));
			const names = new Set(contacts.map((c) => c.name));
			const children = {};
			contacts.forEach((c) => {
				const boss = c.reports_to && names.has(c.reports_to) ? c.reports_to : "";
				(children[boss] = children[boss] || []).push(c);
			});
			const tree = (boss, seen) =>
				(children[boss] || [])
					.filter((c) => !seen.has(c.name))
					.map((c) => {
						const below = tree(c.name, new Set([...seen, c.name]));
						return `<li data-contact="${esc(c.name)}"><a href="${frappe.utils.get_form_link("Contact", c.name)}">${esc(
							c.full_name || c.name
						)}</a>${c.designation ? ` <span class="text-muted">${esc(c.designation)}</span>` : ""}${
							c.mobile_no || c.phone ? ` <span class="text-muted small">${esc(c.mobile_no || c.phone)}</span>` : ""
						}${below ? `<ul>${below}</ul>` : ""}</li>`;
					})
					.join("");
			const html = tree("", new Set());
			field.$wrapper.html(
				html ? `<ul class="crm-plus-org-chart">${html}</ul>` : `<div class="text-muted small">${__("No contacts yet.")}</div>`
			);
		});
};

if (!crm_plus.org_chart_forms) {
	crm_plus.org_chart_forms = true; // this file is loaded with each of the two forms: register once
	["Customer", "Supplier"].forEach((doctype) =>
		frappe.ui.form.on(doctype, {
			refresh(frm) {
				if (!frm.is_new()) crm_plus.show_org_chart(frm, doctype);
			},
		})
	);
}
