"""Compatibility: the document workflow's rules moved. The transitions (who may take
which step from which state, and the refusals) are declared in
`portal.documents.transitions`; the predicates are in `portal.documents.permissions`.
Import from there; this module only re-exports the old names."""

from portal.documents.permissions import (
    acknowledgeable,
    expected_signers,
    is_drafter,
    may_sign,
)
from portal.documents.transitions import (
    WORKFLOW,
    DocumentError,
    DocumentForbidden,
    allowed_actions,
    check_create,
)

__all__ = [
    "WORKFLOW",
    "DocumentError",
    "DocumentForbidden",
    "acknowledgeable",
    "allowed_actions",
    "check_create",
    "expected_signers",
    "is_drafter",
    "may_sign",
]
