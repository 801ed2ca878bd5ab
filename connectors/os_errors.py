"""Why the operating system would not read a file, in words perfbot can translate."""

from __future__ import annotations

import errno

from connectors import strings as cs
from said import Said

_KNOWN = {
    errno.ENOENT: cs.OS_NO_FILE,
    errno.EACCES: cs.OS_DENIED,
    errno.EISDIR: cs.OS_IS_DIR,
    errno.ENOTDIR: cs.OS_NOT_DIR,
}


def os_reason(exc: OSError) -> str:
    """The OS's own reason (`No such file or directory`), as a Said when perfbot's catalogue
    has the same words, so the edge says it in the operator's language; else as given."""
    msgid = _KNOWN.get(exc.errno or 0)
    if msgid is not None and exc.strerror == msgid:
        return Said(msgid)
    return exc.strerror or str(exc)
