"""Goals: company goals, their cascade to teams and people, confirmation and progress."""
