"""The suite's cases, one module per trust boundary (docs/security.md), in run order."""

from crm_plus.tests.http.cases import (
	abuse,
	escaping,
	links,
	matrix,
	methods,
	pages,
	portal_access,
	reads,
	review,
	server_fields,
	stored_data,
)

MODULES = [
	matrix,
	methods,
	pages,
	portal_access,
	review,
	stored_data,
	server_fields,
	links,
	escaping,
	reads,
	abuse,
]
