// Copyright (c) 2026, crm_plus developers
// License: GNU General Public License v3. See license.txt

// 竞争对手: where this competitor appears (crm_plus.api.competitor.competitor_summary)
frappe.ui.form.on("Competitor", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Competitor Analysis"), () =>
			frappe.set_route("query-report", "Competitor Analysis", { competitor: frm.doc.name })
		);
		const field = frm.get_field("crm_plus_competitor_html");
		if (!field) return;
		frappe
			.call({ method: "crm_plus.api.competitor.competitor_summary", args: { competitor: frm.doc.name }, type: "GET" })
			.then(({ message: c }) => {
				const esc = (v) => frappe.utils.escape_html(v === null || v === undefined ? "" : String(v));
				const link = (doctype, name, text) =>
					`<a href="${frappe.utils.get_form_link(doctype, name)}">${esc(text || name)}</a>`;
				const money = (v) => format_currency(v || 0, c.currency);
				const parts = [];
				if (c.by_status) {
					const s = c.by_status;
					parts.push(`<div class="row crm-plus-competitor-figures">${[
						// numbers and formatted money only
						[__("Open"), `${cint(s.open)} · ${money(s.open_amount)}`],
						[__("Won"), cint(s.won)],
						[__("Lost"), `${cint(s.lost)} · ${money(s.lost_amount)}`],
						[__("Win Rate (%)"), s.won + s.lost ? ((100 * s.won) / (s.won + s.lost)).toFixed(1) : "—"],
					]
						.map(([label, value]) => `<div class="col-sm-3"><div class="text-muted small">${label}</div><div class="bold">${value}</div></div>`)
						.join("")}</div>`);
				}
				const table = (title, rows) =>
					`<div style="margin-top: var(--margin-md)"><div class="bold">${title}</div>${
						rows.length ? `<table class="table table-sm small" style="margin: 0">${rows.join("")}</table>` : `<div class="text-muted small">${__("None")}</div>`
					}</div>`;
				if (c.opportunities) {
					parts.push(table(__("Opportunities"), c.opportunities.map((o) =>
						`<tr><td>${link("Opportunity", o.name)}</td><td>${esc(o.customer_name || o.party_name)}</td>
						<td>${esc(__(o.status))}</td><td>${esc(frappe.datetime.str_to_user(o.transaction_date))}</td>
						<td class="text-right">${money(o.amount)}</td></tr>`)));
				}
				parts.push(table(__("Customers"), c.customers.map((r) =>
					`<tr><td>${link("Customer", r.customer)}</td><td>${__("Opportunities")}: ${esc(r.opportunities)}</td>
					<td>${__("Follow-ups")}: ${esc(r.follow_ups)}</td></tr>`)));
				if (c.follow_ups) {
					parts.push(table(__("Follow-ups"), c.follow_ups.map((f) =>
						`<tr><td>${link("Customer Follow Up", f.name)}</td><td>${esc(f.party_name)}</td>
						<td>${esc(frappe.datetime.str_to_user(f.date))}</td><td>${esc(f.summary)}</td></tr>`)));
				}
				field.$wrapper.html(parts.join(""));
			});
	},
});
