"""Praise (R6): recognition with the person's contribution data attached."""
