"""Reports of one run: plots, summary tables, KPI JSON and monthly CSV.

Nothing here chooses where files go; callers pass the directory or path.
"""
