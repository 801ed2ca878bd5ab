"""`perfbot doctor`: the install's checks, each one line (ok, warn or FAIL, what, the fix).

`finding.py` is the line; `install.py` checks configuration, the database and its schema;
`reach.py` the chat platforms' credentials (each platform folder's `check_credentials`,
listed in bot/platforms.py) and the sources; `readings.py` what the health readings
(store/queries/health.py) say; `run.py` runs them all, each within a time limit.
"""
