"""Reports: the team report, its rows, summary, outlook and charts, and the process figures."""
