"""Appeals: an employee disputes a figure; the handler accepts, rejects, asks or escalates."""
