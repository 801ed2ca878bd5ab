"""People: the organisation file, chat accounts and their link codes, unreachable people."""
