"""Rich text for pages and emails outside the desk (the customer portal): cleaned by an
allow-list when it is shown, never trusted from storage. Frappe's own sanitizer keeps a
value that parses as JSON unchanged, so stored text can still hold live markup."""

import bleach

TAGS = frozenset(
	("p", "br", "div", "span", "b", "strong", "i", "em", "u", "s", "sub", "sup", "ul", "ol", "li",
	 "blockquote", "pre", "code", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
	 "table", "thead", "tbody", "tr", "th", "td", "a")
)
ATTRIBUTES = {"a": ["href", "title"], "td": ["colspan", "rowspan"], "th": ["colspan", "rowspan"]}
PROTOCOLS = frozenset(("http", "https", "mailto"))


def safe_html(value: str | None) -> str:
	"""`value` with only harmless markup left: no scripts, event handlers, styles, images,
	forms or frames; links only to http(s) and mail addresses."""
	return bleach.clean(value or "", tags=TAGS, attributes=ATTRIBUTES, protocols=PROTOCOLS, strip=True)
