"""Signals of the document workflow, sent after the transaction commits.

- ``document_state_changed(sender=Document, document, old_state, new_state, action, actor)``
  after every step that changes the state (submit, pass, return, sign, issue, …);
- ``document_issued(sender=Document, document)`` once a document is issued (numbered,
  its PDF stored): the deadline engine and the owning app react (minutes issued → the
  meeting's minutes deadline is met).
- ``document_acknowledged(sender=Document, document, recipients, actor)`` on receipt.
"""

from django.dispatch import Signal

document_state_changed = Signal()
document_issued = Signal()
document_acknowledged = Signal()
