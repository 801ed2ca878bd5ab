"""Closing a period: preview, calibration, the close, each result and its re-opening."""
