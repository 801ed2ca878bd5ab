"""Ratings: managers rate their reports, employees assess themselves, the scheduler reminds."""
