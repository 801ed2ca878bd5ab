"""HR directories the organisation can be synced from (SCIM 2.0 first)."""
