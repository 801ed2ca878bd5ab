"""Scores: computing them, /score and its what-if, /explain, the open-period outlook, home."""
