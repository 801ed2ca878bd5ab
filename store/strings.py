"""What store says (the audit chain and its anchors, the sync lock, a schema behind), in
English (the msgids): raised or returned as said.Said so `perfbot audit verify`, `perfbot
restore`, `perfbot sync` and any command meeting an old schema say it in the operator's
language. Constants only, importing nothing (bot/catalogue.py reads this module on its own).
"""

SYNC_BUSY = "{source}: another sync of this source is running"
# A database whose schema is older than the code (store/schema.py): {current} and {heads}
# are revision names.
SCHEMA_EMPTY = "The database schema is empty, this perfbot needs {heads}. Run: perfbot db upgrade"
SCHEMA_BEHIND = (
    "The database schema is at {current}, this perfbot needs {heads}. Run: perfbot db upgrade"
)
# The audit chain (store/audit.py): why one event does not hold.
PREVIOUS_CHANGED = "previous event missing or changed"
UNKEYED_AFTER_KEYED = "an unkeyed event after keyed ones (the chain was rewritten)"
CONTENT_EDITED = "content edited after it was written"
NO_AUDIT_KEY = "keyed event, but no audit key is configured (PERFBOT_AUDIT_KEY)"
LINK_MISMATCH = "link does not match: edited, or re-hashed without the audit key"
STRAY_ERASURE = "content cleared by no erasure event"
# Anchors (store/audit_anchor.py): the head written outside the database.
NOT_AN_ANCHOR = "{path}: last line is not an anchor ({error})"
ANCHOR_ALTERED = "{path}: the newest anchor was altered (its MAC does not match)"
HEAD_MISSING = "event {id}, the head anchored at {at}, is missing: the newest events were deleted"
HEAD_DIFFERS = "event {id} differs from its anchor of {at}: chain rewritten"
EVENTS_REMOVED = "{count} events up to event {id} at {at}, {now} now: events were removed"
