"""KPI target changes: a manager asks HR to change a target, HR decides (R2)."""
