// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

// 直接领导: offer the contacts of the same customer / supplier (the server checks it too)
frappe.ui.form.on("Contact", {
	setup(frm) {
		frm.set_query("crm_plus_reports_to", () => {
			const link = (frm.doc.links || []).find((l) => l.link_doctype && l.link_name);
			if (!link) return {};
			return {
				query: "frappe.contacts.doctype.contact.contact.contact_query",
				filters: { link_doctype: link.link_doctype, link_name: link.link_name },
			};
		});
	},
});

// 联系人: what relates to this one person (crm_plus.api.contact.contact_activity)
frappe.ui.form.on("Contact", {
	refresh(frm) {
		if (frm.is_new()) return;
		crm_plus.show_contact_activity(frm);
	},
});

crm_plus.show_contact_activity = function (frm) {
	const field = frm.get_field("crm_plus_activity_html");
	if (!field) return;
	frappe
		.call({ method: "crm_plus.api.contact.contact_activity", args: { contact: frm.doc.name }, type: "GET" })
		.then(({ message: a }) => {
			const esc = (v) => frappe.utils.escape_html(v === null || v === undefined ? "" : String(v));
			const link = (doctype, name, text) =>
				`<a href="${frappe.utils.get_form_link(doctype, name)}">${esc(text || name)}</a>`;
			const who = (c) => `${link("Contact", c.name, c.full_name)}${c.designation ? ` · ${esc(c.designation)}` : ""}`;
			const line = [
				`<span class="text-muted">${__("Reports To")}:</span> ${a.reports_to ? who(a.reports_to) : "—"}`,
				`<span class="text-muted">${__("Direct Reports")}:</span> ${
					a.direct_reports.length ? a.direct_reports.map(who).join("，") : "—"
				}`,
			].join("　");
			const sections = a.sections
				.map((s) => {
					const rows = s.recent
						.map(
							(r) => `<tr><td>${link(s.doctype, r.name)}</td>
								<td>${r.on_date ? esc(frappe.datetime.str_to_user(r.on_date)) : ""}</td>
								<td>${esc(r.title)}</td><td>${esc(r.status ? __(r.status) : "")}</td>
								<td class="text-right">${r.amount !== undefined && r.amount !== null ? format_currency(r.amount, a.currency) : ""}</td></tr>`
						)
						.join("");
					return `<div class="crm-plus-activity" data-doctype="${esc(s.doctype)}" style="margin-bottom: var(--margin-md)">
						<div class="bold">${esc(__(s.doctype))} <span class="badge">${esc(s.count)}</span></div>
						${rows ? `<table class="table table-sm small" style="margin: 0">${rows}</table>` : `<div class="text-muted small">${__("None")}</div>`}
					</div>`;
				})
				.join("");
			field.$wrapper.html(`<div style="margin-bottom: var(--margin-md)">${line}</div>${sections}`);
		});
};
