"""The training game: turn-based play on a scenario, saved as a decision log."""
