"""A generic HTTP endpoint as a delivery platform (e-mail gateways, other chat tools)."""
