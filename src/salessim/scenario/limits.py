"""The bounds on what input may say, each named once with its unit.

Every number a scenario holds is finite and within a range that keeps a run finite;
files are read within a size, a nesting depth and a count of values, so that a hostile
file is refused in seconds and bounded memory; the command line's numbers share these
bounds. ``docs/scenarios.md`` lists them (its "Limits" section is generated from here).
"""

from __future__ import annotations

import datetime as dt

from salessim.scenario.units import DAYS_PER_YEAR

# ----------------------------------------------------------------------------- time
MAX_YEARS = 100.0
"""The longest horizon, warm-up or ``--years``: a run simulates at most twice this."""
MAX_DAYS = MAX_YEARS * DAYS_PER_YEAR
"""The longest duration anywhere in a scenario, in days."""
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2200, 12, 31)
"""Dates lie in this range, so a date plus any run's length is still a date."""
MIN_STAGE_DAYS = 1 / (24 * 60 * 60)
"""A funnel stage whose mean work and lag add up to less (one second) takes no time."""

# ----------------------------------------------------------------------------- quantities
MAX_MONEY = 1e12
"""The largest amount of money (pay, quota, deal value, cost), in currency units."""
MIN_PAY = 1.0
"""The least pay a year: set in a scenario, or as the quit hazard counts a rep's pay (a
commission-only rep who earned nothing, or less after a clawback, counts as paid this)."""
MAX_NUMBER = 1e12
"""The largest plain number: hours, rates of pay per unit, distribution parameters."""
MAX_RATE_PER_DAY = 10_000.0
"""The most inbound leads a segment may receive per day."""
MAX_LEADS_PER_HOUR = 10.0
"""The most outbound leads an SDR prospects in an hour."""
MAX_REFERRALS_PER_YEAR = 12.0
"""The most referral leads a healthy account sends in a year."""
MAX_MULTIPLE = 20.0
"""The largest multiplier (seasonality, odds, offers, quota floor and ceiling)."""
MIN_SPREAD = 1e-6
"""The smallest cv or sd of a distribution with a spread (a constant has none)."""
MAX_CV = 100.0
"""The largest coefficient of variation (sd / mean) of a distribution."""
MAX_ELASTICITY = 10.0
"""The largest elasticity or weight in an exponent."""
MAX_ATTAINMENT = 10.0
"""The largest attainment level a plan or a rule names (10 is 1,000% of quota)."""

# ----------------------------------------------------------------------------- counts
MAX_HEADCOUNT = 10_000
"""The most reps of one role, at the start or as a target."""
MAX_ACCOUNTS = 1_000_000
"""The most accounts in the starting customer book."""
MAX_COUNT = 10_000
"""The largest other count (winners, recognitions, hires per turn)."""
MAX_MONTHS = round(12 * MAX_YEARS)
"""The most months a count of months may give (plans, draws)."""
MAX_STEPS = 100
"""The most discount steps a rep weighs."""
MAX_LUCK_SEEDS = 1_000
"""The most seeds a game's luck check replays the player's decisions on."""

# ----------------------------------------------------------------------------- runs
MAX_REPLICATIONS = 10_000
"""The most replications per arm of a comparison, sweep or experiment."""
MAX_SEED = 2**63 - 1
"""The largest root seed (a signed 64-bit integer, as results tables store it)."""
MAX_WORKERS = 1_024
"""The most worker processes a command may start."""

# ----------------------------------------------------------------------------- files
MAX_FILE_BYTES = 1 << 20
"""The largest scenario or experiment file (1 MiB)."""
MAX_SAVE_BYTES = 16 << 20
"""The largest game save (16 MiB)."""
MAX_DEPTH = 64
"""The deepest nesting of lists and mappings in a file."""
MAX_VALUES = 100_000
"""The most values (keys, items and scalars) a file may hold, aliases expanded."""
